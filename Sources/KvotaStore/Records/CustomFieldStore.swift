import Foundation
import KvotaCore
import SQLKit

/// A filter on a custom field in a list: `custom.KEY=value` (equality; for a multiselect, having that option) or
/// `custom.KEY.from` / `.to` (a range of a number, money or date field, both inclusive).
public struct CustomCondition: Hashable, Sendable {
    public let key: String
    public var equals: String?
    public var from: String?
    public var to: String?

    public init(key: String, equals: String? = nil, from: String? = nil, to: String? = nil) {
        self.key = key; self.equals = equals; self.from = from; self.to = to
    }
}

/// The fields admins add to record kinds, and their values on records.
extension Database {
    public func customFields(for actor: Actor, kind: RecordKind? = nil) async throws -> [CustomField] {
        _ = try AccessPolicy.require(actor, .list, .customField)
        return try await read { sql in try await Self.customFields(kind, in: sql) }
    }

    public func addCustomField(_ field: CustomField, problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                               address: String? = nil) async throws -> CustomField {
        _ = try AccessPolicy.require(actor, .create, .customField)
        var errors = problems
        var field = field
        field.label = field.label.trimmingCharacters(in: .whitespacesAndNewlines)
        errors.check(CustomField.kinds.contains(field.kind), "kind", "expected one of: \(CustomField.kinds.map(\.rawValue).joined(separator: ", "))")
        errors.check(field.key.range(of: "^[a-z][a-z0-9_]{0,39}$", options: .regularExpression) != nil, "key",
                     "expected 1 to 40 lower-case letters, digits or underscores, starting with a letter")
        Self.check(&field, into: &errors)
        return try await write { sql in
            let existing = try await Self.customFields(field.kind, in: sql)
            errors.check(!existing.contains { $0.key == field.key }, "key", "\(field.kind) already has a field '\(field.key)'")
            try errors.finish()
            field.position = (existing.map(\.position).max() ?? 0) + 1
            let row = try await sql.raw("""
                INSERT INTO custom_fields (kind, key, label, type, options, required, position)
                VALUES (\(bind: field.kind.rawValue), \(bind: field.key), \(bind: field.label), \(bind: field.type.rawValue),
                        \(bind: Self.json(field.options)), \(bind: field.required), \(bind: field.position))
                RETURNING id
                """).first()
            field.id = CustomField.ID(try row!.decode(column: "id", as: Int64.self))
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "custom field", entityID: field.id.rawValue,
                                            changes: AuditLog.created(Self.fields(of: field)), address: address), in: sql)
            return field
        }
    }

    /// Relabels, reorders, makes required or not, retires (`active: false`) a field, or changes its options; an
    /// option that records still hold is not taken away.
    public func updateCustomField(_ id: CustomField.ID, label: String?, options: [String]?, required: Bool?, active: Bool?, position: Int?,
                                  expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws -> CustomField {
        _ = try AccessPolicy.require(actor, .update, .customField)
        return try await write { sql in
            try await sql.lockForChange("custom_fields", id: id.rawValue)
            let old = try await Self.customField(id, in: sql)
            try VersionConflict.check(.customField, id: id.rawValue, expected: expectedVersion, current: old.version)
            var new = old
            var errors = ValidationFailure.Collector()
            if let label { new.label = label.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let options { new.options = options }
            if let required { new.required = required }
            if let active { new.active = active }
            if let position {
                errors.check(position >= 1, "position", "must be 1 or more")
                new.position = position
            }
            Self.check(&new, into: &errors)
            for option in old.options where !new.options.contains(option) {
                let held = try await Self.count(sql, """
                    SELECT COUNT(*) AS n FROM custom_values WHERE field_id = \(bind: id.rawValue) AND value = \(bind: option)
                    """)
                errors.check(held == 0, "options", "\(held) records hold '\(option)'; change them first")
            }
            try errors.finish()
            let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            guard !changes.isEmpty else { return old }
            new.version = old.version + 1
            try await sql.raw("""
                UPDATE custom_fields SET label = \(bind: new.label), options = \(bind: Self.json(new.options)), required = \(bind: new.required),
                    active = \(bind: new.active), position = \(bind: new.position), version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "custom field", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            return new
        }
    }

    /// Deletes a field no record has a value in; one with values is retired instead.
    public func deleteCustomField(_ id: CustomField.ID, by actor: Actor, at now: Date, address: String? = nil) async throws {
        _ = try AccessPolicy.require(actor, .delete, .customField)
        try await write { sql in
            let old = try await Self.customField(id, in: sql)
            try await DeletionRules.clear("custom_fields", id: id.rawValue, kind: "custom field",
                                          instead: "set it to false to retire the custom field instead", in: sql)
            try await sql.raw("DELETE FROM custom_fields WHERE id = \(bind: id.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "custom field", entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)), address: address), in: sql)
        }
    }

    // MARK: - Values

    /// The custom values of records of `kind`, by record id.
    static func customValues(_ kind: RecordKind, of ids: [Int64], in sql: any SQLDatabase) async throws -> [Int64: [String: CustomValue]] {
        guard !ids.isEmpty, CustomField.kinds.contains(kind) else { return [:] }
        var values: [Int64: [String: CustomValue]] = [:]
        let list = SQLGroupExpression(SQLList(ids.map { SQLBind($0) }))
        // One query a page, with each value's field: list pages and record reads all come through here.
        for row in try await sql.raw("""
            SELECT v.record_id AS record_id, v.value AS value, f.key AS key, f.type AS type
            FROM custom_values v JOIN custom_fields f ON f.id = v.field_id
            WHERE v.record_id IN \(list) AND f.kind = \(bind: kind.rawValue)
            ORDER BY v.record_id, v.field_id, v.value
            """).all() {
            let record = try row.decode(column: "record_id", as: Int64.self)
            let key = try row.decode(column: "key", as: String.self)
            guard let type = CustomField.FieldType(rawValue: try row.decode(column: "type", as: String.self)) else { continue }
            let text = try row.decode(column: "value", as: String.self)
            let value: CustomValue? = switch type {
            case .text: .text(text)
            case .number: Double(text).map(CustomValue.number)
            case .money: Int64(text).map(CustomValue.money)
            case .date: try? .date(LocalDate(iso: text))
            case .select: .choice(text)
            case .multiselect:
                if case .choices(let chosen) = values[record]?[key] { .choices(chosen + [text]) } else { .choices([text]) }
            case .boolean: .bool(text == "true")
            }
            if let value { values[record, default: [:]][key] = value }
        }
        return values
    }

    /// Checks a change of custom values against the kind's fields; the values after it.
    static func customValues(_ kind: RecordKind, applying patch: [String: JSONValue]?, to current: [String: CustomValue], isNew: Bool,
                             in sql: any SQLDatabase, into errors: inout ValidationFailure.Collector) async throws -> [String: CustomValue] {
        guard patch != nil || isNew else { return current }
        return CustomField.apply(patch, to: current, fields: try await customFields(kind, in: sql), isNew: isNew, into: &errors)
    }

    /// Writes the values of one record where they changed.
    static func writeCustomValues(_ kind: RecordKind, id: Int64, values: [String: CustomValue], old: [String: CustomValue],
                                  in sql: any SQLDatabase) async throws {
        guard values != old else { return }
        let fields = try await customFields(kind, in: sql)
        for field in fields where values[field.key] != old[field.key] {
            try await sql.raw("DELETE FROM custom_values WHERE field_id = \(bind: field.id.rawValue) AND record_id = \(bind: id)").run()
            guard let value = values[field.key] else { continue }
            let rows: [(String, Double?)] = switch value {
            case .text(let text): [(text, nil)]
            case .number(let number): [(value.text, number)]
            case .money(let minor): [(String(minor), Double(minor))]
            case .date(let day): [(day.iso, Double(day.dayNumber))]
            case .choice(let option): [(option, nil)]
            case .choices(let options): options.map { ($0, nil) }
            case .bool(let flag): [(flag ? "true" : "false", flag ? 1 : 0)]
            }
            for (text, number) in rows {
                try await sql.raw("""
                    INSERT INTO custom_values (field_id, record_id, value, number)
                    VALUES (\(bind: field.id.rawValue), \(bind: id), \(bind: text), \(bind: number))
                    """).run()
            }
        }
    }

    static func deleteCustomValues(_ kind: RecordKind, id: Int64, in sql: any SQLDatabase) async throws {
        try await sql.raw("""
            DELETE FROM custom_values WHERE record_id = \(bind: id)
                AND field_id IN (SELECT id FROM custom_fields WHERE kind = \(bind: kind.rawValue))
            """).run()
    }

    /// List conditions for custom-field filters on rows aliased `r`.
    static func customConditions(_ kind: RecordKind, _ conditions: [CustomCondition], in database: Database) async throws -> [SQLQueryString] {
        guard !conditions.isEmpty else { return [] }
        let fields = try await database.read { sql in try await customFields(kind, in: sql) }
        var errors = ValidationFailure.Collector()
        var result: [SQLQueryString] = []
        for condition in conditions {
            let name = "custom.\(condition.key)"
            guard let field = fields.first(where: { $0.key == condition.key }) else {
                errors.check(false, name, "no such field")
                continue
            }
            if let equals = condition.equals {
                var text = equals
                if field.type == .select || field.type == .multiselect {
                    text = field.options.first { $0.lowercased() == equals.lowercased() } ?? equals
                }
                result.append("r.id IN (SELECT record_id FROM custom_values WHERE field_id = \(bind: field.id.rawValue) AND value = \(bind: text))")
            }
            for (bound, op, suffix) in [(condition.from, ">=", "from"), (condition.to, "<=", "to")] {
                guard let bound else { continue }
                let number: Double? = switch field.type {
                case .number, .money: Double(bound)
                case .date: (try? LocalDate(iso: bound)).map { Double($0.dayNumber) }
                default: nil
                }
                guard let number else {
                    errors.check(false, "\(name).\(suffix)", field.type == .date ? "expected a date YYYY-MM-DD" : "expected a number")
                    continue
                }
                result.append("""
                    r.id IN (SELECT record_id FROM custom_values WHERE field_id = \(bind: field.id.rawValue) AND number \(unsafeRaw: op) \(bind: number))
                    """)
            }
        }
        try errors.finish()
        return result
    }

    // MARK: - Rows

    static func customFields(_ kind: RecordKind?, in sql: any SQLDatabase) async throws -> [CustomField] {
        let condition: SQLQueryString = kind.map { "WHERE kind = \(bind: $0.rawValue)" } ?? ""
        return try await sql.raw("""
            SELECT id, kind, key, label, type, options, required, active, position, version FROM custom_fields \(condition)
            ORDER BY kind, position, id
            """).all().map(customField(from:))
    }

    static func customField(_ id: CustomField.ID, in sql: any SQLDatabase) async throws -> CustomField {
        guard let row = try await sql.raw("""
            SELECT id, kind, key, label, type, options, required, active, position, version FROM custom_fields WHERE id = \(bind: id.rawValue)
            """).first() else { throw AccessDenied.notFound(.customField, id: id.rawValue) }
        return try customField(from: row)
    }

    private static func customField(from row: any SQLRow) throws -> CustomField {
        let kindKey = try row.decode(column: "kind", as: String.self), typeKey = try row.decode(column: "type", as: String.self)
        guard let kind = RecordKind(rawValue: kindKey), let type = CustomField.FieldType(rawValue: typeKey) else {
            throw StoreError.query("custom_fields: unknown kind '\(kindKey)' or type '\(typeKey)'")
        }
        return CustomField(id: .init(try row.decode(column: "id", as: Int64.self)), kind: kind, key: try row.decode(column: "key", as: String.self),
                           label: try row.decode(column: "label", as: String.self), type: type,
                           options: try JSONDecoder().decode([String].self, from: Data(try row.decode(column: "options", as: String.self).utf8)),
                           required: try row.decode(column: "required", as: Bool.self), active: try row.decode(column: "active", as: Bool.self),
                           position: try row.decode(column: "position", as: Int.self), version: try row.decode(column: "version", as: Int64.self))
    }

    /// What is wrong with a field's label and options, whatever the database holds.
    private static func check(_ field: inout CustomField, into errors: inout ValidationFailure.Collector) {
        errors.check(!field.label.isEmpty && field.label.count <= 100, "label", "expected 1 to 100 characters")
        field.options = field.options.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if field.type == .select || field.type == .multiselect {
            errors.check((1...100).contains(field.options.count), "options", "a \(field.type) field needs 1 to 100 options")
            errors.check(field.options.allSatisfy { (1...100).contains($0.count) }, "options", "each option is 1 to 100 characters")
            errors.check(Set(field.options.map { $0.lowercased() }).count == field.options.count, "options", "options must differ")
        } else {
            errors.check(field.options.isEmpty, "options", "only select and multiselect fields have options")
        }
    }

    private static func fields(of field: CustomField) -> [(String, String?)] {
        [("kind", field.kind.rawValue), ("key", field.key), ("label", field.label), ("type", field.type.rawValue),
         ("options", field.options.isEmpty ? nil : field.options.joined(separator: ", ")), ("required", String(field.required)),
         ("active", String(field.active)), ("position", String(field.position))]
    }
}

extension Database {
    /// The audit lines of a change of custom values, one per field, named `custom.KEY`.
    static func customChanges(_ old: [String: CustomValue], _ new: [String: CustomValue]) -> [AuditEntry.FieldChange] {
        Set(old.keys).union(new.keys).sorted().compactMap { key in
            old[key] == new[key] ? nil : AuditEntry.FieldChange("custom.\(key)", old: old[key]?.text, new: new[key]?.text)
        }
    }

    /// Loads the custom values of `records` of `kind` into them.
    static func withCustom<Record>(_ records: [Record], _ kind: RecordKind, id: (Record) -> Int64,
                                   set: (inout Record, [String: CustomValue]) -> Void, in sql: any SQLDatabase) async throws -> [Record] {
        let values = try await customValues(kind, of: records.map(id), in: sql)
        guard !values.isEmpty else { return records }
        return records.map { record in
            var record = record
            set(&record, values[id(record)] ?? [:])
            return record
        }
    }
}
