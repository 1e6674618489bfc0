import Foundation
import KvotaCore
import SQLKit

/// How a file names the records of one table: keys tried in order (an external id, then a legal id, then a name…).
/// A file of 100 000 lines names a few thousand accounts and products, so they are looked up a few hundred at a
/// time before any row is written, not one query per row.
struct ImportLookup: Sendable {
    struct Key: Sendable {
        let column: String
        /// Names compare in any case; ids and emails compare as stored (after `normalise`).
        var anyCase = false
        var normalise: @Sendable (String) -> String = { $0 }
    }

    let table: String
    /// The columns the caller reads from each found row (besides `id`).
    let columns: [String]
    let keys: [Key]
    /// A further condition on the rows that count (e.g. active users only).
    var condition: String?

    /// What a text names: one record, or several (an ambiguous name).
    enum Found<Value: Sendable>: Sendable {
        case one(Value)
        case several(Int)
    }

    /// Each text that names a record, decoded once however many rows name it; texts missing from the answer name none.
    func find<Value: Sendable>(_ texts: Set<String>, in sql: any SQLDatabase,
                               as decode: (any SQLRow) throws -> Value) async throws -> [String: Found<Value>] {
        var found: [String: Found<Value>] = [:]
        var left = texts
        for key in keys where !left.isEmpty {
            let wanted = Dictionary(grouping: left, by: key.normalise)
            var values = Array(wanted.keys)
            let column: SQLQueryString = "\(ident: key.column)"
            var folded = false
            while !values.isEmpty {
                for start in stride(from: 0, to: values.count, by: 500) {
                    let chunk = values[start..<min(start + 500, values.count)]
                    let binds: [SQLQueryString] = chunk.map {
                        !key.anyCase ? "\(bind: $0)" : folded ? "\(bind: $0.lowercased())" : "LOWER(\(bind: $0))"
                    }
                    let target: SQLQueryString = !key.anyCase ? column : folded ? "\(unsafeRaw: TextFold.functionName)(" + column + ")"
                        : "LOWER(" + column + ")"
                    let extra: SQLQueryString = condition.map { " AND \(unsafeRaw: $0)" } ?? ""
                    let rows = try await sql.raw("""
                        SELECT id, \(ident: key.column) AS lookup_key\(unsafeRaw: columns.map { ", \($0)" }.joined())
                        FROM \(ident: table) WHERE \(target) IN (\(binds.joined(separator: ", ")))\(extra) ORDER BY id
                        """).all()
                    // SQLite folds only ASCII in LOWER(); comparing the stored text folded here keeps both engines alike.
                    var matches: [String: [Value]] = [:]
                    for row in rows {
                        let stored = try row.decode(column: "lookup_key", as: String.self)
                        matches[key.anyCase ? stored.lowercased() : stored, default: []].append(try decode(row))
                    }
                    for value in chunk {
                        guard let rows = matches[key.anyCase ? value.lowercased() : value] else { continue }
                        for text in wanted[value] ?? [] {
                            found[text] = rows.count == 1 ? .one(rows[0]) : .several(rows.count)
                            left.remove(text)
                        }
                    }
                }
                // SQLite's LOWER, which the name's index is built with, misses "ООО «ВЕКТОР»" for "ООО «Вектор»": names
                // with letters past ASCII it did not find are asked again, folded by Swift (`TextFold`), without the index.
                guard key.anyCase, sql.dialect.name == "sqlite", !folded else { break }
                folded = true
                values = values.filter { value in TextFold.needed(for: value) && (wanted[value] ?? []).contains(where: left.contains) }
            }
        }
        return found
    }
}

extension ImportLookup {
    /// Accounts by external id, legal id, or name.
    static let accounts = ImportLookup(
        table: "accounts", columns: ["owner_id", "channel_id", "region_id"],
        keys: [Key(column: "external_id"), Key(column: "legal_id", normalise: Account.normalisedLegalID),
               Key(column: "name", anyCase: true)])
    /// Products by SKU, external id, or name.
    static let products = ImportLookup(
        table: "products", columns: ["price_minor", "cost_minor", "currency"],
        keys: [Key(column: "sku"), Key(column: "external_id"), Key(column: "name", anyCase: true)])
    /// Active users by sign-in email or name.
    static let users = ImportLookup(
        table: "users", columns: [], keys: [Key(column: "email_key", normalise: { $0.lowercased() }), Key(column: "name", anyCase: true)],
        condition: "active = TRUE")
    static let channels = ImportLookup(table: "channels", columns: [],
                                       keys: [Key(column: "code", anyCase: true), Key(column: "name", anyCase: true)])
    static let regions = ImportLookup(table: "regions", columns: [],
                                      keys: [Key(column: "code", anyCase: true), Key(column: "name", anyCase: true)])

    /// Just the id.
    func ids(_ texts: Set<String>, in sql: any SQLDatabase) async throws -> [String: Found<Int64>] {
        try await find(texts, in: sql) { try $0.decode(column: "id", as: Int64.self) }
    }

    /// The record `text` names, or the reason it names none.
    static func value<Value>(_ found: [String: Found<Value>], _ text: String, kind: String) -> Result<Value, ImportReason> {
        switch found[text] {
        case .one(let value): return .success(value)
        case .several(let count): return .failure(.init("\(count) \(kind)s are called '\(text)'; give its id or another key"))
        case nil: return .failure(.init("no \(kind) '\(text)'"))
        }
    }
}

/// Why a cell cannot be imported.
struct ImportReason: Error, Sendable {
    let text: String
    init(_ text: String) { self.text = text }
}
