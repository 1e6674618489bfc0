import Foundation
import KvotaCore
import SQLKit

/// "If I win this deal, my pay becomes …": the deal's owner's statement for this month to date, and the same with the
/// deal won today.
public struct PayWhatIf: Sendable {
    public let dealID: Deal.ID
    public let userID: User.ID
    public let period: Period
    /// What winning adds: revenue (the deal's amount in the base currency at today's rate), margin (from its product
    /// lines, when they are priced in the deal's currency; else nothing), one order, one deal won.
    public let added: [PlanMeasure: Int64]
    public let marginKnown: Bool
    public let current: PayStatement
    public let ifWon: PayStatement
}

extension Database {
    public func payWhatIf(deal id: Deal.ID, for actor: Actor, at now: Date) async throws -> PayWhatIf {
        try await requireAccess(actor, .read, .deal, id: id.rawValue)
        let settings = try await companySettings()
        let today = LocalDate(now, in: settings.timeZone)
        let period = Period(.month, containing: today)
        let (owner, added, marginKnown) = try await read { sql -> (User.ID, [PlanMeasure: Int64], Bool) in
            let deal = try await sql.raw("""
                SELECT owner_id, status, amount_minor, currency FROM deals WHERE id = \(bind: id.rawValue)
                """).first()!
            var errors = ValidationFailure.Collector()
            let status = try deal.decode(column: "status", as: String.self)
            errors.check(status == "open", "deal", "deal \(id) is already \(status)")
            let currency = try Currency(try deal.decode(column: "currency", as: String.self))
            var micros: Int64 = 1_000_000
            if currency != settings.baseCurrency {
                let rate = try await sql.raw("""
                    SELECT base_micros FROM exchange_rates WHERE currency = \(bind: currency.code) AND valid_from <= \(bind: today.key)
                    ORDER BY valid_from DESC LIMIT 1
                    """).first()
                errors.check(rate != nil, "deal", "no exchange rate for \(currency) on \(today.iso)")
                micros = try rate?.decode(column: "base_micros", as: Int64.self) ?? 0
            }
            try errors.finish()
            func base(_ minor: Int64) -> Int64 { Int64((Double(minor) * Double(micros) / 1_000_000).rounded()) }
            let lines = try await sql.raw("""
                SELECT l.quantity_milli, l.unit_price_minor, l.discount_minor, p.cost_minor, p.currency
                FROM deal_lines l JOIN products p ON p.id = l.product_id WHERE l.deal_id = \(bind: id.rawValue)
                """).all()
            var margin: Int64 = 0
            var known = !lines.isEmpty
            for line in lines {
                guard try line.decode(column: "currency", as: String.self) == currency.code else { known = false; break }
                let quantity = try line.decode(column: "quantity_milli", as: Int64.self)
                let net = Money(minorUnits: try line.decode(column: "unit_price_minor", as: Int64.self), currency: currency)
                    .multiplied(byMilli: quantity).minorUnits - (try line.decode(column: "discount_minor", as: Int64.self))
                let cost = Money(minorUnits: try line.decode(column: "cost_minor", as: Int64.self), currency: currency).multiplied(byMilli: quantity).minorUnits
                margin += net - cost
            }
            var added: [PlanMeasure: Int64] = [.revenue: base(try deal.decode(column: "amount_minor", as: Int64.self)), .orders: 1, .dealsWon: 1]
            if known { added[.margin] = base(margin) }
            return (User.ID(try deal.decode(column: "owner_id", as: Int64.self)), added, known)
        }
        guard AccessPolicy.allows(actor, .read, .payout, owner: owner) else { throw AccessDenied.forbidden(.read, .payout) }
        let context = try await payContext()
        guard let current = try await workOut(owner, period: period, asOf: today, context: context, for: actor)?.0,
              let won = try await workOut(owner, period: period, asOf: today, context: context, extra: added, for: actor)?.0 else {
            throw ValidationFailure([.invalid(field: "deal", reason: "user \(owner) has no compensation scheme in \(period.label)")])
        }
        return PayWhatIf(dealID: id, userID: owner, period: period, added: added, marginKnown: marginKnown, current: current.statement,
                         ifWon: won.statement)
    }
}
