import Foundation
import KvotaCore
import SQLKit

/// What rows name besides their own fields, read one row at a time: the records other columns point at, and the
/// custom fields. Used by the imports of a few thousand rows (contacts, deals, calls); orders batch theirs
/// (OrderImportPlan).
extension ImportRow {
    /// The id of the record `self[field]` names; nil for an empty cell, and a problem for one that names none.
    func reference(_ field: String, _ lookup: ImportLookup, kind: String, in sql: any SQLDatabase,
                   into errors: inout ValidationFailure.Collector) async throws -> Int64? {
        guard let text = self[field] else { return nil }
        switch ImportLookup.value(try await lookup.ids([text], in: sql), text, kind: kind) {
        case .success(let id): return id
        case .failure(let reason):
            errors.check(false, field, reason.text)
            return nil
        }
    }

    /// A quantity or amount cell in fixed point with `digits` decimals (thousandths, minor units); nil for an empty
    /// cell, and a problem for one that is no such number or is negative.
    func amount(_ field: String, digits: Int, into problems: inout [ImportProblem]) -> Int64? {
        guard let text = self[field] else { return nil }
        guard let value = ImportText.minorUnits(text, digits: digits), value >= 0 else {
            problems.append(problem(field, "expected a number, not negative, with at most \(digits) decimals"))
            return nil
        }
        return value
    }

    /// The row's `custom.KEY` cells as the patch's custom values; a key the kind does not have, or a cell that is
    /// not its field's type, is a problem named at the column.
    func custom(_ kind: RecordKind, fields: [CustomField], into errors: inout ValidationFailure.Collector) -> [String: JSONValue]? {
        let keys = self.fields.filter { $0.hasPrefix("custom.") }
        guard !keys.isEmpty else { return nil }
        var values: [String: JSONValue] = [:]
        for name in keys {
            let key = String(name.dropFirst(7))
            // A key the kind does not have is named by the fields' own check, as the API names it.
            guard let field = fields.first(where: { $0.key == key && $0.kind == kind }) else {
                values[key] = self[name].map(JSONValue.string) ?? .null
                continue
            }
            guard let value = ImportText.customValue(self[name], type: field.type) else {
                let expected = switch field.type {
                case .number: "a number"
                case .money: "an amount, e.g. 1 234,50"
                case .date: "a date, YYYY-MM-DD or DD.MM.YYYY"
                case .boolean: "yes or no"
                case .text, .select, .multiselect: "text"
                }
                errors.check(false, name, "expected \(expected)")
                continue
            }
            values[key] = value
        }
        return values
    }
}

extension Database {
    /// The record of `kind` a row with this external id updates, or nil (a new one); a problem when the importer may
    /// not change it.
    static func importTarget(_ kind: RecordKind, externalID: String?, for actor: Actor,
                             in sql: any SQLDatabase) async throws -> (id: Int64, version: Int64)? {
        guard let externalID, let table = RecordAccess.table(kind) else { return nil }
        guard externalID.count <= 100 else { throw ValidationFailure([.invalid(field: "external_id", reason: "must be at most 100 characters")]) }
        guard let row = try await sql.raw("""
            SELECT r.id, r.version, \(RecordAccess.ownerExpression(kind, row: "r")) AS owner FROM \(ident: table) AS r
            WHERE r.external_id = \(bind: externalID)
            """).first() else { return nil }
        let owner = try row.decode(column: "owner", as: Int64?.self).map { User.ID($0) }
        guard AccessPolicy.allows(actor, .update, kind, owner: owner) else {
            throw ValidationFailure([.invalid(field: "external_id", reason: "matches a \(kind.rawValue) you may not change")])
        }
        return (try row.decode(column: "id", as: Int64.self), try row.decode(column: "version", as: Int64.self))
    }

    /// Keeps the id a new record had in the system it came from, so the next import of the file updates it.
    static func setExternalID(_ kind: RecordKind, id: Int64, to externalID: String?, in sql: any SQLDatabase) async throws {
        guard let externalID, let table = RecordAccess.table(kind) else { return }
        try await sql.raw("UPDATE \(ident: table) SET external_id = \(bind: externalID) WHERE id = \(bind: id)").run()
    }
}

extension ImportLookup {
    /// Contacts by external id, email, or name.
    static let contacts = ImportLookup(table: "contacts", columns: [],
                                       keys: [Key(column: "external_id"), Key(column: "email", normalise: { $0.lowercased() }),
                                              Key(column: "name", anyCase: true)])
    static let deals = ImportLookup(table: "deals", columns: [], keys: [Key(column: "external_id")])
    static let pipelines = ImportLookup(table: "pipelines", columns: [], keys: [Key(column: "name", anyCase: true)])
}
