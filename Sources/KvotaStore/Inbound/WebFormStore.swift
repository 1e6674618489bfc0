import Foundation
import KvotaCore
import SQLKit

/// Web forms (issue 9): everyone reads them, admins publish, change and retire them. A retired form's posts are
/// refused; its leads stay.
extension Database {
    public func webForms(for actor: Actor) async throws -> [WebForm] {
        _ = try AccessPolicy.require(actor, .list, .webForm)
        return try await read { sql in try await Self.webForms("TRUE", in: sql) }
    }

    public func webForm(_ id: WebForm.ID, for actor: Actor) async throws -> WebForm {
        _ = try AccessPolicy.require(actor, .read, .webForm)
        return try await read { sql in try await Self.webForm(id, in: sql) }
    }

    /// The form a post to `/f/{key}` names, if it is published and in use.
    public func activeWebForm(key: String) async throws -> WebForm? {
        try await read { sql in try await Self.webForms("form_key = \(bind: key) AND active = \(bind: true)", in: sql).first }
    }

    /// The custom fields a post may fill in: the leads', which a form's own fields may be named after.
    public func webFormCustomFields() async throws -> [CustomField] {
        try await read { sql in try await Self.customFields(.lead, in: sql) }
    }

    /// Publishes a form under `key` (a random one the web layer makes); it takes web-form leads unless it names a source.
    public func addWebForm(_ patch: WebFormPatch, key: String, by actor: Actor, at now: Date, address: String? = nil) async throws -> WebForm {
        _ = try AccessPolicy.require(actor, .create, .webForm)
        var errors = ValidationFailure.Collector()
        errors.check(patch.name != nil, "name", "is required")
        let blank = WebForm(id: 0, key: key, name: "", source: .webForm, regionID: nil, redirectURL: nil, active: true, createdAt: now)
        var form = patch.applied(to: blank, into: &errors)
        return try await write { sql in
            try await Self.checkWebForm(form, old: nil, in: sql, into: &errors)
            try errors.finish()
            let row = try await sql.raw("""
                INSERT INTO web_forms (form_key, name, source, region_id, redirect_url, active, created_at)
                VALUES (\(bind: form.key), \(bind: form.name), \(bind: form.source.rawValue), \(bind: form.regionID?.rawValue),
                        \(bind: form.redirectURL), \(bind: form.active), \(bind: now.epochMilliseconds))
                RETURNING id
                """).first()
            form.id = WebForm.ID(try row!.decode(column: "id", as: Int64.self))
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "web form", entityID: form.id.rawValue,
                                            changes: AuditLog.created(Self.fields(of: form)), address: address), in: sql)
            return form
        }
    }

    public func updateWebForm(_ id: WebForm.ID, _ patch: WebFormPatch, expectedVersion: Int64?, by actor: Actor, at now: Date,
                              address: String? = nil) async throws -> WebForm {
        _ = try AccessPolicy.require(actor, .update, .webForm)
        return try await write { sql in
            try await sql.lockForChange("web_forms", id: id.rawValue)
            let old = try await Self.webForm(id, in: sql)
            try VersionConflict.check(.webForm, id: id.rawValue, expected: expectedVersion, current: old.version)
            var errors = ValidationFailure.Collector()
            var new = patch.applied(to: old, into: &errors)
            try await Self.checkWebForm(new, old: old, in: sql, into: &errors)
            try errors.finish()
            let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            guard !changes.isEmpty else { return old }
            new.version = old.version + 1
            try await sql.raw("""
                UPDATE web_forms SET name = \(bind: new.name), source = \(bind: new.source.rawValue), region_id = \(bind: new.regionID?.rawValue),
                    redirect_url = \(bind: new.redirectURL), active = \(bind: new.active), version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "web form", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            return new
        }
    }

    private static func checkWebForm(_ form: WebForm, old: WebForm?, in sql: any SQLDatabase,
                                     into errors: inout ValidationFailure.Collector) async throws {
        if form.source != old?.source { try await checkSource(form.source, in: sql, into: &errors) }
        if let region = form.regionID, region != old?.regionID {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM regions WHERE id = \(bind: region.rawValue)") == 1, "regionId", "no region \(region)")
        }
    }

    static func webForm(_ id: WebForm.ID, in sql: any SQLDatabase) async throws -> WebForm {
        guard let form = try await webForms("id = \(bind: id.rawValue)", in: sql).first else { throw AccessDenied.notFound(.webForm, id: id.rawValue) }
        return form
    }

    private static func webForms(_ condition: SQLQueryString, in sql: any SQLDatabase) async throws -> [WebForm] {
        try await sql.raw("""
            SELECT id, form_key, name, source, region_id, redirect_url, active, created_at, version FROM web_forms WHERE \(condition) ORDER BY name, id
            """).all().map { row in
            WebForm(id: .init(try row.decode(column: "id", as: Int64.self)), key: try row.decode(column: "form_key", as: String.self),
                    name: try row.decode(column: "name", as: String.self), source: LeadSource(rawValue: try row.decode(column: "source", as: String.self)),
                    regionID: try row.decode(column: "region_id", as: Int64?.self).map { Region.ID($0) },
                    redirectURL: try row.decode(column: "redirect_url", as: String?.self), active: try row.decode(column: "active", as: Bool.self),
                    createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                    version: try row.decode(column: "version", as: Int64.self))
        }
    }

    private static func fields(of form: WebForm) -> [(String, String?)] {
        [("name", form.name), ("source", form.source.rawValue), ("regionId", form.regionID?.description), ("redirectUrl", form.redirectURL),
         ("active", String(form.active))]
    }
}
