import Foundation
import KvotaCore
import SQLKit

/// Deals from a file: a row with a known `external_id` updates that deal; any other adds one. The pipeline and stage
/// are given by name (the first active pipeline and its first open stage when absent), the account by external id,
/// legal id or name, the contact by external id, email or name, the owner by email or name. Stage rules apply as in
/// the API; a won deal makes no draft order (its orders are history too: import them), and `created` / `closed`
/// dates keep the deal's own history for cycle times and win rates.
extension Database {
    func dealRows(_ rows: [ImportRow], by actor: Actor, at now: Date, in sql: any SQLDatabase) async throws -> ImportReport {
        _ = try AccessPolicy.require(actor, .create, .deal)
        let fields = ["title": "title", "accountId": "account", "contactId": "contact", "pipelineId": "pipeline", "stageId": "stage",
                      "amountMinor": "amount", "currency": "currency", "expectedClose": "expected_close", "forecastCategory": "forecast",
                      "ownerId": "owner", "lossReason": "loss_reason"]
        let repeated = Self.repeatedKeys(rows, fields: [("external_id", { $0 })])
        let base = try await Self.baseCurrency(in: sql)
        let zone = try await companyTimeZone()
        return try await Self.eachRow(rows, problems: repeated, column: { fields[$0] ?? $0 }, in: sql) { row, sql, report in
            var errors = ValidationFailure.Collector()
            var patch = DealPatch()
            patch.title = row["title"]
            if let account = try await row.reference("account", .accounts, kind: "account", in: sql, into: &errors) {
                patch.accountID = Account.ID(account)
            }
            if row.has("contact") {
                patch.contactID = .some(try await row.reference("contact", .contacts, kind: "contact", in: sql, into: &errors).map { Contact.ID($0) })
            }
            if let owner = try await row.reference("owner", .users, kind: "active user", in: sql, into: &errors) { patch.ownerID = User.ID(owner) }
            let pipeline = try await row.reference("pipeline", .pipelines, kind: "pipeline", in: sql, into: &errors)
            if let pipeline { patch.pipelineID = Pipeline.ID(pipeline) }
            if let stage = row["stage"] {
                let known = try await sql.raw("""
                    SELECT s.id, s.name FROM stages s JOIN pipelines p ON p.id = s.pipeline_id
                    WHERE \(unsafeRaw: pipeline == nil ? "p.active = TRUE" : "p.id = \(pipeline!)") ORDER BY p.id, s.position
                    """).all()
                if let found = try known.first(where: { try $0.decode(column: "name", as: String.self).lowercased() == stage.lowercased() }) {
                    patch.stageID = Stage.ID(try found.decode(column: "id", as: Int64.self))
                } else {
                    errors.check(false, "stage", "no stage '\(stage)'" + (pipeline == nil ? " in an active pipeline" : " in that pipeline"))
                }
            }
            patch.currency = row["currency"]?.uppercased()
            if let text = row["amount"] {
                let digits = (patch.currency.flatMap { try? Currency($0) } ?? base).minorUnitDigits
                patch.amountMinor = ImportText.minorUnits(text, digits: digits)
                errors.check(patch.amountMinor != nil, "amount", "expected an amount with at most \(digits) decimals")
                if patch.currency == nil { patch.currency = base.code }
            }
            if row.has("expected_close") {
                let day = row["expected_close"].map(ImportText.date)
                errors.check(day != .some(nil), "expected_close", "expected YYYY-MM-DD or DD.MM.YYYY")
                patch.expectedClose = .some(day ?? nil)
            }
            if let text = row["forecast"] {
                patch.forecastCategory = ForecastCategory(rawValue: text.lowercased().replacingOccurrences(of: " ", with: "_"))
                errors.check(patch.forecastCategory != nil, "forecast", "expected commit, best_case, pipeline or omitted")
            }
            if row.has("loss_reason") { patch.lossReason = .some(row["loss_reason"]) }
            patch.custom = row.custom(.deal, fields: try await Self.customFields(.deal, in: sql), into: &errors)
            var dates: [(String, Date)] = []
            for field in ["created", "closed"] {
                guard let text = row[field] else { continue }
                if let at = ImportText.instant(text, in: zone) { dates.append((field, at)) } else {
                    errors.check(false, field, "expected a date, YYYY-MM-DD or DD.MM.YYYY, with a time or without")
                }
            }
            let target = try await Self.importTarget(.deal, externalID: row["external_id"], for: actor, in: sql)
            try errors.finish()

            let deal: Deal
            if let target {
                deal = try await Self.changeDeal(Deal.ID(target.id), patch, problems: .init(), draftOrder: false, expectedVersion: nil,
                                                 by: actor, at: now, address: "import", in: sql)
                report.matched(changed: deal.version != target.version)
            } else {
                deal = try await Self.insertDeal(patch, problems: .init(), draftOrder: false, by: actor, at: now, address: "import", in: sql)
                try await Self.setExternalID(.deal, id: deal.id.rawValue, to: row["external_id"], in: sql)
                report.created += 1
            }
            for (field, at) in dates {
                if field == "created" {
                    try await sql.raw("UPDATE deals SET created_at = \(bind: at.epochMilliseconds) WHERE id = \(bind: deal.id.rawValue)").run()
                } else {
                    guard deal.status != .open else { throw ValidationFailure([.invalid(field: "closed", reason: "the deal is open in its stage")]) }
                    try await StageOutcomes.takeOff(deal: deal.id.rawValue, in: sql)
                    try await sql.raw("""
                        UPDATE deals SET closed_at = \(bind: at.epochMilliseconds), closed_on = \(bind: LocalDate(at, in: zone).key)
                        WHERE id = \(bind: deal.id.rawValue)
                        """).run()
                    try await StageOutcomes.putOn(deal: deal.id.rawValue, in: sql)
                }
            }
        }
    }
}
