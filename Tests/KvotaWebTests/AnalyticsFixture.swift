import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import KvotaWeb
import SQLKit
import Testing

/// The tiny demo company behind a running app, with a director, a head of sales and a rep who can sign in, and every
/// counted order line read straight from the tables: the naive side the analytics are checked against.
struct AnalyticsFixture {
    static let options = DemoOptions(scale: .tiny, seed: 3, asOf: try! LocalDate(iso: "2026-11-20"))
    /// Noon on the demo's last day, in UTC.
    static let now = Date(timeIntervalSince1970: 1_795_176_000)

    let database: Database
    let director: User, head: User, rep: User
    let raw: RawSales

    static func run(_ engine: DatabaseEngine, _ body: @escaping @Sendable (any TestClientProtocol, AnalyticsFixture) async throws -> Void) async throws {
        try await TestDatabase.with(engine) { database in
            _ = try await DemoLoader.load(options, into: database)
            let users = try await database.users().filter(\.active).sorted { $0.id.rawValue < $1.id.rawValue }
            let director = try #require(users.first { $0.role == .director })
            let head = try #require(users.first { $0.role == .head })
            let rep = try #require(users.first { $0.role == .rep && $0.teamID == head.teamID })
            for user in [director, head, rep] {
                try await database.setPasswordHash(email: user.email, WebFixture.passwordHash, by: nil, at: now)
            }
            let fixture = AnalyticsFixture(database: database, director: director, head: head, rep: rep, raw: try await RawSales.load(database))
            let app = try await buildApplication(AppConfig(logLevel: .critical, alertsEverySeconds: 0, now: { now }), database: database)
            try await app.test(.router) { client in try await body(client, fixture) }
        }
    }

    /// The owners whose orders `user` sees, by the access policy (nil: everyone's).
    func owners(of user: User) async throws -> Set<Int64>? {
        let actor = try #require(try await database.signedInUser(user.id)).1
        switch AccessPolicy.scope(actor, .list, .order) {
        case .all: return nil
        case .ownedBy(let owners), .concerning(_, let owners): return Set(owners.map(\.rawValue))
        case .nothing: return []
        }
    }
}

/// Order lines, deals won and the organisation as plain rows, summed by plain loops.
struct RawSales: Sendable {
    struct Line: Sendable {
        let order: Int64
        let day: LocalDate
        let account: Int64, owner: Int64, region: Int64, channel: Int64
        /// Nil for an order without lines (it still counts as an order).
        let product: Int64?
        let revenue: Int64, cost: Int64, quantity: Int64
    }

    struct WonDeal: Sendable {
        let day: LocalDate
        let account: Int64, owner: Int64, region: Int64, channel: Int64
    }

    var lines: [Line] = []
    var won: [WonDeal] = []
    var teamOfUser: [Int64: Int64] = [:]
    var categoryOfProduct: [Int64: Int64] = [:]
    var categoryParent: [Int64: Int64] = [:]
    var regionParent: [Int64: Int64] = [:]

    static func load(_ database: Database) async throws -> RawSales {
        try await database.read { sql in
            var raw = RawSales()
            func int(_ row: any SQLRow, _ column: String) throws -> Int64 { try row.decode(column: column, as: Int64?.self) ?? 0 }
            for row in try await sql.raw("""
                SELECT o.id, o.ordered_on, o.account_id, o.owner_id, o.region_id, o.channel_id, l.product_id, l.net_base_minor,
                       l.cost_base_minor, l.quantity_milli
                FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id WHERE o.status NOT IN ('draft', 'cancelled')
                """).all() {
                raw.lines.append(Line(order: try int(row, "id"), day: try LocalDate(key: Int(try int(row, "ordered_on"))),
                                      account: try int(row, "account_id"), owner: try int(row, "owner_id"), region: try int(row, "region_id"),
                                      channel: try int(row, "channel_id"), product: try row.decode(column: "product_id", as: Int64?.self),
                                      revenue: try int(row, "net_base_minor"), cost: try int(row, "cost_base_minor"),
                                      quantity: try int(row, "quantity_milli")))
            }
            for row in try await sql.raw("""
                SELECT d.closed_on, d.account_id, d.owner_id, a.region_id, a.channel_id FROM deals d JOIN accounts a ON a.id = d.account_id
                WHERE d.status = 'won'
                """).all() {
                raw.won.append(WonDeal(day: try LocalDate(key: Int(try int(row, "closed_on"))), account: try int(row, "account_id"),
                                       owner: try int(row, "owner_id"), region: try int(row, "region_id"), channel: try int(row, "channel_id")))
            }
            for row in try await sql.raw("SELECT id, team_id FROM users WHERE team_id IS NOT NULL").all() {
                raw.teamOfUser[try int(row, "id")] = try int(row, "team_id")
            }
            for row in try await sql.raw("SELECT id, category_id FROM products").all() { raw.categoryOfProduct[try int(row, "id")] = try int(row, "category_id") }
            for row in try await sql.raw("SELECT id, parent_id FROM product_categories WHERE parent_id IS NOT NULL").all() {
                raw.categoryParent[try int(row, "id")] = try int(row, "parent_id")
            }
            for row in try await sql.raw("SELECT id, parent_id FROM regions WHERE parent_id IS NOT NULL").all() {
                raw.regionParent[try int(row, "id")] = try int(row, "parent_id")
            }
            return raw
        }
    }

