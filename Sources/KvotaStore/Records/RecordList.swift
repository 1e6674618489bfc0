import Foundation
import KvotaCore
import SQLKit

/// How a kind of business record is listed: its table (aliased `r`), the columns a row is read from, and the orders
/// it can be read in. Every list goes through `Database.page`, which adds the access condition, so no list can
/// forget it.
struct RecordList {
    /// One order a list offers. Each has an index ending in the id (migrations 3 and 13), so a page, first or deep,
    /// is a short index range in either direction.
    struct SortColumn {
        /// The expression rows are ordered by, on `r`: never NULL (the engines disagree about where NULLs sort).
        let expression: String
        let isText: Bool

        /// A text column in any case.
        static func text(_ column: String) -> SortColumn { SortColumn(expression: "LOWER(r.\(column))", isText: true) }
        /// A number column (a time, a day, an amount); `missing` stands in for NULL.
        static func number(_ column: String, missing: Int64? = nil) -> SortColumn {
            SortColumn(expression: missing.map { "COALESCE(r.\(column), \($0))" } ?? "r.\(column)", isText: false)
        }
    }

    let kind: RecordKind
    let table: String
    let columns: String
    /// The orders by their key in `sort=` (first the default one).
    let sorts: [(key: String, column: SortColumn)]
    let defaultSort: ListSort

    func column(for sort: ListSort) throws -> SortColumn {
        guard let column = sorts.first(where: { $0.key == sort.key })?.column else {
            throw ValidationFailure([.invalid(field: "sort", reason: "expected one of \(sorts.map(\.key).joined(separator: ", ")), "
                                              + "with '-' before it for the other direction; got '\(sort.text)'")])
        }
        return column
    }
}

/// The order a list is read in: a key the list offers and the direction, written `amount` (ascending) or
/// `-amount` (descending) in a query.
public struct ListSort: Hashable, Sendable {
    public var key: String
    public var descending: Bool

    public init(_ key: String, descending: Bool = false) {
        self.key = key; self.descending = descending
    }

    /// `name`, `-amount`; nil for an empty text.
    public init?(_ text: String) {
        let descending = text.hasPrefix("-")
        let key = descending ? String(text.dropFirst()) : text
        guard !key.isEmpty else { return nil }
        self.init(key, descending: descending)
    }

    public var text: String { (descending ? "-" : "") + key }

    /// The same key the other way round.
    public var reversed: ListSort { ListSort(key, descending: !descending) }
}

/// What every list's filter shares: the page size, where the page starts, and the order.
public protocol PagedFilter: Sendable {
    var limit: Int { get set }
    var cursor: String? { get set }
    var sort: ListSort? { get set }
}

/// The sort key of the last row of a page and its id, as an opaque URL-safe cursor; it names its order, so a cursor
/// of one order is not taken for another's.
struct ListCursor: Equatable {
    enum Key: Equatable { case text(String), number(Int64) }
    let key: Key
    let id: Int64
    let sort: String

    var encoded: String {
        let key: String = switch key {
        case .text(let text): "t" + text
        case .number(let number): "n" + String(number)
        }
        let data = try! JSONEncoder().encode([key, String(id), sort])
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(key: Key, id: Int64, sort: String) {
        self.key = key; self.id = id; self.sort = sort
    }

    /// Nil for anything that is not a cursor a list gave out.
    init?(_ text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let parts = try? JSONDecoder().decode([String].self, from: data),
              parts.count == 3, let id = Int64(parts[1]), let tag = parts[0].first else { return nil }
        let value = String(parts[0].dropFirst())
        switch tag {
        case "t": key = .text(value)
        case "n": guard let number = Int64(value) else { return nil }; key = .number(number)
        default: return nil
        }
        self.id = id
        self.sort = parts[2]
    }
}

extension Database {
    /// One page of `list`'s records that the actor may act on this way, narrowed by `filters` (conditions on `r`), in
    /// the filter's order (the list's own when it names none).
    func page<Item: Sendable>(_ list: RecordList, filters: [SQLQueryString], paging: some PagedFilter, for actor: Actor,
                              action: AccessAction, decode: @escaping @Sendable (any SQLRow) throws -> Item) async throws -> RecordPage<Item> {
        _ = try AccessPolicy.require(actor, action, list.kind)
        let sort = paging.sort ?? list.defaultSort
        let column = try list.column(for: sort)
        var conditions = [RecordAccess.condition(actor, action, list.kind, row: "r")] + filters
        let key = column.expression
        if let text = paging.cursor {
            guard let cursor = ListCursor(text), cursor.sort == sort.text else {
                throw ValidationFailure([.invalid(field: "cursor", reason: "is not a cursor this list gave out")])
            }
            let bound: SQLQueryString
            switch (column.isText, cursor.key) {
            case (true, .text(let value)): bound = "(\(bind: value), \(bind: cursor.id))"
            case (false, .number(let value)): bound = "(\(bind: value), \(bind: cursor.id))"
            default: throw ValidationFailure([.invalid(field: "cursor", reason: "is not a cursor this list gave out")])
            }
            // A row-value comparison, not `a < x OR (a = x AND id < y)`: both engines turn it into one index range,
            // where the OR form made SQLite scan the index from the start (a page deep in 264 000 orders took 28 ms).
            conditions.append("(\(unsafeRaw: key), r.id) \(unsafeRaw: sort.descending ? "<" : ">") \(bound)")
        }
        let direction = sort.descending ? "DESC" : "ASC"
        let limit = max(1, min(paging.limit, PageSize.maximum))
        let rows = try await read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: list.columns), \(unsafeRaw: key) AS sort_key, r.id AS row_id FROM \(ident: list.table) AS r
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY \(unsafeRaw: key) \(unsafeRaw: direction), r.id \(unsafeRaw: direction) LIMIT \(bind: limit + 1)
                """).all()
        }
        let items = try rows.prefix(limit).map(decode)
        var next: String?
        if rows.count > limit, let last = rows.prefix(limit).last {
            let id = try last.decode(column: "row_id", as: Int64.self)
            let value: ListCursor.Key = column.isText
                ? .text(try last.decode(column: "sort_key", as: String.self))
                : .number(try last.decode(column: "sort_key", as: Int64.self))
            next = ListCursor(key: value, id: id, sort: sort.text).encoded
        }
        return RecordPage(items: items, next: next)
    }
}

extension Database {
    static let recordLists: [RecordKind: RecordList] = [
        .account: accountList, .contact: contactList, .lead: leadList, .deal: dealList, .activity: activityList, .order: orderList,
        .product: productList,
    ]

    /// The orders a kind's list offers (`sort=` keys) and the one it uses unless asked; nil for kinds without a list.
    public static func listSorts(_ kind: RecordKind) -> (keys: [String], standard: ListSort)? {
        recordLists[kind].map { ($0.sorts.map(\.key), $0.defaultSort) }
    }
}
