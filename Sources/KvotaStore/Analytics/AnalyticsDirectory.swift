import KvotaCore
import SQLKit

/// Names for the keys an analysis shows, and the folds from roll-up keys to the dimensions grouped in Swift (an owner
/// to their team, a product to its category).
extension Database {
    public func analyticsNames(_ dimension: SalesDimension, ids: Set<Int64>) async throws -> [Int64: String] {
        let wanted = ids.filter { $0 != 0 }.sorted()
        guard !wanted.isEmpty else { return [:] }
        let (table, name): (String, SQLQueryString) = switch dimension {
        case .manager: ("users", "name")
        case .team: ("teams", "name")
        case .region: ("regions", "name")
        case .channel: ("channels", "name")
        case .category: ("product_categories", "name")
        case .product: ("products", "sku || ' ' || name")
        case .account: ("accounts", "name")
        }
        return try await read { sql in
            var names: [Int64: String] = [:]
            for start in stride(from: 0, to: wanted.count, by: 500) {
                let list = SQLQueryString.list(wanted[start..<min(start + 500, wanted.count)])
                for row in try await sql.raw("SELECT id, \(name) AS name FROM \(ident: table) WHERE id IN \(list)").all() {
                    names[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "name", as: String.self)
                }
            }
            return names
        }
    }

    /// How many accounts a lookup takes by lists of ids at most; past it, one pass over every account is faster.
    static let onePassAbove = 5_000

    /// The owner of each account of `ids` now (0 for none).
    public func accountOwners(_ ids: Set<Int64>) async throws -> [Int64: Int64] {
        // A director's category migration asks for every customer of two periods (130 000 at scale L): one read of
        // every account is a tenth of the time of 260 lists of 500.
        if ids.count > Self.onePassAbove {
            return Dictionary(uniqueKeysWithValues: try await everyAccountOwner().filter { ids.contains($0.id) })
        }
        let wanted = ids.sorted()
        var owners: [Int64: Int64] = [:]
        for start in stride(from: 0, to: wanted.count, by: 500) {
            let list = SQLQueryString.list(wanted[start..<min(start + 500, wanted.count)])
            owners.merge(try await pairs("SELECT id, COALESCE(owner_id, 0) AS v FROM accounts WHERE id IN \(list)")) { a, _ in a }
        }
        return owners
    }

    /// The owner now of each account of `ids` (0 for none), given and answered in id order: a director's category
    /// migration walks its 130 000 customers beside every account, where a dictionary of them was a tenth of its time.
    public func accountOwners(inIDOrder ids: [Int64]) async throws -> [Int64] {
        guard ids.count > Self.onePassAbove else {
            let owners = try await accountOwners(Set(ids))
            return ids.map { owners[$0] ?? 0 }
        }
        // A heap read in its physical order is nearly in id order, so the sort has little to merge.
        let every = try await everyAccountOwner().sorted { $0.id < $1.id }
        var owners = [Int64](repeating: 0, count: ids.count)
        var at = 0
        for (index, id) in ids.enumerated() {
            while at < every.count && every[at].id < id { at += 1 }
            if at < every.count && every[at].id == id { owners[index] = every[at].owner }
        }
        return owners
    }

    /// Every account's owner now (0 for none), in the order the database reads them.
    private func everyAccountOwner() async throws -> [(id: Int64, owner: Int64)] {
        let rows = try await integerRows(["SELECT id, COALESCE(owner_id, 0) AS v FROM accounts"], columns: ["id", "v"])
        return (0..<rows.count).map { (id: rows[$0, 0], owner: rows[$0, 1]) }
    }

    /// Each user's team (users without one are left out).
    public func teamsOfUsers() async throws -> [Int64: Int64] {
        try await pairs("SELECT id, team_id AS v FROM users WHERE team_id IS NOT NULL")
    }

    /// Each product's category.
    public func categoriesOfProducts() async throws -> [Int64: Int64] {
        try await pairs("SELECT id, category_id AS v FROM products")
    }

    /// Each region's parent (top regions are left out).
    public func regionParents() async throws -> [Int64: Int64] {
        try await pairs("SELECT id, parent_id AS v FROM regions WHERE parent_id IS NOT NULL")
    }

    private func pairs(_ query: SQLQueryString) async throws -> [Int64: Int64] {
        let rows = try await integerRows([query], columns: ["id", "v"])
        var result: [Int64: Int64] = [:]
        result.reserveCapacity(rows.count)
        for row in 0..<rows.count { result[rows[row, 0]] = rows[row, 1] }
        return result
    }
}

/// A customer's whole order history in brief, as `sales_customers` keeps it.
public struct CustomerRhythm: Sendable, Equatable {
    public let firstDay: LocalDate
    public let lastDay: LocalDate
    /// Median days between order days; nil with fewer than two.
    public let medianGap: Double?
}

extension Database {
    /// The rhythm of each of `accounts` over all its orders, whoever owns them (no access filter: callers use it only
    /// for someone who sees every order). `exceptLastDayIn`: leaves out the customers whose last order day falls in
    /// those days, in the database (a churn-risk read has no use for whoever bought lately, half of a director's
    /// customers at scale L).
    public func customerRhythms(_ accounts: [Int64], exceptLastDayIn skipped: ClosedRange<LocalDate>? = nil) async throws -> [Int64: CustomerRhythm] {
        let skip: SQLQueryString = skipped.map { " AND NOT (last_day BETWEEN \(bind: $0.lowerBound.key) AND \(bind: $0.upperBound.key))" } ?? ""
        // A director's retention asks for every quiet customer (90 000 at scale L): one read of every customer's row, as
        // integers, instead of lists of 500 decoded value by value. The median of whole-day gaps is a whole or half
        // day, so twice it is an integer (-1 for none).
        if accounts.count > Self.onePassAbove {
            let wanted = Set(accounts)
            let rows = try await integerRows([
                "SELECT account_id, first_day, last_day, COALESCE(CAST(median_gap_days * 2 AS BIGINT), -1) AS gap FROM sales_customers WHERE 1 = 1\(skip)",
            ], columns: ["account_id", "first_day", "last_day", "gap"])
            var rhythms: [Int64: CustomerRhythm] = [:]
            rhythms.reserveCapacity(min(wanted.count, rows.count))
            for row in 0..<rows.count where wanted.contains(rows[row, 0]) {
                rhythms[rows[row, 0]] = CustomerRhythm(firstDay: try LocalDate(key: Int(rows[row, 1])), lastDay: try LocalDate(key: Int(rows[row, 2])),
                                                       medianGap: rows[row, 3] < 0 ? nil : Double(rows[row, 3]) / 2)
            }
            return rhythms
        }
        let wanted = accounts.sorted()
        return try await read { sql in
            var rhythms: [Int64: CustomerRhythm] = [:]
            for start in stride(from: 0, to: wanted.count, by: 500) {
                let list = SQLQueryString.list(wanted[start..<min(start + 500, wanted.count)])
                for row in try await sql.raw("""
                    SELECT account_id, first_day, last_day, median_gap_days FROM sales_customers WHERE account_id IN \(list)\(skip)
                    """).all() {
                    rhythms[try row.decode(column: "account_id", as: Int64.self)] = CustomerRhythm(
                        firstDay: try LocalDate(key: try row.decode(column: "first_day", as: Int.self)),
                        lastDay: try LocalDate(key: try row.decode(column: "last_day", as: Int.self)),
                        medianGap: try row.decode(column: "median_gap_days", as: Double?.self))
                }
            }
            return rhythms
        }
    }
}
