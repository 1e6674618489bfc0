import Foundation
import KvotaCore
import SQLKit

/// Compensation scheme versions: added, never changed (a change is a newer version), read by heads, directors,
/// analysts and admins.
extension Database {
    public func schemes(for actor: Actor) async throws -> [CompensationScheme] {
        _ = try AccessPolicy.require(actor, .list, .compensationScheme)
        return try await read { sql in try await Self.schemes(in: sql) }
    }

    public func scheme(_ id: CompensationScheme.ID, for actor: Actor) async throws -> CompensationScheme {
        _ = try AccessPolicy.require(actor, .read, .compensationScheme)
        guard let scheme = try await read({ sql in try await Self.schemes(in: sql, id: id).first }) else {
            throw AccessDenied.notFound(.compensationScheme, id: id.rawValue)
        }
        return scheme
    }

    public func addScheme(name: String?, appliesTo: CompensationScheme.AppliesTo?, effectiveFrom: LocalDate?, rules: PayRules?,
                          problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                          address: String? = nil) async throws -> CompensationScheme {
        _ = try AccessPolicy.require(actor, .create, .compensationScheme)
        var errors = problems
        let name = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        errors.check(!name.isEmpty && name.count <= 100, "name", "expected 1 to 100 characters")
        // A caller that could not read these has said so in `problems`.
        errors.check(appliesTo != nil || !problems.errors.isEmpty, "appliesTo", "is required")
        errors.check(effectiveFrom != nil || !problems.errors.isEmpty, "effectiveFrom", "is required")
        errors.check(rules != nil || !problems.errors.isEmpty, "rules", "is required")
        rules?.check(into: &errors)
        return try await write { sql in
            switch appliesTo {
            case .team(let id):
                errors.check(try await Self.exists("teams", id.rawValue, in: sql), "appliesTo", "no team \(id)")
            case .user(let id):
                errors.check(try await Self.exists("users", id.rawValue, in: sql), "appliesTo", "no user \(id)")
            case .role, nil: break
            }
            if let appliesTo, let effectiveFrom,
               try await Self.schemes(in: sql).contains(where: { $0.appliesTo == appliesTo && $0.effectiveFrom == effectiveFrom }) {
                errors.check(false, "effectiveFrom", "\(appliesTo) already has a scheme from \(effectiveFrom.iso); a change starts on a later day")
            }
            try errors.finish()
            let (kind, role, team, user): (String, String?, Int64?, Int64?) = switch appliesTo! {
            case .role(let r): ("role", r.rawValue, nil, nil)
            case .team(let t): ("team", nil, t.rawValue, nil)
            case .user(let u): ("user", nil, nil, u.rawValue)
            }
            let json = String(decoding: try Self.payEncoder.encode(rules!), as: UTF8.self)
            let row = try await sql.raw("""
                INSERT INTO pay_schemes (name, applies_kind, role, team_id, user_id, effective_from, rules, created_at, created_by)
                VALUES (\(bind: name), \(bind: kind), \(bind: role), \(bind: team), \(bind: user), \(bind: effectiveFrom!.key), \(bind: json),
                        \(bind: now.epochMilliseconds), \(bind: actor.userID.rawValue))
                RETURNING id
                """).first()
            let scheme = CompensationScheme(id: .init(try row!.decode(column: "id", as: Int64.self)), name: name, appliesTo: appliesTo!,
                                            effectiveFrom: effectiveFrom!, rules: rules!, createdAt: now)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "compensation scheme",
                                            entityID: scheme.id.rawValue,
                                            changes: AuditLog.created([("name", name), ("appliesTo", appliesTo!.description),
                                                                       ("effectiveFrom", effectiveFrom!.iso), ("rules", json)]),
                                            address: address), in: sql)
            return scheme
        }
    }

    static let payEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func schemes(in sql: any SQLDatabase, id: CompensationScheme.ID? = nil) async throws -> [CompensationScheme] {
        let condition: SQLQueryString = id.map { "WHERE id = \(bind: $0.rawValue)" } ?? ""
        return try await sql.raw("""
            SELECT id, name, applies_kind, role, team_id, user_id, effective_from, rules, created_at FROM pay_schemes \(condition)
            ORDER BY effective_from, id
            """).all().map { row in
            let appliesTo: CompensationScheme.AppliesTo
            switch try row.decode(column: "applies_kind", as: String.self) {
            case "role":
                let key = try row.decode(column: "role", as: String.self)
                guard let role = Role(rawValue: key) else { throw StoreError.query("pay_schemes.role: unknown '\(key)'") }
                appliesTo = .role(role)
            case "team": appliesTo = .team(Team.ID(try row.decode(column: "team_id", as: Int64.self)))
            default: appliesTo = .user(User.ID(try row.decode(column: "user_id", as: Int64.self)))
            }
            let rules = try JSONDecoder().decode(PayRules.self, from: Data(try row.decode(column: "rules", as: String.self).utf8))
            return CompensationScheme(id: .init(try row.decode(column: "id", as: Int64.self)), name: try row.decode(column: "name", as: String.self),
                                      appliesTo: appliesTo, effectiveFrom: try LocalDate(key: try row.decode(column: "effective_from", as: Int.self)),
                                      rules: rules, createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
        }
    }
}
