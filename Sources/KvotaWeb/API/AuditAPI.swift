import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `GET /api/v1/audit?record=deal:42&actor=7&from=…&to=…&limit=…&cursor=…`: the trail, newest first, for admins and
/// directors. `from` and `to` are ISO 8601 times (`to` exclusive); `cursor` is the `nextCursor` of the previous page.
struct AuditAPI {
    let database: Database

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/audit") { request, context -> Response in
            _ = try AccessPolicy.require(context.actor, .list, .audit)
            let query = try Self.query(request.uri.queryParameters)
            let entries = try await database.auditEntries(query)
            var page = Page(items: entries.map(AuditEntryDTO.init))
            if entries.count == query.limit, let last = entries.last { page.nextCursor = String(last.id.rawValue) }
            return try JSONBody.response(page)
        }
    }

    static func query(_ parameters: Parameters) throws -> AuditQuery {
        var query = AuditQuery()
        var errors = ValidationFailure.Collector()
        if let record = parameters["record"] {
            let parts = record.split(separator: ":", maxSplits: 1).map(String.init)
            let kind = parts.first.flatMap { RecordKind(rawValue: $0) }
            let id = parts.count == 2 ? Int64(parts[1]) : nil
            errors.check(kind != nil && (parts.count == 1 || id != nil), "record",
                         "expected a record kind and an optional id like deal:42, got '\(record)'")
            query.entity = kind.map { $0 == .integration ? "token" : $0.rawValue }
            query.entityID = id
        }
        if let actor = parameters["actor"] {
            errors.check(Int64(actor) != nil, "actor", "expected a user id, got '\(actor)'")
            query.actorID = Int64(actor).map { User.ID($0) }
        }
        for (name, keyPath) in [("from", \AuditQuery.from), ("to", \AuditQuery.to)] {
            guard let text = parameters[Substring(name)] else { continue }
            let date = try? Date(String(text), strategy: .iso8601)
            errors.check(date != nil, name, "expected a time like 2026-11-23T09:00:00Z, got '\(text)'")
            query[keyPath: keyPath] = date
        }
        query.limit = ListParameters.number(parameters, "limit", query.limit, in: 1...500, into: &errors)
        if let cursor = parameters["cursor"] {
            errors.check(Int64(cursor) != nil, "cursor", "expected the nextCursor of the previous page, got '\(cursor)'")
            query.before = Int64(cursor).map { AuditEntry.ID($0) }
        }
        try errors.finish()
        return query
    }
}
