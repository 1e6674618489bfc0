import Foundation
import KvotaCore
import SQLKit

/// Pipelines and their stages: the funnel every deal moves through, with the regulations a head writes into it
/// (required fields, scripts, checklists). Everyone reads them; heads, directors and admins change them.
extension Database {
    /// Every pipeline with its stages in order, active ones first.
    public func pipelines(for actor: Actor) async throws -> [(Pipeline, [Stage])] {
        _ = try AccessPolicy.require(actor, .list, .pipeline)
        return try await read { sql in
            let pipelines = try await sql.raw("SELECT id, name, active, version FROM pipelines ORDER BY active DESC, id").all()
                .map(Self.pipeline(from:))
            let stages = Dictionary(grouping: try await Self.stages(of: nil, in: sql)) { $0.pipelineID }
            return pipelines.map { ($0, stages[$0.id] ?? []) }
        }
    }

    public func pipeline(_ id: Pipeline.ID, for actor: Actor) async throws -> (Pipeline, [Stage]) {
        _ = try AccessPolicy.require(actor, .read, .pipeline)
        return try await read { sql in (try await Self.pipeline(id, in: sql), try await Self.stages(of: id, in: sql)) }
    }

    /// Adds a pipeline with its stages, numbered in the order given. A funnel needs an open stage to start in, and a
    /// won and a lost stage to end in.
    public func addPipeline(name: String?, stages drafts: [StagePatch], problems: ValidationFailure.Collector = .init(), by actor: Actor,
                            at now: Date, address: String? = nil) async throws -> (Pipeline, [Stage]) {
        _ = try AccessPolicy.require(actor, .create, .pipeline)
        var errors = problems
        let name = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        errors.check(!name.isEmpty && name.count <= 100, "name", "expected 1 to 100 characters")
        var stages: [Stage] = []
        for (index, draft) in drafts.enumerated() {
            var draft = draft
            draft.position = index + 1
            errors.check(draft.name != nil, "stages[\(index)].name", "is required")
            stages.append(draft.applied(to: Self.blankStage(draft, in: 0), field: "stages[\(index)].", into: &errors))
        }
        for outcome in StageOutcome.allCases {
            errors.check(stages.contains { $0.outcome == outcome }, "stages", "needs at least one \(outcome) stage")
        }
        errors.check(Set(stages.map { $0.name.lowercased() }).count == stages.count, "stages", "stage names must differ")
        return try await write { sql in
            try errors.finish()
            let row = try await sql.raw("INSERT INTO pipelines (name) VALUES (\(bind: name)) RETURNING id").first()
            let pipeline = Pipeline(id: .init(try row!.decode(column: "id", as: Int64.self)), name: name)
            var saved: [Stage] = []
            for var stage in stages {
                stage.pipelineID = pipeline.id
                stage.id = try await Self.insertStage(stage, in: sql)
                saved.append(stage)
            }
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "pipeline", entityID: pipeline.id.rawValue,
                                            changes: AuditLog.created([("name", name), ("stages", stages.map(\.name).joined(separator: " → "))]),
                                            address: address), in: sql)
            return (pipeline, saved)
        }
    }

    /// Renames a pipeline, or retires it (`active: false`: its deals stay, new ones go elsewhere).
    public func updatePipeline(_ id: Pipeline.ID, name: String?, active: Bool?, expectedVersion: Int64?, by actor: Actor, at now: Date,
                               address: String? = nil) async throws -> Pipeline {
        _ = try AccessPolicy.require(actor, .update, .pipeline)
        return try await write { sql in
            try await sql.lockForChange("pipelines", id: id.rawValue)
            let old = try await Self.pipeline(id, in: sql)
            try VersionConflict.check(.pipeline, id: id.rawValue, expected: expectedVersion, current: old.version)
            var new = old
            var errors = ValidationFailure.Collector()
            if let name {
                new.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
                errors.check(!new.name.isEmpty && new.name.count <= 100, "name", "expected 1 to 100 characters")
            }
            if let active { new.active = active }
            try errors.finish()
            let changes = AuditLog.diff([("name", old.name), ("active", String(old.active))], [("name", new.name), ("active", String(new.active))])
            guard !changes.isEmpty else { return old }
            new.version = old.version + 1
            try await sql.raw("""
                UPDATE pipelines SET name = \(bind: new.name), active = \(bind: new.active), version = version + 1 WHERE id = \(bind: id.rawValue)
                """).run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "pipeline", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            return new
        }
    }

    /// Deletes a pipeline no deal has used; one with deals is retired instead.
    public func deletePipeline(_ id: Pipeline.ID, expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws {
        _ = try AccessPolicy.require(actor, .delete, .pipeline)
        try await write { sql in
            try await sql.lockForChange("pipelines", id: id.rawValue)
            let old = try await Self.pipeline(id, in: sql)
            try VersionConflict.check(.pipeline, id: id.rawValue, expected: expectedVersion, current: old.version)
            try await DeletionRules.clear("pipelines", id: id.rawValue, kind: "pipeline", instead: "set it to false to retire the pipeline instead",
                                          in: sql)
            try await sql.raw("DELETE FROM pipelines WHERE id = \(bind: id.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "pipeline", entityID: id.rawValue,
                                            changes: AuditLog.deleted([("name", old.name)]), address: address), in: sql)
        }
    }

    /// Adds a stage at `position` (default: before the first closing stage); later stages move down one.
    public func addStage(to pipelineID: Pipeline.ID, _ draft: StagePatch, problems: ValidationFailure.Collector = .init(), by actor: Actor,
                         at now: Date, address: String? = nil) async throws -> Stage {
        _ = try AccessPolicy.require(actor, .update, .pipeline)
        return try await write { sql in
            _ = try await Self.pipeline(pipelineID, in: sql)
            var stages = try await Self.stages(of: pipelineID, in: sql)
            var errors = problems
            errors.check(draft.name != nil, "name", "is required")
            let closing = stages.firstIndex { $0.outcome != .open } ?? stages.count
            let index = min(max((draft.position ?? closing + 1) - 1, 0), stages.count)
            var placed = draft
            placed.position = index + 1
            var stage = placed.applied(to: Self.blankStage(draft, in: pipelineID), into: &errors)
            errors.check(!stages.contains { $0.name.lowercased() == stage.name.lowercased() }, "name", "the pipeline has a stage '\(stage.name)'")
            try errors.finish()
            stages.insert(stage, at: index)
            try await Self.renumber(stages, in: sql)
            stage.id = try await Self.insertStage(stage, in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "stage", entityID: stage.id.rawValue,
                                            changes: AuditLog.created(Self.fields(of: stage)), address: address), in: sql)
            return stage
        }
    }

    /// Changes a stage; a new position moves it and renumbers the others.
    public func updateStage(_ id: Stage.ID, of pipelineID: Pipeline.ID, _ patch: StagePatch, problems: ValidationFailure.Collector = .init(),
                            expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws -> Stage {
        _ = try AccessPolicy.require(actor, .update, .pipeline)
        return try await write { sql in
            try await sql.lockForChange("stages", id: id.rawValue)
            var stages = try await Self.stages(of: pipelineID, in: sql)
            guard let index = stages.firstIndex(where: { $0.id == id }) else { throw AccessDenied.notFound(.pipeline, id: pipelineID.rawValue) }
            let old = stages[index]
            try VersionConflict.check(.pipeline, id: id.rawValue, expected: expectedVersion, current: old.version)
            var errors = problems
            var patch = patch
            if let position = patch.position { patch.position = min(max(position, 1), stages.count) }
            var new = patch.applied(to: old, into: &errors)
            errors.check(!stages.contains { $0.id != id && $0.name.lowercased() == new.name.lowercased() }, "name",
                         "the pipeline has a stage '\(new.name)'")
            if new.outcome != old.outcome {
                errors.check(try await Self.count(sql, "SELECT COUNT(*) AS n FROM deals WHERE stage_id = \(bind: id.rawValue)") == 0,
                             "outcome", "deals are in this stage; move them before making it \(new.outcome)")
                errors.check(stages.contains { $0.id != id && $0.outcome == old.outcome }, "outcome",
                             "the pipeline needs at least one \(old.outcome) stage")
            }
            try errors.finish()
            let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            guard !changes.isEmpty else { return old }
            new.version = old.version + 1
            if new.position != old.position {
                stages.remove(at: index)
                stages.insert(old, at: new.position - 1)
                try await Self.renumber(stages, in: sql)
            }
            try await sql.raw("""
                UPDATE stages SET name = \(bind: new.name), probability = \(bind: new.probability), outcome = \(bind: new.outcome.rawValue),
                    required_fields = \(bind: Self.json(new.requiredFields.map(\.rawValue).sorted())), script = \(bind: new.script),
                    checklist = \(bind: Self.json(new.checklist)), forecast_category = \(bind: new.forecastCategory.rawValue),
                    version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "stage", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            return new
        }
    }

    /// Deletes a stage no deal is in or has been in; the others close ranks.
    public func deleteStage(_ id: Stage.ID, of pipelineID: Pipeline.ID, by actor: Actor, at now: Date, address: String? = nil) async throws {
        _ = try AccessPolicy.require(actor, .update, .pipeline)
        try await write { sql in
            var stages = try await Self.stages(of: pipelineID, in: sql)
            guard let index = stages.firstIndex(where: { $0.id == id }) else { throw AccessDenied.notFound(.pipeline, id: pipelineID.rawValue) }
            let old = stages.remove(at: index)
            guard stages.contains(where: { $0.outcome == old.outcome }) else {
                throw ValidationFailure([.invalid(field: "id", reason: "the pipeline needs at least one \(old.outcome) stage")])
            }
            try await DeletionRules.clear("stages", id: id.rawValue, kind: "stage", in: sql)
            try await sql.raw("DELETE FROM stages WHERE id = \(bind: id.rawValue)").run()
            try await Self.renumber(stages, in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "stage", entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)), address: address), in: sql)
        }
    }

    /// What a new stage starts from: a won stage is certain unless the head says otherwise (and then is told why not).
    private static func blankStage(_ draft: StagePatch, in pipeline: Pipeline.ID) -> Stage {
        let outcome = draft.outcome ?? .open
        return Stage(id: 0, pipelineID: pipeline, position: 0, name: "", probability: outcome == .won ? 100 : 0, outcome: outcome)
    }

    // MARK: - Rows

    static func pipeline(from row: any SQLRow) throws -> Pipeline {
        Pipeline(id: .init(try row.decode(column: "id", as: Int64.self)), name: try row.decode(column: "name", as: String.self),
                 active: try row.decode(column: "active", as: Bool.self), version: try row.decode(column: "version", as: Int64.self))
    }

    static func pipeline(_ id: Pipeline.ID, in sql: any SQLDatabase) async throws -> Pipeline {
        guard let row = try await sql.raw("SELECT id, name, active, version FROM pipelines WHERE id = \(bind: id.rawValue)").first()
        else { throw AccessDenied.notFound(.pipeline, id: id.rawValue) }
        return try pipeline(from: row)
    }

    /// The stages of one pipeline (or of all), in order.
    static func stages(of pipeline: Pipeline.ID?, in sql: any SQLDatabase) async throws -> [Stage] {
        try await stages(pipeline.map { "WHERE pipeline_id = \(bind: $0.rawValue)" } ?? "", in: sql)
    }

    /// The stages of the pipeline `stage` is in, in order (none when there is no such stage): a deal entering a stage
    /// needs the stage and its pipeline's regulations, read together.
    static func stages(inPipelineOf stage: Stage.ID, in sql: any SQLDatabase) async throws -> [Stage] {
        try await stages("WHERE pipeline_id = (SELECT pipeline_id FROM stages WHERE id = \(bind: stage.rawValue))", in: sql)
    }

    private static func stages(_ condition: SQLQueryString, in sql: any SQLDatabase) async throws -> [Stage] {
        try await sql.raw("""
            SELECT id, pipeline_id, position, name, probability, outcome, required_fields, script, checklist, forecast_category, version
            FROM stages \(condition) ORDER BY pipeline_id, position
            """).all().map { row in
            let outcomeKey = try row.decode(column: "outcome", as: String.self)
            guard let outcome = StageOutcome(rawValue: outcomeKey) else { throw StoreError.query("stages.outcome: unknown '\(outcomeKey)'") }
            let required = try JSONDecoder().decode([String].self, from: Data(try row.decode(column: "required_fields", as: String.self).utf8))
            return Stage(id: .init(try row.decode(column: "id", as: Int64.self)),
                         pipelineID: .init(try row.decode(column: "pipeline_id", as: Int64.self)),
                         position: try row.decode(column: "position", as: Int.self), name: try row.decode(column: "name", as: String.self),
                         probability: try row.decode(column: "probability", as: Int.self), outcome: outcome,
                         requiredFields: Set(required.compactMap(DealRequirement.init(rawValue:))),
                         script: try row.decode(column: "script", as: String?.self),
                         checklist: try JSONDecoder().decode([String].self, from: Data(try row.decode(column: "checklist", as: String.self).utf8)),
                         forecastCategory: ForecastCategory(rawValue: try row.decode(column: "forecast_category", as: String.self)),
                         version: try row.decode(column: "version", as: Int64.self))
        }
    }

    static func fields(of stage: Stage) -> [(String, String?)] {
        [("name", stage.name), ("position", String(stage.position)), ("probability", String(stage.probability)),
         ("outcome", stage.outcome.rawValue), ("requiredFields", stage.requiredFields.map(\.rawValue).sorted().joined(separator: ", ")),
         ("script", stage.script), ("checklist", stage.checklist.joined(separator: "; ")), ("forecastCategory", stage.forecastCategory.rawValue)]
    }

    private static func insertStage(_ stage: Stage, in sql: any SQLDatabase) async throws -> Stage.ID {
        let row = try await sql.raw("""
            INSERT INTO stages (pipeline_id, position, name, probability, outcome, required_fields, script, checklist, forecast_category)
            VALUES (\(bind: stage.pipelineID.rawValue), \(bind: stage.position), \(bind: stage.name), \(bind: stage.probability),
                    \(bind: stage.outcome.rawValue), \(bind: json(stage.requiredFields.map(\.rawValue).sorted())), \(bind: stage.script),
                    \(bind: json(stage.checklist)), \(bind: stage.forecastCategory.rawValue))
            RETURNING id
            """).first()
        return Stage.ID(try row!.decode(column: "id", as: Int64.self))
    }

    /// Gives each stage of `ordered` (the pipeline's stages in their new order; id 0 is one not yet written) the
    /// position of its place in the list. Positions are unique per pipeline, so the stages that move step aside to
    /// negative positions first.
    private static func renumber(_ ordered: [Stage], in sql: any SQLDatabase) async throws {
        let moving = ordered.enumerated().filter { $0.element.id.rawValue != 0 && $0.element.position != $0.offset + 1 }
        for (offset, stage) in moving {
            try await sql.raw("UPDATE stages SET position = \(bind: -(offset + 1)) WHERE id = \(bind: stage.id.rawValue)").run()
        }
        for (offset, stage) in moving {
            try await sql.raw("UPDATE stages SET position = \(bind: offset + 1) WHERE id = \(bind: stage.id.rawValue)").run()
        }
    }

    static func json(_ values: [String]) -> String {
        String(decoding: try! JSONEncoder().encode(values), as: UTF8.self)
    }
}
