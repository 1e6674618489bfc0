import Foundation
import HTTPTypes
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// Issue 13: many clients change the same deal, plan and task at once, each sending the version it read (If-Match).
/// Of those that read the same version exactly one wins and the others get 412; nothing else ever comes back (no
/// deadlock, no "database is locked", no 500), and no acknowledged change is lost: each record's counter and version
/// grew by exactly the number of changes acknowledged.
@Suite struct ConcurrentUpdatesTests {
    static let clients = 8

    /// One contended record, its counter read from and written into an ordinary field.
    struct Contended: Sendable {
        let name: String
        let path: String
        let tokens: [String]
        let counter: @Sendable (TestResponse) throws -> Int64
        let change: @Sendable (Int64) -> Change
    }

    struct Change: Encodable, Sendable {
        var amountMinor: Int64?
        var targets: [PlanTarget]?
        var subject: String?
    }

    struct PlanTarget: Codable, Sendable { let measure: String; let target: Int64 }
    struct DealBody: Decodable { let amountMinor: Int64 }
    struct PlanBody: Decodable { let targets: [PlanTarget] }
    struct TaskBody: Decodable { let subject: String }
    struct Made: Decodable { let id: Int64 }
    struct NewPlan: Encodable { var period = "2026-11"; let scope: String; var targets = [PlanTarget(measure: "revenue", target: 0)] }
    struct NewTask: Encodable { var kind = "task"; var subject = "count 0"; let accountId: Int64 }

    /// What one read gave: the counter and the ETag to send back.
    struct Read: Sendable { let counter: Int64; let etag: String }

