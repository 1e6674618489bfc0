import Foundation
import KvotaCore
import SQLKit

/// A deal's stage history from the system it came from (Salesforce's OpportunityHistory): one row per stage entered,
/// with the deal (by external id), the stage (by name, in the deal's pipeline), when, and optionally by whom. It
/// replaces the history the deal import wrote (one entry, at the time of the import), so the funnel's time in stage
/// and conversion count the deal's real path. Rows of one deal that repeat the stage before them (another field
/// changed) are one entry; the deal's current stage ends the history if the rows do not.
extension Database {
    func stageHistoryRows(_ rows: [ImportRow], by actor: Actor, at now: Date, in sql: any SQLDatabase) async throws -> ImportReport {
        var report = ImportReport(dryRun: false)
        let zone = try await Self.timeZone(in: sql)
        let users = try await ImportLookup.users.ids(Set(rows.compactMap { $0["user"] }), in: sql)
        // A pipeline's stages, read once however many of its deals the file names.
        var pipelines: [Pipeline.ID: [(id: Int64, name: String)]] = [:]
        for (key, group) in Self.rowsByDeal(rows, into: &report) {
            guard let found = try await Self.importedDeal(key, group, for: actor, in: sql, into: &report) else { continue }
            let deal = found.id.rawValue
            if pipelines[found.pipelineID] == nil {
                pipelines[found.pipelineID] = try await sql.raw("""
                    SELECT id, name FROM stages WHERE pipeline_id = \(bind: found.pipelineID.rawValue) ORDER BY position
                    """).all().map { (id: try $0.decode(column: "id", as: Int64.self), name: try $0.decode(column: "name", as: String.self)) }
            }
            let stages = pipelines[found.pipelineID]!
            var entries: [(stage: Int64, at: Int64, user: Int64?)] = []
            let before = report.problems.count
            for row in group {
                let stage = row["stage"].flatMap { name in stages.first { $0.name.lowercased() == name.lowercased() } }
                if row["stage"] == nil { report.problems.append(row.problem("stage", "is required")) } else if stage == nil {
                    report.problems.append(row.problem("stage", "no stage '\(row["stage"]!)' in the deal's pipeline"))
                }
                let at = row["entered"].flatMap { ImportText.instant($0, in: zone) }
                if at == nil { report.problems.append(row.problem("entered", "expected a date, YYYY-MM-DD or DD.MM.YYYY, with a time or without")) }
                var user: Int64?
                if let text = row["user"] {
                    switch ImportLookup.value(users, text, kind: "active user") {
                    case .success(let id): user = id
                    case .failure(let reason): report.problems.append(row.problem("user", reason.text))
                    }
                }
                if let stage, let at { entries.append((stage.id, at.epochMilliseconds, user)) }
            }
            guard report.problems.count == before else { continue }
            entries.sort { $0.at < $1.at }
            entries = entries.enumerated().filter { index, entry in index == 0 || entries[index - 1].stage != entry.stage }.map(\.element)
            let current = found.stageID.rawValue
            if entries.last?.stage != current {
                entries.append((current, max(entries.last?.at ?? 0, found.createdAt.epochMilliseconds), nil))
            }
            let old = try await sql.raw("SELECT stage_id, entered_at FROM deal_stage_history WHERE deal_id = \(bind: deal) ORDER BY entered_at, id")
                .all().map { (try $0.decode(column: "stage_id", as: Int64.self), try $0.decode(column: "entered_at", as: Int64.self)) }
            guard old.count != entries.count || zip(old, entries).contains(where: { $0.0 != $1.stage || $0.1 != $1.at }) else {
                report.unchanged += 1
                continue
            }
            try await StageOutcomes.takeOff(deal: deal, in: sql)
            try await sql.raw("DELETE FROM deal_stage_history WHERE deal_id = \(bind: deal)").run()
            for entry in entries {
                try await sql.raw("""
                    INSERT INTO deal_stage_history (deal_id, stage_id, entered_at, user_id)
                    VALUES (\(bind: deal), \(bind: entry.stage), \(bind: entry.at), \(bind: entry.user))
                    """).run()
            }
            try await StageOutcomes.putOn(deal: deal, in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "deal", entityID: deal,
                                            changes: [.init("stage history", old: "\(old.count) stages", new: "\(entries.count) stages")],
                                            address: "import"), in: sql)
            report.updated += 1
        }
        return report
    }
}
