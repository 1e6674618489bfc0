import Foundation
import KvotaCore
import SQLKit

/// Sales territories: a tree (country → district → city) that reports roll up. Admins keep it.
extension Database {
    /// Every region, parents before children, each level by name.
    public func regions() async throws -> [Region] {
        let all = try await read { sql in
            try await sql.raw("SELECT id, parent_id, code, name FROM regions ORDER BY name, id").all().map(Self.region(from:))
        }
        // Depth-first from the roots, so a client can draw the tree in one pass.
        let children = Dictionary(grouping: all) { $0.parentID }
        var ordered: [Region] = []
        func visit(_ parent: Region.ID?) {
            for region in children[parent] ?? [] {
                ordered.append(region)
                visit(region.id)
            }
        }
        visit(nil)
        return ordered
    }

    /// Every sales channel, by name.
    public func channels() async throws -> [Channel] {
        try await read { sql in
            try await sql.raw("SELECT id, code, name, kind FROM channels ORDER BY name, id").all().map { row in
                let kind = try row.decode(column: "kind", as: String.self)
                return Channel(id: .init(try row.decode(column: "id", as: Int64.self)), code: try row.decode(column: "code", as: String.self),
                               name: try row.decode(column: "name", as: String.self), kind: ChannelKind(rawValue: kind) ?? .custom)
            }
        }
    }

    /// Adds a sales channel. Channels are kept with the territories (the access policy's `region` kind): both are
    /// the company's map of where and how it sells, changed by admins.
    public func addChannel(code: String, name: String, kind: ChannelKind?, by actor: Actor, at now: Date,
                           address: String? = nil) async throws -> Channel {
        _ = try AccessPolicy.require(actor, .create, .region)
        var errors = ValidationFailure.Collector()
        let (code, name) = Self.codeAndName(code, name, into: &errors)
        errors.check(kind != nil, "kind", "is required")
        return try await write { sql in
            errors.check(try await Self.count(sql, "SELECT COUNT(*) AS n FROM channels WHERE code = \(bind: code)") == 0,
                         "code", "'\(code)' is already another channel's code")
            try errors.finish()
            let row = try await sql.raw("""
                INSERT INTO channels (code, name, kind) VALUES (\(bind: code), \(bind: name), \(bind: kind!.rawValue)) RETURNING id
                """).first()
            let channel = Channel(id: .init(try row!.decode(column: "id", as: Int64.self)), code: code, name: name, kind: kind!)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "channel", entityID: channel.id.rawValue,
                                            changes: AuditLog.created([("code", code), ("name", name), ("kind", kind!.rawValue)]),
                                            address: address), in: sql)
            return channel
        }
    }

    public func addRegion(code: String, name: String, parentID: Region.ID?, by actor: Actor, at now: Date,
                          address: String? = nil) async throws -> Region {
        _ = try AccessPolicy.require(actor, .create, .region)
        var errors = ValidationFailure.Collector()
        let (code, name) = Self.codeAndName(code, name, into: &errors)
        return try await write { sql in
            errors.check(try await Self.count(sql, "SELECT COUNT(*) AS n FROM regions WHERE code = \(bind: code)") == 0,
                         "code", "'\(code)' is already another region's code")
            if let parent = parentID {
                errors.check(try await Self.count(sql, "SELECT COUNT(*) AS n FROM regions WHERE id = \(bind: parent.rawValue)") == 1,
                             "parentId", "no region \(parent)")
            }
            try errors.finish()
            let row = try await sql.raw("""
                INSERT INTO regions (parent_id, code, name) VALUES (\(bind: parentID?.rawValue), \(bind: code), \(bind: name)) RETURNING id
                """).first()
            let region = Region(id: .init(try row!.decode(column: "id", as: Int64.self)), parentID: parentID, code: code, name: name)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "region", entityID: region.id.rawValue,
                                            changes: AuditLog.created([("code", code), ("name", name), ("parent", parentID?.description)]),
                                            address: address), in: sql)
            return region
        }
    }

    /// A region's or channel's code and name as stored (trimmed), with their problems.
    static func codeAndName(_ code: String, _ name: String, into errors: inout ValidationFailure.Collector) -> (String, String) {
        let code = code.trimmingCharacters(in: .whitespaces), name = name.trimmingCharacters(in: .whitespaces)
        errors.check(!code.isEmpty && code.count <= 20, "code", "expected 1 to 20 characters")
        errors.check(!name.isEmpty && name.count <= 200, "name", "expected 1 to 200 characters")
        return (code, name)
    }

    static func region(from row: any SQLRow) throws -> Region {
        Region(id: .init(try row.decode(column: "id", as: Int64.self)),
               parentID: try row.decode(column: "parent_id", as: Int64?.self).map { Region.ID($0) },
               code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self))
    }
}

extension Database {
    /// A subquery for the ids of `region` and every region under it: a territory filter covers its sub-regions.
    static func regionSubtree(_ region: Region.ID) -> SQLQueryString {
        """
        WITH RECURSIVE subtree (id) AS (
            SELECT id FROM regions WHERE id = \(bind: region.rawValue)
            UNION ALL SELECT g.id FROM regions g JOIN subtree s ON g.parent_id = s.id
        ) SELECT id FROM subtree
        """
    }
}