    @Test(arguments: TestDatabase.engines)
    func staleChangesGet412AndNoAcknowledgedChangeIsLost(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let deal = try await records.deal(account: account, owner: org.rep.id)
            let rep = try await client.token(for: org.rep), head = try await client.token(for: org.head)
            let director = try await client.token(for: org.director), admin = try await client.token(for: org.admin)
            // The director sets a team's plan; the head splits it among the team, which is a change of another kind.
            let newPlan = try await client.post("/api/v1/plans", json: NewPlan(scope: "team:\(org.teamA.id)"), token: director)
            try #require(newPlan.status == .created, "\(String(buffer: newPlan.body))")
            let newTask = try await client.post("/api/v1/activities", json: NewTask(accountId: account), token: rep)
            try #require(newTask.status == .created, "\(String(buffer: newTask.body))")
            let plan = try newPlan.json(Made.self).id, task = try newTask.json(Made.self).id

            let contended = [
                Contended(name: "deal", path: "/api/v1/deals/\(deal)", tokens: [rep, head, admin],
                          counter: { try $0.json(DealBody.self).amountMinor }, change: { Change(amountMinor: $0) }),
                Contended(name: "plan", path: "/api/v1/plans/\(plan)", tokens: [director],
                          counter: { try $0.json(PlanBody.self).targets.first { $0.measure == "revenue" }?.target ?? -1 },
                          change: { Change(targets: [PlanTarget(measure: "revenue", target: $0)]) }),
                Contended(name: "task", path: "/api/v1/activities/\(task)", tokens: [rep, head],
                          counter: { Int64(try $0.json(TaskBody.self).subject.dropFirst("count ".count)) ?? -1 },
                          change: { Change(subject: "count \($0)") }),
            ]
            // The three records at once, each by eight clients at once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for record in contended {
                    group.addTask { try await Self.contend(record, client: client) }
                }
                try await group.waitForAll()
            }
        }
    }

    /// Orders and drafts for one customer posted at once, on different days, each answered 201, and the roll-ups (the
    /// customer's first and last day among them) equal to the orders afterwards. On PostgreSQL two transactions used to
    /// write the same customer's row at once and one failed with a duplicate key (`scripts/crash-test` found it).
    @Test(arguments: TestDatabase.engines)
    func ordersForOneCustomerAtOnceKeepTheRollUpsExact(engine: DatabaseEngine) async throws {
        struct Line: Encodable { let productId: Int64; let quantityMilli: Int64 }
        struct NewOrder: Encodable { let accountId: Int64; let orderedOn: String; let status: String; let lines: [Line] }
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let product = try await records.product(sku: "BOLT", priceMinor: 1_000, costMinor: 600)
            let desk = try await client.token(for: org.desk)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for number in 0..<16 {
                    // A draft (a deal just won) adds to no sum, so it waits on no sum's row: it raced the others.
                    let order = NewOrder(accountId: account, orderedOn: "2026-11-\(String(format: "%02d", 1 + number % 5))",
                                         status: number % 2 == 0 ? "draft" : "confirmed",
                                         lines: [Line(productId: product, quantityMilli: 1_000 * Int64(1 + number))])
                    group.addTask { try await client.post("/api/v1/orders", json: order, token: desk).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
            for check in try await org.database.checkRollups() {
                #expect(check.exact, "\(check.table) has \(check.missing) missing and \(check.extra) extra rows")
            }
        }
    }

    /// Rounds in lockstep (all read, then all write what they read: exactly one wins), then clients running freely;
    /// afterwards the counter and the version have grown by the acknowledged changes, neither more nor less.
    static func contend(_ record: Contended, client: any TestClientProtocol) async throws {
        let first = try await read(record, by: record.tokens[0], client: client)
        var acknowledged: Int64 = 0
        for round in 1...4 {
            let reads = try await everyClient(record) { token in try await read(record, by: token, client: client) }
            #expect(Set(reads.map(\.etag)).count == 1, "\(record.name), round \(round): everyone read one version")
            let answers = try await everyClient(record) { token in
                let read = reads[0]
                return try await write(record, read.counter + 1, over: read.etag, by: token, client: client)
            }
            let won = answers.filter { $0 == .ok }.count
            #expect(won == 1, "\(record.name), round \(round): exactly one of the writers that read one version wins, not \(won)")
            #expect(answers.allSatisfy { $0 == .ok || $0 == .preconditionFailed }, "\(record.name), round \(round): \(answers)")
            acknowledged += Int64(won)
        }
        let free = try await everyClient(record) { token in
            var won: Int64 = 0
            for _ in 0..<6 {
                let read = try await read(record, by: token, client: client)
                if try await write(record, read.counter + 1, over: read.etag, by: token, client: client) == .ok { won += 1 }
            }
            return won
        }
        acknowledged += free.reduce(0, +)
        let last = try await read(record, by: record.tokens[0], client: client)
        #expect(last.counter == first.counter + acknowledged, "\(record.name): every acknowledged change counted once")
        #expect(version(last.etag) == version(first.etag) + acknowledged, "\(record.name): one version for each acknowledged change")
    }

    static func everyClient<T: Sendable>(_ record: Contended, _ body: @escaping @Sendable (String) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: T.self) { group in
            for number in 0..<clients {
                let token = record.tokens[number % record.tokens.count]
                group.addTask { try await body(token) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    static func read(_ record: Contended, by token: String, client: any TestClientProtocol) async throws -> Read {
        let response = try await client.get(record.path, token: token)
        try #require(response.status == .ok, "\(record.name): reading answered \(response.status)")
        return Read(counter: try record.counter(response), etag: try #require(response.headers[.eTag]))
    }

    /// The answer's status; anything but success or 412 is recorded with its body.
    static func write(_ record: Contended, _ counter: Int64, over etag: String, by token: String,
                      client: any TestClientProtocol) async throws -> HTTPResponse.Status {
        let response = try await client.send(.patch, record.path, json: record.change(counter), token: token, headers: [.ifMatch: etag])
        if response.status != .ok && response.status != .preconditionFailed {
            Issue.record("\(record.name): a change answered \(response.status): \(String(buffer: response.body))")
        }
        return response.status
    }

    static func version(_ etag: String) -> Int64 { Int64(etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) ?? -1 }
}
