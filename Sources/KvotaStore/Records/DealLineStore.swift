import Foundation
import KvotaCore
import SQLKit

/// A deal's product lines: what the customer is offered. While a deal has lines its amount is their sum, so the
/// pipeline, the forecast and the draft order made on a win all agree.
extension Database {
    public func dealLines(of id: Deal.ID, for actor: Actor) async throws -> [DealLine] {
        try await requireAccess(actor, .read, .deal, id: id.rawValue)
        return try await read { sql in try await Self.dealLines(of: id, in: sql) }
    }

    /// Replaces every line of a deal and sets its amount to their sum. A line's price defaults to the product's
    /// list price when the product is priced in the deal's currency; otherwise it must be given.
    public func replaceDealLines(of id: Deal.ID, with drafts: [OrderLineDraft], expectedVersion: Int64?, by actor: Actor, at now: Date,
                                 address: String? = nil) async throws -> (Deal, [DealLine]) {
        try await requireAccess(actor, .update, .deal, id: id.rawValue)
        return try await write { sql in
            try await sql.lockForChange("deals", id: id.rawValue)
            let old = try await Self.deal(id, in: sql)
            try VersionConflict.check(.deal, id: id.rawValue, expected: expectedVersion, current: old.version)
            var errors = ValidationFailure.Collector()
            errors.check(drafts.count <= 500, "lines", "at most 500 lines a deal")
            var lines: [DealLine] = []
            for (index, draft) in drafts.enumerated() {
                OrderPricing.check(draft, index: index, into: &errors)
                let product = try await sql.raw("""
                    SELECT price_minor, currency, active FROM products WHERE id = \(bind: draft.productID.rawValue)
                    """).first()
                guard let product else {
                    errors.check(false, "lines[\(index)].productId", "no product \(draft.productID)")
                    continue
                }
                let currency = try product.decode(column: "currency", as: String.self)
                errors.check(try product.decode(column: "active", as: Bool.self), "lines[\(index)].productId",
                             "product \(draft.productID) is archived")
                var price = draft.unitPriceMinor
                if price == nil {
                    if currency == old.amount.currency.code {
                        price = try product.decode(column: "price_minor", as: Int64.self)
                    } else {
                        errors.check(false, "lines[\(index)].unitPriceMinor",
                                     "product \(draft.productID) is priced in \(currency); give the price in \(old.amount.currency.code)")
                    }
                }
                lines.append(DealLine(id: 0, dealID: id, productID: draft.productID, quantityMilli: draft.quantityMilli,
                                      unitPrice: Money(minorUnits: price ?? 0, currency: old.amount.currency), discountMinor: draft.discountMinor))
            }
            let total = lines.reduce(Int64(0)) { $0 + $1.netMinor }
            errors.check(total >= 0, "lines", "the discounts come to more than the lines")
            try errors.finish()
            var new = old
            new.amount = Money(minorUnits: total, currency: old.amount.currency)
            new.version = old.version + 1
            new.updatedAt = now
            _ = try await Self.writeDealLines(lines, of: id, at: now, in: sql)
            var changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            changes.append(.init("lines", old: nil, new: lines.map { "\($0.productID) × \(Decimal($0.quantityMilli) / 1000)" }
                .joined(separator: ", ")))
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "deal", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            return (new, try await Self.dealLines(of: id, in: sql))
        }
    }

    /// Writes a deal's lines in place of the ones it had and makes its amount their sum, which it returns.
    static func writeDealLines(_ lines: [DealLine], of id: Deal.ID, at now: Date, in sql: any SQLDatabase) async throws -> Int64 {
        let total = lines.reduce(Int64(0)) { $0 + $1.netMinor }
        try await sql.raw("DELETE FROM deal_lines WHERE deal_id = \(bind: id.rawValue)").run()
        for line in lines {
            try await sql.raw("""
                INSERT INTO deal_lines (deal_id, product_id, quantity_milli, unit_price_minor, discount_minor)
                VALUES (\(bind: id.rawValue), \(bind: line.productID.rawValue), \(bind: line.quantityMilli),
                        \(bind: line.unitPrice.minorUnits), \(bind: line.discountMinor))
                """).run()
        }
        try await sql.raw("""
            UPDATE deals SET amount_minor = \(bind: total), updated_at = \(bind: now.epochMilliseconds), version = version + 1
            WHERE id = \(bind: id.rawValue)
            """).run()
        return total
    }

    static func dealLines(of id: Deal.ID, in sql: any SQLDatabase) async throws -> [DealLine] {
        try await sql.raw("""
            SELECT l.id, l.product_id, l.quantity_milli, l.unit_price_minor, l.discount_minor, d.currency
            FROM deal_lines l JOIN deals d ON d.id = l.deal_id WHERE l.deal_id = \(bind: id.rawValue) ORDER BY l.id
            """).all().map { row in
            DealLine(id: .init(try row.decode(column: "id", as: Int64.self)), dealID: id,
                     productID: .init(try row.decode(column: "product_id", as: Int64.self)),
                     quantityMilli: try row.decode(column: "quantity_milli", as: Int64.self),
                     unitPrice: Money(minorUnits: try row.decode(column: "unit_price_minor", as: Int64.self),
                                      currency: try Currency(try row.decode(column: "currency", as: String.self))),
                     discountMinor: try row.decode(column: "discount_minor", as: Int64.self))
        }
    }
}

extension DealLine {
    /// Quantity × unit price − discount, in the deal's currency.
    public var netMinor: Int64 { unitPrice.multiplied(byMilli: quantityMilli).minorUnits - discountMinor }
}
