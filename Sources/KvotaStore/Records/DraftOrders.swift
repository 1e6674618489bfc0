import Foundation
import KvotaCore
import SQLKit

/// A won deal becomes a draft order for the order desk, in the same transaction as the win: the deal's product
/// lines priced as sold, or no lines when the deal has none (the desk fills them in).
extension Database {
    /// Makes the draft unless the deal already led to an order (a deal won, reopened and won again).
    static func draftOrder(for deal: Deal, by actor: Actor, at now: Date, address: String?, in sql: any SQLDatabase) async throws {
        guard try await count(sql, "SELECT COUNT(*) AS n FROM orders WHERE deal_id = \(bind: deal.id.rawValue)") == 0 else { return }
        let zone = try await timeZone(in: sql)
        let base = try await baseCurrency(in: sql)
        let account = try await sql.raw("SELECT channel_id, region_id FROM accounts WHERE id = \(bind: deal.accountID.rawValue)").first()
        var order = Order(id: 0, number: "", accountID: deal.accountID, dealID: deal.id, ownerID: deal.ownerID,
                          orderedOn: LocalDate(now, in: zone), status: .draft, currency: deal.amount.currency, totalMinor: 0,
                          totalBaseMinor: 0, createdAt: now,
                          channelID: try account?.decode(column: "channel_id", as: Int64?.self).map { .init($0) },
                          regionID: try account?.decode(column: "region_id", as: Int64?.self).map { .init($0) })
        let drafts = try await sql.raw("""
            SELECT product_id, quantity_milli, unit_price_minor, discount_minor FROM deal_lines WHERE deal_id = \(bind: deal.id.rawValue)
            ORDER BY id
            """).all().map { row in
            OrderLineDraft(productID: .init(try row.decode(column: "product_id", as: Int64.self)),
                           quantityMilli: try row.decode(column: "quantity_milli", as: Int64.self),
                           unitPriceMinor: try row.decode(column: "unit_price_minor", as: Int64.self),
                           discountMinor: try row.decode(column: "discount_minor", as: Int64.self))
        }
        // A missing exchange rate must not stop a rep from winning: the draft then has no lines, and its audit
        // line says why, for the desk to fix.
        var problems = ValidationFailure.Collector()
        var lines = try await price(drafts, order: order, base: base, in: sql, into: &problems)
        var note: String?
        if !problems.errors.isEmpty {
            note = "lines not copied: " + problems.errors.map { "\($0.field) \($0.reason)" }.joined(separator: "; ")
            lines = []
        }
        order.totalMinor = lines.reduce(0) { $0 + $1.netMinor }
        order.totalBaseMinor = lines.reduce(0) { $0 + $1.netBaseMinor }
        try await insertOrder(&order, lines: lines, in: sql)
        var changes = AuditLog.created(fields(of: order))
        changes.append(.init("from", old: nil, new: "won deal \(deal.id)"))
        if let note { changes.append(.init("note", old: nil, new: note)) }
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "order", entityID: order.id.rawValue,
                                        changes: changes, address: address), in: sql)
    }
}