    /// Whether `id` is `ancestor` or under it.
    static func within(_ id: Int64, _ ancestor: Int64, parents: [Int64: Int64]) -> Bool {
        var current: Int64? = id
        while let node = current {
            if node == ancestor { return true }
            current = parents[node]
        }
        return false
    }

    func passes(owner: Int64, region: Int64, channel: Int64, product: Int64?, filter: AnalyticsFilter, owners: Set<Int64>?) -> Bool {
        if let owners, !owners.contains(owner) { return false }
        if let manager = filter.managerID, owner != manager.rawValue { return false }
        if let team = filter.teamID, teamOfUser[owner] != team.rawValue { return false }
        if let wanted = filter.regionID, !Self.within(region, wanted.rawValue, parents: regionParent) { return false }
        if let channel2 = filter.channelID, channel != channel2.rawValue { return false }
        if let category = filter.categoryID {
            guard let product, let own = categoryOfProduct[product], Self.within(own, category.rawValue, parents: categoryParent) else { return false }
        }
        return true
    }

    /// The key of a line under a dimension (0: none).
    func key(_ dimension: SalesDimension?, owner: Int64, region: Int64, channel: Int64, product: Int64?, account: Int64) -> Int64 {
        switch dimension {
        case nil: 0
        case .manager: owner
        case .team: teamOfUser[owner] ?? 0
        case .region: region
        case .channel: channel
        case .category: product.flatMap { categoryOfProduct[$0] } ?? 0
        case .product: product ?? 0
        case .account: account
        }
    }

    /// A measure per key over a range, one line at a time.
    func values(_ measure: SalesMeasure, by dimension: SalesDimension?, over range: DateWindow, filter: AnalyticsFilter,
                owners: Set<Int64>?) -> [Int64: Int64] {
        var result: [Int64: Int64] = [:]
        switch measure {
        case .revenue, .margin, .quantity, .orders:
            var orders: [Int64: Set<Int64>] = [:]
            for line in lines where line.day >= range.from && line.day <= range.through
                && passes(owner: line.owner, region: line.region, channel: line.channel, product: line.product, filter: filter, owners: owners) {
                // A category filter or key leaves out the lines of other categories (and orders without lines).
                if (filter.categoryID != nil || dimension == .category || dimension == .product) && line.product == nil { continue }
                let key = key(dimension, owner: line.owner, region: line.region, channel: line.channel, product: line.product, account: line.account)
                switch measure {
                case .revenue: result[key, default: 0] += line.revenue
                case .margin: result[key, default: 0] += line.revenue - line.cost
                case .quantity: result[key, default: 0] += line.quantity
                default: orders[key, default: []].insert(line.order)
                }
            }
            for (key, set) in orders { result[key] = Int64(set.count) }
        case .dealsWon:
            for deal in won where deal.day >= range.from && deal.day <= range.through
                && passes(owner: deal.owner, region: deal.region, channel: deal.channel, product: nil, filter: filter, owners: owners) {
                result[key(dimension, owner: deal.owner, region: deal.region, channel: deal.channel, product: nil, account: deal.account), default: 0] += 1
            }
        case .newCustomers:
            var first: [Int64: LocalDate] = [:]
            for line in lines { first[line.account] = min(first[line.account] ?? line.day, line.day) }
            var counted: [Int64: Int64] = [:]  // account → its (lowest) key
            for line in lines where line.day == first[line.account] && line.day >= range.from && line.day <= range.through
                && passes(owner: line.owner, region: line.region, channel: line.channel, product: nil, filter: filter, owners: owners) {
                let key = key(dimension, owner: line.owner, region: line.region, channel: line.channel, product: nil, account: line.account)
                counted[line.account] = min(counted[line.account] ?? key, key)
            }
            for key in counted.values { result[key, default: 0] += 1 }
        }
        return result
    }
}
