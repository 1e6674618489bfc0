/// A value on its way into a bulk load, already in the stored form.
enum BulkValue: Sendable {
    case int(Int64)
    case text(String)
    case bool(Bool)
    case null
}

/// Rows for one table, in column order. Bulk loads bypass SQLKit's `Encodable` binds: at 10 M rows their cost
/// dominates, and these values need no encoding.
struct BulkTable: Sendable {
    let name: String
    let columns: [String]
    var rows: [[BulkValue]]
    /// Set for a table of sums: a row whose key (these columns) is already there adds its other columns to the stored
    /// row's instead of going in.
    var summedBy: [String]? = nil
}

extension Optional where Wrapped == String {
    var bulk: BulkValue { map(BulkValue.text) ?? .null }
}

extension Optional where Wrapped == Int64 {
    var bulk: BulkValue { map(BulkValue.int) ?? .null }
}

extension Optional where Wrapped == Int {
    var bulk: BulkValue { map { .int(Int64($0)) } ?? .null }
}
