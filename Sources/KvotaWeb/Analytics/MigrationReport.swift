import Foundation
import KvotaCore
import KvotaStore

/// `GET /api/v1/analytics/migration` and `…/migration/customers` (METRICS.md "Customer category migration"): how
/// customers moved between ABC classes (by revenue) from P1 to P2, the matrix, the moves per manager (the account's
/// owner now, the end of P2 at the latest), and the counterparties of one cell.
struct MigrationReport: Encodable, Sendable {
    struct Window: Encodable, Sendable {
        let from: String
        let to: String
    }

    struct Cell: Encodable, Sendable {
        let from: String
        let to: String
        let customers: Int
        let revenue: Int64
    }

    struct Manager: Encodable, Sendable {
        let id: Int64?
        let name: String
        let customers: Int
        let downgrades: Int
        let upgrades: Int
        let lost: Int
        let newcomers: Int
    }

    struct CustomerRow: Encodable, Sendable {
        let id: Int64
        let name: String
        let ownerId: Int64?
        let ownerName: String?
        let from: String
        let to: String
        let p1Revenue: Int64
        let p2Revenue: Int64

        enum CodingKeys: String, CodingKey { case id, name, ownerId, ownerName, from, to, p1Revenue, p2Revenue }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(name, forKey: .name); try c.encode(ownerId, forKey: .ownerId)
            try c.encode(ownerName, forKey: .ownerName); try c.encode(from, forKey: .from); try c.encode(to, forKey: .to)
            try c.encode(p1Revenue, forKey: .p1Revenue); try c.encode(p2Revenue, forKey: .p2Revenue)
        }
    }

    struct CustomerList: Encodable, Sendable {
        let currency: String
        let items: [CustomerRow]
    }

    struct Query: Sendable {
        var p1: DateWindow
        var p2: DateWindow
        /// Customers whose account this user owns.
        var accountOwner: User.ID?
        var filter: AnalyticsFilter
        var format: TableFormat
    }

    let currency: String
    let p1: Window
    let p2: Window
    let matrix: [Cell]
    let customers: Int
    let downgrades: Int
    let upgrades: Int
    let lost: Int
    let newcomers: Int
    let managers: [Manager]

    /// Every customer's move, in id order, with the account's owner now (0 for none) beside it.
    struct Moves: Sendable {
        var customers: [CategoryMigration.Customer] = []
        var owners: [Int64] = []
    }

    /// The moves of the customers the actor's orders show, narrowed to one account owner when asked.
    static func moves(_ query: Query, for actor: Actor, in database: Database) async throws -> Moves {
        async let p1 = database.salesTotalsInKeyOrder(for: actor, filter: query.filter, window: query.p1, key: .account)
        async let p2 = database.salesTotalsInKeyOrder(for: actor, filter: query.filter, window: query.p2, key: .account)
        let migration = CategoryMigration(p1: try await p1.map { ($0.key, $0.totals.revenue) }, p2: try await p2.map { ($0.key, $0.totals.revenue) })
        let owners = try await database.accountOwners(inIDOrder: migration.customers.map(\.id))
        guard let only = query.accountOwner?.rawValue else { return Moves(customers: migration.customers, owners: owners) }
        var moves = Moves()
        for (customer, owner) in zip(migration.customers, owners) where owner == only {
            moves.customers.append(customer)
            moves.owners.append(owner)
        }
        return moves
    }

    static func build(_ query: Query, for actor: Actor, in database: Database, currency: Currency) async throws -> MigrationReport {
        try await build(query, moves(query, for: actor, in: database), in: database, currency: currency)
    }

    static func build(_ query: Query, _ moves: Moves, in database: Database, currency: Currency) async throws -> MigrationReport {
        let cells = CategoryMigration.matrix(of: moves.customers)
        var perOwner: [Int64: (customers: Int, downgrades: Int, upgrades: Int, lost: Int, newcomers: Int)] = [:]
        for (move, owner) in zip(moves.customers, moves.owners) {
            perOwner[owner, default: (0, 0, 0, 0, 0)].customers += 1
            if move.isDowngrade { perOwner[owner]!.downgrades += 1 }
            if move.isUpgrade { perOwner[owner]!.upgrades += 1 }
            if move.isLost { perOwner[owner]!.lost += 1 }
            if move.isNewcomer { perOwner[owner]!.newcomers += 1 }
        }
        let names = try await database.analyticsNames(.manager, ids: Set(perOwner.keys))
        let managers = perOwner.map { owner, counts in
            Manager(id: owner == 0 ? nil : owner, name: owner == 0 ? "none" : names[owner] ?? String(owner), customers: counts.customers,
                    downgrades: counts.downgrades, upgrades: counts.upgrades, lost: counts.lost, newcomers: counts.newcomers)
        }.sorted { ($0.downgrades, -($0.id ?? 0)) > ($1.downgrades, -($1.id ?? 0)) }
        return MigrationReport(
            currency: currency.code, p1: Window(from: query.p1.from.iso, to: query.p1.through.iso),
            p2: Window(from: query.p2.from.iso, to: query.p2.through.iso),
            matrix: CustomerCategory.allCases.flatMap { from in
                CustomerCategory.allCases.map { to in
                    Cell(from: from.rawValue, to: to.rawValue, customers: cells[from]![to]!.customers, revenue: cells[from]![to]!.p2Value)
                }
            },
            customers: moves.customers.count, downgrades: managers.reduce(0) { $0 + $1.downgrades }, upgrades: managers.reduce(0) { $0 + $1.upgrades },
            lost: managers.reduce(0) { $0 + $1.lost }, newcomers: managers.reduce(0) { $0 + $1.newcomers }, managers: managers)
    }

    /// The counterparties of one cell (or of a whole row or column when one side is not given), by P2 then P1 revenue.
    static func customers(_ query: Query, from: CustomerCategory?, to: CustomerCategory?, limit: Int, for actor: Actor,
                          in database: Database) async throws -> [CustomerRow] {
        try await customers(among: moves(query, for: actor, in: database), from: from, to: to, limit: limit, in: database)
    }

    static func customers(among moves: Moves, from: CustomerCategory?, to: CustomerCategory?, limit: Int,
                          in database: Database) async throws -> [CustomerRow] {
        let cell = zip(moves.customers, moves.owners).filter { (from == nil || $0.0.from == from) && (to == nil || $0.0.to == to) }
        return try await rows(Array(cell.sorted { CategoryMigration.ranking($0.0, $1.0) }.prefix(limit)), in: database)
    }

    /// These moves as rows with the account's and its owner's names.
    static func rows(_ chosen: [(CategoryMigration.Customer, owner: Int64)], in database: Database) async throws -> [CustomerRow] {
        let names = try await database.analyticsNames(.account, ids: Set(chosen.map(\.0.id)))
        let ownerNames = try await database.analyticsNames(.manager, ids: Set(chosen.map(\.owner)))
        return chosen.map { move, owner in
            let owner = owner == 0 ? nil : owner
            return CustomerRow(id: move.id, name: names[move.id] ?? String(move.id), ownerId: owner, ownerName: owner.flatMap { ownerNames[$0] },
                               from: move.from.rawValue, to: move.to.rawValue, p1Revenue: move.p1Value, p2Revenue: move.p2Value)
        }
    }

    var csv: (header: [String], rows: [[String?]]) {
        (["from", "to", "customers", "revenue"], matrix.map { [$0.from, $0.to, String($0.customers), String($0.revenue)] })
    }

    static func csv(_ rows: [CustomerRow]) -> (header: [String], rows: [[String?]]) {
        (["id", "name", "owner_id", "owner", "from", "to", "p1_revenue", "p2_revenue"],
         rows.map { [String($0.id), $0.name, $0.ownerId.map { String($0) }, $0.ownerName, $0.from, $0.to, String($0.p1Revenue), String($0.p2Revenue)] })
    }
}
