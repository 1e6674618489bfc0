import Foundation
import KvotaCore
import SQLKit

/// The sales library: scripts, regulations and guides, each linked from the pipeline stages where reps need it.
/// Everyone reads it; heads, directors and admins write it (`AccessPolicy`'s `.libraryDocument`).
extension Database {
    /// Documents, by kind then title; `stage` narrows to those a stage links to (the deal page's).
    public func libraryDocuments(for actor: Actor, kind: LibraryDocument.Kind? = nil, stage: Stage.ID? = nil) async throws -> [LibraryDocument] {
        _ = try AccessPolicy.require(actor, .list, .libraryDocument)
        return try await read { sql in
            var parts: [SQLQueryString] = ["1 = 1"]
            if let kind { parts.append("d.kind = \(bind: kind.rawValue)") }
            if let stage { parts.append("d.id IN (SELECT document_id FROM stage_documents WHERE stage_id = \(bind: stage.rawValue))") }
            return try await Self.libraryDocuments(parts.joined(separator: " AND "), in: sql)
        }
    }

    public func libraryDocument(_ id: LibraryDocument.ID, for actor: Actor) async throws -> LibraryDocument {
        _ = try AccessPolicy.require(actor, .read, .libraryDocument)
        return try await read { sql in try await Self.libraryDocument(id, in: sql) }
    }

    public func addLibraryDocument(kind: LibraryDocument.Kind?, title: String?, body: String?, stages: [Stage.ID],
                                   problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                                   address: String? = nil) async throws -> LibraryDocument {
        _ = try AccessPolicy.require(actor, .create, .libraryDocument)
        var errors = problems
        errors.check(kind != nil || problems.has("kind"), "kind", "is required (script, regulation or guide)")
        let title = title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "", body = body?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        LibraryDocument.check(title: title, body: body, into: &errors)
        return try await write { sql in
            try await Self.checkStages(stages, into: &errors, in: sql)
            try errors.finish()
            let row = try await sql.raw("""
                INSERT INTO library_documents (kind, title, body, created_at, updated_at, updated_by)
                VALUES (\(bind: kind!.rawValue), \(bind: title), \(bind: body), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds),
                        \(bind: actor.userID.rawValue))
                RETURNING id
                """).first()
            let document = LibraryDocument(id: .init(try row!.decode(column: "id", as: Int64.self)), kind: kind!, title: title, body: body,
                                           stageIDs: Self.unique(stages), updatedAt: now)
            try await Self.linkStages(document, in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "library document", entityID: document.id.rawValue,
                                            changes: AuditLog.created(Self.fields(of: document)), address: address), in: sql)
            return document
        }
    }

    /// Changes a document's kind, title, text or stages (nil: unchanged), with `If-Match` of its version.
    public func updateLibraryDocument(_ id: LibraryDocument.ID, kind: LibraryDocument.Kind?, title: String?, body: String?, stages: [Stage.ID]?,
                                      problems: ValidationFailure.Collector = .init(), expectedVersion: Int64?, by actor: Actor, at now: Date,
                                      address: String? = nil) async throws -> LibraryDocument {
        _ = try AccessPolicy.require(actor, .update, .libraryDocument)
        return try await write { sql in
            try await sql.lockForChange("library_documents", id: id.rawValue)
            let old = try await Self.libraryDocument(id, in: sql)
            try VersionConflict.check(.libraryDocument, id: id.rawValue, expected: expectedVersion, current: old.version)
            var errors = problems, new = old
            if let kind { new.kind = kind }
            if let title { new.title = title.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let body { new.body = body.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let stages { new.stageIDs = Self.unique(stages) }
            LibraryDocument.check(title: new.title, body: new.body, into: &errors)
            if let stages { try await Self.checkStages(stages, into: &errors, in: sql) }
            try errors.finish()
            let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            guard !changes.isEmpty else { return old }
            new.version = old.version + 1
            new.updatedAt = now
            try await sql.raw("""
                UPDATE library_documents SET kind = \(bind: new.kind.rawValue), title = \(bind: new.title), body = \(bind: new.body),
                    updated_at = \(bind: now.epochMilliseconds), updated_by = \(bind: actor.userID.rawValue), version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            try await sql.raw("DELETE FROM stage_documents WHERE document_id = \(bind: id.rawValue)").run()
            try await Self.linkStages(new, in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "library document", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            return new
        }
    }

    /// Deletes a document and its stage links.
    public func deleteLibraryDocument(_ id: LibraryDocument.ID, by actor: Actor, at now: Date, address: String? = nil) async throws {
        _ = try AccessPolicy.require(actor, .delete, .libraryDocument)
        try await write { sql in
            let old = try await Self.libraryDocument(id, in: sql)
            try await DeletionRules.clear("library_documents", id: id.rawValue, kind: "library document", in: sql)
            try await sql.raw("DELETE FROM library_documents WHERE id = \(bind: id.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "library document", entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)), address: address), in: sql)
        }
    }

    private static func unique(_ stages: [Stage.ID]) -> [Stage.ID] {
        var seen: Set<Stage.ID> = []
        return stages.filter { seen.insert($0).inserted }
    }

    private static func checkStages(_ stages: [Stage.ID], into errors: inout ValidationFailure.Collector, in sql: any SQLDatabase) async throws {
        for (index, stage) in stages.enumerated() {
            errors.check(try await exists("stages", stage.rawValue, in: sql), "stageIds[\(index)]", "no stage \(stage)")
        }
    }

    private static func linkStages(_ document: LibraryDocument, in sql: any SQLDatabase) async throws {
        for stage in document.stageIDs {
            try await sql.raw("INSERT INTO stage_documents (stage_id, document_id) VALUES (\(bind: stage.rawValue), \(bind: document.id.rawValue))").run()
        }
    }

    private static func fields(of document: LibraryDocument) -> [(String, String?)] {
        [("kind", document.kind.rawValue), ("title", document.title), ("body", document.body),
         ("stageIds", document.stageIDs.map { String($0.rawValue) }.joined(separator: ","))]
    }

    private static func libraryDocument(_ id: LibraryDocument.ID, in sql: any SQLDatabase) async throws -> LibraryDocument {
        guard let document = try await libraryDocuments("d.id = \(bind: id.rawValue)", in: sql).first else {
            throw AccessDenied.notFound(.libraryDocument, id: id.rawValue)
        }
        return document
    }

    private static func libraryDocuments(_ condition: SQLQueryString, in sql: any SQLDatabase) async throws -> [LibraryDocument] {
        var stages: [Int64: [Stage.ID]] = [:]
        for row in try await sql.raw("SELECT document_id, stage_id FROM stage_documents ORDER BY stage_id").all() {
            stages[try row.decode(column: "document_id", as: Int64.self), default: []].append(Stage.ID(try row.decode(column: "stage_id", as: Int64.self)))
        }
        return try await sql.raw("""
            SELECT d.id, d.kind, d.title, d.body, d.updated_at, d.version FROM library_documents d WHERE \(condition) ORDER BY d.kind, d.title, d.id
            """).all().map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            let key = try row.decode(column: "kind", as: String.self)
            guard let kind = LibraryDocument.Kind(rawValue: key) else { throw StoreError.query("library_documents.kind: unknown '\(key)'") }
            return LibraryDocument(id: .init(id), kind: kind, title: try row.decode(column: "title", as: String.self),
                                   body: try row.decode(column: "body", as: String.self), stageIDs: stages[id] ?? [],
                                   updatedAt: Date(epochMilliseconds: try row.decode(column: "updated_at", as: Int64.self)),
                                   version: try row.decode(column: "version", as: Int64.self))
        }
    }
}
