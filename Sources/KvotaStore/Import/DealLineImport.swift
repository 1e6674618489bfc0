import Foundation
import KvotaCore
import SQLKit

/// Deals' product lines from the system they came from (Salesforce's OpportunityLineItem): one row per line with the
/// deal (by external id), the product (by any of its keys), the quantity, the unit price and the line's net amount
/// in the deal's currency. They replace the deal's lines and its amount becomes their sum, as in the API
/// (`replaceDealLines`); a deal whose lines the file repeats as they are is left alone.
extension Database {
    func dealLineRows(_ rows: [ImportRow], by actor: Actor, at now: Date, in sql: any SQLDatabase) async throws -> ImportReport {
        var report = ImportReport(dryRun: false)
        let products = try await ImportLookup.products.ids(Set(rows.compactMap { $0["product"] }), in: sql)
        for (key, group) in Self.rowsByDeal(rows, into: &report) {
            guard let old = try await Self.importedDeal(key, group, for: actor, in: sql, into: &report) else { continue }
            let id = old.id
            let digits = old.amount.currency.minorUnitDigits
            let before = report.problems.count
            var lines: [DealLine] = []
            for row in group {
                func amount(_ field: String, digits: Int) -> Int64? { row.amount(field, digits: digits, into: &report.problems) }
                let quantity = amount("quantity", digits: 3)
                if row["quantity"] == nil || quantity == 0 { report.problems.append(row.problem("quantity", "must be more than 0")) }
                let price = amount("price", digits: digits)
                if row["price"] == nil { report.problems.append(row.problem("price", "is required")) }
                let net = amount("amount", digits: digits)
                var product: Int64?
                if let text = row["product"] {
                    switch ImportLookup.value(products, text, kind: "product") {
                    case .success(let found): product = found
                    case .failure(let reason): report.problems.append(row.problem("product", reason.text))
                    }
                } else {
                    report.problems.append(row.problem("product", "is required"))
                }
                guard let quantity, quantity > 0, let price, let product else { continue }
                let gross = Money(minorUnits: price, currency: old.amount.currency).multiplied(byMilli: quantity).minorUnits
                let discount = net.map { gross - $0 } ?? 0
                if discount < 0 { report.problems.append(row.problem("amount", "is more than quantity × price")) }
                lines.append(DealLine(id: 0, dealID: id, productID: Product.ID(product), quantityMilli: quantity,
                                      unitPrice: Money(minorUnits: price, currency: old.amount.currency), discountMinor: max(discount, 0)))
            }
            guard report.problems.count == before else { continue }
            let existing = try await Self.dealLines(of: id, in: sql)
            guard existing.map(\.fields) != lines.map(\.fields) else {
                report.unchanged += 1
                continue
            }
            let total = try await Self.writeDealLines(lines, of: id, at: now, in: sql)
            var new = old
            new.amount = Money(minorUnits: total, currency: old.amount.currency)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "deal", entityID: id.rawValue,
                                            changes: AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
                                                + [.init("lines", old: existing.isEmpty ? nil : "\(existing.count) lines", new: "\(lines.count) lines")],
                                            address: "import"), in: sql)
            report.updated += 1
        }
        return report
    }
}

private extension DealLine {
    /// What a line says, whatever its id.
    var fields: [Int64] { [productID.rawValue, quantityMilli, unitPrice.minorUnits, discountMinor] }
}
