import Foundation
import KvotaCore
import SQLKit

/// Rows about deals the import (or an earlier one) brought, named by their external ids: a deal's stage history,
/// its lines.
extension Database {
    /// The rows by the deal they name, in the order the file first names each; a row without one is a problem.
    static func rowsByDeal(_ rows: [ImportRow], into report: inout ImportReport) -> [(deal: String, rows: [ImportRow])] {
        var groups: [String: [ImportRow]] = [:]
        var order: [String] = []
        for row in rows {
            guard let deal = row["deal"] else {
                report.problems.append(row.problem("deal", "is required"))
                continue
            }
            if groups[deal] == nil { order.append(deal) }
            groups[deal, default: []].append(row)
        }
        return order.map { ($0, groups[$0]!) }
    }

    /// The deal with `externalID`, when the actor may change it; otherwise a problem at the group's first row.
    static func importedDeal(_ externalID: String, _ rows: [ImportRow], for actor: Actor, in sql: any SQLDatabase,
                             into report: inout ImportReport) async throws -> Deal? {
        guard let found = try await sql.raw("SELECT id FROM deals WHERE external_id = \(bind: externalID)").first() else {
            report.problems.append(rows[0].problem("deal", "no deal '\(externalID)'"))
            return nil
        }
        let deal = try await Self.deal(Deal.ID(try found.decode(column: "id", as: Int64.self)), in: sql)
        guard AccessPolicy.allows(actor, .update, .deal, owner: deal.ownerID) else {
            report.problems.append(rows[0].problem("deal", "matches a deal you may not change"))
            return nil
        }
        return deal
    }
}
