import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import SQLKit
import Testing

/// Customer category migration through the API equals classes worked out by hand from the order lines, for three
/// roles, with the per-manager moves and each cell's counterparties, on both engines.
@Suite struct AnalyticsMigrationTests {
    struct Answer: Decodable {
        struct Cell: Decodable { let from: String; let to: String; let customers: Int; let revenue: Int64 }
        struct Manager: Decodable { let id: Int64?; let customers: Int; let downgrades: Int; let upgrades: Int }
        let matrix: [Cell]
        let customers: Int, downgrades: Int, upgrades: Int, lost: Int, newcomers: Int
        let managers: [Manager]
    }

    struct Customers: Decodable {
        struct Row: Decodable { let id: Int64; let ownerId: Int64?; let from: String; let to: String; let p1Revenue: Int64; let p2Revenue: Int64 }
        let items: [Row]
    }

    static let rank = ["A": 3, "B": 2, "C": 1, "none": 0]

    @Test(arguments: TestDatabase.engines)
    func movesEqualClassesWorkedOutFromTheLines(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let raw = fixture.raw
            let owners = try await fixture.database.read { sql in
                Dictionary(uniqueKeysWithValues: try await sql.raw("SELECT id, COALESCE(owner_id, 0) AS o FROM accounts").all().map {
                    (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "o", as: Int64.self))
                })
            }
            let p1 = try DateWindow(from: try LocalDate(iso: "2025-07-01"), through: try LocalDate(iso: "2025-12-31"))
            let p2 = try DateWindow(from: try LocalDate(iso: "2026-01-01"), through: try LocalDate(iso: "2026-06-30"))
            let periods = "p1From=2025-07-01&p1To=2025-12-31&p2From=2026-01-01&p2To=2026-06-30"
            var moved = 0
            for user in [fixture.director, fixture.head, fixture.rep] {
                let token = try await client.token(for: user)
                let visible = try await fixture.owners(of: user)
                for manager in [nil, fixture.rep.id.rawValue] {
                    let context = "\(user.role) manager \(manager.map(String.init) ?? "any")"
                    func classes(_ window: DateWindow) -> [Int64: (String, Int64)] {
                        let values = raw.values(.revenue, by: .account, over: window, filter: AnalyticsFilter(), owners: visible)
                        return Dictionary(uniqueKeysWithValues: AnalyticsClassesTests.naiveABC(values).map { ($0.id, ($0.class, $0.value)) })
                    }
                    let first = classes(p1), second = classes(p2)
                    let accounts = Set(first.keys).union(second.keys).filter { manager == nil || owners[$0] == manager }
                    let moves = accounts.map { (id: $0, from: first[$0]?.0 ?? "none", to: second[$0]?.0 ?? "none", p2: second[$0]?.1 ?? 0) }

                    let query = periods + (manager.map { "&manager=\($0)" } ?? "")
                    let answer = try await client.get("/api/v1/analytics/migration?\(query)", token: token).json(Answer.self)
                    #expect(answer.customers == moves.count, "\(context)")
                    #expect(answer.matrix.count == 16)
                    for cell in answer.matrix {
                        let members = moves.filter { $0.from == cell.from && $0.to == cell.to }
                        #expect(cell.customers == members.count && cell.revenue == members.reduce(0) { $0 + $1.p2 }, "\(context) \(cell.from)→\(cell.to)")
                    }
                    let downgrades = moves.filter { Self.rank[$0.to]! < Self.rank[$0.from]! }
                    #expect(answer.downgrades == downgrades.count, "\(context) downgrades")
                    #expect(answer.upgrades == moves.filter { $0.from != "none" && Self.rank[$0.to]! > Self.rank[$0.from]! }.count)
                    #expect(answer.lost == moves.filter { $0.from != "none" && $0.to == "none" }.count)
                    #expect(answer.newcomers == moves.filter { $0.from == "none" && $0.to != "none" }.count)
                    for row in answer.managers {
                        let own = downgrades.filter { owners[$0.id] == (row.id ?? 0) }
                        #expect(row.downgrades == own.count, "\(context) manager \(row.id ?? 0)")
                    }
                    #expect(answer.managers.reduce(0) { $0 + $1.customers } == moves.count)

                    // The counterparties of A → B, and of everyone lost from A.
                    for (from, to) in [("A", "B"), ("A", "none")] {
                        let list = try await client.get("/api/v1/analytics/migration/customers?\(query)&from=\(from)&to=\(to)", token: token)
                            .json(Customers.self)
                        let want = moves.filter { $0.from == from && $0.to == to }
                        #expect(Set(list.items.map(\.id)) == Set(want.map(\.id)), "\(context) \(from)→\(to) customers")
                        #expect(list.items.allSatisfy { $0.from == from && $0.to == to && ($0.ownerId ?? 0) == owners[$0.id] })
                        #expect(list.items.map(\.p2Revenue) == list.items.map(\.p2Revenue).sorted(by: >), "largest first")
                    }
                    moved += downgrades.count
                }
            }
            #expect(moved > 10, "customers did move (\(moved) downgrades)")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func periodsDefaultToTheLastTwoQuartersAndBadOnesAreNamed(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let token = try await client.token(for: fixture.director)
            struct Periods: Decodable { struct W: Decodable { let from: String; let to: String }; let p1: W; let p2: W }
            let answer = try await client.get("/api/v1/analytics/migration", token: token).json(Periods.self)
            #expect(answer.p2.from == "2026-07-01" && answer.p2.to == "2026-09-30" && answer.p1.from == "2026-04-01" && answer.p1.to == "2026-06-30")
            let bad = try await client.get("/api/v1/analytics/migration/customers?p1From=2026-02-01&p1To=2026-01-01&from=D", token: token)
            #expect(bad.status == .badRequest)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["p1To", "from"])
        }
    }
}
