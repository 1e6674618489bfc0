import Foundation
import KvotaCore
import SQLKit

/// An order file turned into orders and priced lines, with every problem found on the way. Made in the import's
/// transaction: the lookups it reads are the state the writes land on.
struct OrderImportPlan {
    struct Existing {
        var order: Order
        var externalID: String?
        var lines: [OrderLine] = []
        var id: Order.ID { order.id }
        var version: Int64 { order.version }
        var number: String { order.number }
    }

    struct Planned {
        var order: Order
        var lines: [OrderLine]
        var externalID: String?
        var existing: Existing?
        /// An existing order the file repeats as it is: left alone.
        var unchanged = false
    }

    struct AccountRef: Sendable {
        var id: Account.ID
        var owner: User.ID?
        var channel: Channel.ID?
        var region: Region.ID?
    }

    struct ProductRef: Sendable {
        var id: Product.ID
        var price: Int64
        var cost: Money
    }

    /// The fields every row of one order repeats.
    static let headerFields = ["number", "date", "account", "owner", "status", "currency", "channel", "region"]

    private(set) var orders: [Planned] = []
    private(set) var problems: [ImportProblem] = []
    private(set) var lineCount = 0

    private var groups: [[ImportRow]] = []
    private var accounts: [String: ImportLookup.Found<AccountRef>] = [:]
    private var products: [String: ImportLookup.Found<ProductRef>] = [:]
    private var users: [String: ImportLookup.Found<Int64>] = [:]
    private var channels: [String: ImportLookup.Found<Int64>] = [:]
    private var regions: [String: ImportLookup.Found<Int64>] = [:]
    private var byExternalID: [String: Existing] = [:]
    private var byNumber: [String: Existing] = [:]
    private var rates: [Currency: [ExchangeRate]] = [:]
    private var base = Currency.EUR

    /// Groups the rows into orders and reads everything they name.
    static func make(_ rows: [ImportRow], in sql: any SQLDatabase) async throws -> OrderImportPlan {
        var plan = OrderImportPlan()
        var index: [String: Int] = [:]
        for row in rows {
            let key = row["external_id"].map { "e:" + $0 } ?? row["number"].map { "n:" + $0 } ?? "r:\(row.row)"
            if let at = index[key] { plan.groups[at].append(row) } else { index[key] = plan.groups.count; plan.groups.append([row]) }
        }
        func texts(_ field: String) -> Set<String> { Set(rows.compactMap { $0[field] }) }
        plan.accounts = try await ImportLookup.accounts.find(texts("account"), in: sql) { row in
            AccountRef(id: .init(try row.decode(column: "id", as: Int64.self)),
                       owner: try row.decode(column: "owner_id", as: Int64?.self).map { User.ID($0) },
                       channel: try row.decode(column: "channel_id", as: Int64?.self).map { Channel.ID($0) },
                       region: try row.decode(column: "region_id", as: Int64?.self).map { Region.ID($0) })
        }
        plan.products = try await ImportLookup.products.find(texts("product"), in: sql) { row in
            ProductRef(id: .init(try row.decode(column: "id", as: Int64.self)), price: try row.decode(column: "price_minor", as: Int64.self),
                       cost: Money(minorUnits: try row.decode(column: "cost_minor", as: Int64.self),
                                   currency: try Currency(try row.decode(column: "currency", as: String.self))))
        }
        plan.users = try await ImportLookup.users.ids(texts("owner"), in: sql)
        plan.channels = try await ImportLookup.channels.ids(texts("channel"), in: sql)
        plan.regions = try await ImportLookup.regions.ids(texts("region"), in: sql)
        plan.base = try await Database.baseCurrency(in: sql)
        for row in try await sql.raw("SELECT currency, valid_from, base_micros FROM exchange_rates ORDER BY valid_from").all() {
            guard let currency = try? Currency(try row.decode(column: "currency", as: String.self)) else { continue }
            plan.rates[currency, default: []].append(ExchangeRate(
                currency: currency, validFrom: try LocalDate(key: try row.decode(column: "valid_from", as: Int.self)),
                baseMicros: try row.decode(column: "base_micros", as: Int64.self)))
        }
        var existing: [Int64: Existing] = [:]
        for (column, keys) in [("external_id", texts("external_id")), ("number", texts("number"))] {
            let values = Array(keys)
            for start in stride(from: 0, to: values.count, by: 500) {
                let binds = values[start..<min(start + 500, values.count)].map { SQLBind($0) as any SQLExpression }
                let found = try await sql.raw("""
                    SELECT \(unsafeRaw: Database.orderColumns), r.external_id FROM orders AS r
                    WHERE r.\(ident: column) IN (\(SQLList(binds)))
                    """).all()
                for row in found {
                    let order = try Database.order(from: row)
                    existing[order.id.rawValue] = Existing(order: order, externalID: try row.decode(column: "external_id", as: String?.self))
                }
            }
        }
        // Their lines, to tell an order the file repeats unchanged from one it changes.
        let ids = existing.keys.sorted()
        for start in stride(from: 0, to: ids.count, by: 500) {
            for row in try await sql.raw("""
                SELECT \(unsafeRaw: Database.orderLineColumns) FROM order_lines l
                WHERE l.order_id IN \(SQLQueryString.list(ids[start..<min(start + 500, ids.count)])) ORDER BY l.order_id, l.id
                """).all() {
                let line = try Database.orderLine(from: row)
                existing[line.orderID.rawValue]?.lines.append(line)
            }
        }
        for order in existing.values {
            if let external = order.externalID { plan.byExternalID[external] = order }
            plan.byNumber[order.number] = order
        }
        return plan
    }

    /// Checks and prices every order, as `actor` would be allowed to write it.
    mutating func build(for actor: Actor, scope: AccessScope, at now: Date) {
        var numbers: [String: Int] = [:]
        for group in groups {
            let first = group[0]
            for row in group.dropFirst() {
                for field in Self.headerFields where row[field] != first[field] {
                    problems.append(row.problem(field, "row \(first.row) of the same order says '\(first[field] ?? "")'"))
                }
            }
            if let number = first["number"] {
                if let earlier = numbers[number] {
                    problems.append(first.problem("number", "row \(earlier) gives this number to another order"))
                }
                numbers[number] = first.row
            }
            if let planned = order(of: group, for: actor, scope: scope, at: now) {
                orders.append(planned)
                lineCount += planned.lines.count
            }
        }
    }

    private mutating func order(of group: [ImportRow], for actor: Actor, scope: AccessScope, at now: Date) -> Planned? {
        let first = group[0]
        let before = problems.count
        let externalID = first["external_id"]
        var existing = externalID.flatMap { byExternalID[$0] }
        if existing == nil, let number = first["number"], let known = byNumber[number] {
            if let other = known.externalID, other != externalID {
                problems.append(first.problem("number", "is already the number of the order with external id '\(other)'"))
            } else {
                existing = known
            }
        } else if let existing, let number = first["number"], let known = byNumber[number], known.id != existing.id {
            problems.append(first.problem("number", "is already order \(known.id)'s number"))
        }
        if let number = first["number"], number.count > 50 { problems.append(first.problem("number", "expected at most 50 characters")) }
        if let external = externalID, external.count > 100 {
            problems.append(first.problem("external_id", "expected at most 100 characters"))
        }

        var order = Order(id: 0, number: first["number"] ?? "", accountID: 0, dealID: nil, ownerID: nil,
                          orderedOn: existing?.order.orderedOn ?? LocalDate(now, in: TimeZone(identifier: "UTC")!),
                          status: .confirmed, currency: base, totalMinor: 0, totalBaseMinor: 0, createdAt: now)
        if let text = first["date"] {
            if let day = ImportText.date(text) { order.orderedOn = day } else { problems.append(first.problem("date", "expected YYYY-MM-DD or DD.MM.YYYY")) }
        } else {
            problems.append(first.problem("date", "is required"))
        }
        if let text = first["status"] {
            if let status = OrderStatus(rawValue: text.lowercased()) { order.status = status } else {
                problems.append(first.problem("status", "expected one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        if let text = first["currency"] {
            do throws(ValueError) { order.currency = try Currency(text.uppercased()) } catch {
                problems.append(first.problem("currency", error.reason))
            }
        }
        if first["account"] == nil { problems.append(first.problem("account", "is required")) }
        if let account = resolve(accounts, first, "account", kind: "account") {
            order.accountID = account.id
            order.ownerID = account.owner
            order.channelID = account.channel
            order.regionID = account.region
            if !AccessPolicy.allows(actor, .read, .account, owner: account.owner) {
                problems.append(first.problem("account", "no account '\(first["account"]!)'"))
            }
        }
        if let owner = resolve(users, first, "owner", kind: "active user") { order.ownerID = User.ID(owner) }
        if let channel = resolve(channels, first, "channel", kind: "channel") { order.channelID = Channel.ID(channel) }
        if let region = resolve(regions, first, "region", kind: "region") { order.regionID = Region.ID(region) }
        if let existing {
            if !AccessPolicy.allows(actor, .update, .order, owner: existing.order.ownerID) {
                problems.append(first.problem(externalID != nil ? "external_id" : "number", "matches an order you may not change"))
            }
        }
        if !scope.allows(owner: order.ownerID) {
            problems.append(first.problem(first["owner"] != nil ? "owner" : "account", "you may not add orders for this owner"))
        }
        if group.count > 10_000 { problems.append(first.problem("number", "an order has at most 10 000 lines")) }

        let orderRate = rate(order.currency, on: order.orderedOn)
        if case .failure(let reason) = orderRate { problems.append(first.problem("currency", reason.text)) }
        var lines: [OrderLine] = []
        lines.reserveCapacity(group.count)
        for row in group {
            if let line = line(of: row, order: order, orderRate: try? orderRate.get()) { lines.append(line) }
        }
        guard problems.count == before else { return nil }
        order.totalMinor = lines.reduce(0) { $0 + $1.netMinor }
        order.totalBaseMinor = lines.reduce(0) { $0 + $1.netBaseMinor }
        var planned = Planned(order: order, lines: lines, externalID: externalID, existing: existing)
        if let old = existing {
            // What the file does not say stays as it was.
            planned.order.id = old.id
            planned.order.version = old.version + 1
            planned.order.createdAt = old.order.createdAt
            planned.order.dealID = old.order.dealID
            if planned.order.number.isEmpty { planned.order.number = old.number }
            if planned.externalID == nil { planned.externalID = old.externalID }
            planned.unchanged = planned.externalID == old.externalID && planned.order.totalBaseMinor == old.order.totalBaseMinor
                && AuditLog.diff(Database.fields(of: old.order), Database.fields(of: planned.order)).isEmpty
                && Self.same(lines, old.lines)
        }
        return planned
    }

    private mutating func line(of row: ImportRow, order: Order, orderRate: ExchangeRate??) -> OrderLine? {
        let before = problems.count
        let digits = order.currency.minorUnitDigits
        func amount(_ field: String, digits: Int) -> Int64? { row.amount(field, digits: digits, into: &problems) }
        let quantity = amount("quantity", digits: 3)
        if row["quantity"] == nil { problems.append(row.problem("quantity", "is required")) }
        if quantity == 0 { problems.append(row.problem("quantity", "must be more than 0")) }
        var price = amount("price", digits: digits)
        var discount = amount("discount", digits: digits) ?? 0
        let cost = amount("cost", digits: digits)
        let lineAmount = amount("amount", digits: digits)
        let lineCost = amount("cost_amount", digits: digits)
        if lineCost != nil, cost != nil { problems.append(row.problem("cost_amount", "give the unit cost or the line's cost, not both")) }
        if let lineAmount, let quantity, quantity > 0 {
            // The line's sum rules: the discount is what brings quantity × price to it.
            if let unitPrice = price {
                let gross = Money(minorUnits: unitPrice, currency: order.currency).multiplied(byMilli: quantity).minorUnits
                if gross < lineAmount {
                    problems.append(row.problem("amount", "is more than quantity × price"))
                } else if row["discount"] != nil, gross - lineAmount != discount {
                    problems.append(row.problem("discount", "does not agree with quantity × price − amount (\(gross - lineAmount))"))
                }
                discount = gross - lineAmount
            } else if row["discount"] != nil {
                problems.append(row.problem("discount", "give the price as well, or leave the discount out: with an amount and no price, the price and discount are worked out from it"))
            } else {
                (price, discount) = OrderPricing.priced(amount: lineAmount, quantityMilli: quantity, currency: order.currency)
            }
        }
        if row["product"] == nil { problems.append(row.problem("product", "is required")) }
        guard let product = resolve(products, row, "product", kind: "product") else { return nil }
        let productCurrency = product.cost.currency
        if price == nil, row["price"] == nil, productCurrency != order.currency {
            problems.append(row.problem("price", "is required: the list price is in \(productCurrency), the order in \(order.currency)"))
        }
        var unitCost = product.cost
        var costRate = orderRate ?? nil
        if let cost = cost ?? lineCost {
            unitCost = Money(minorUnits: cost, currency: order.currency)
        } else {
            switch rate(productCurrency, on: order.orderedOn) {
            case .success(let found): costRate = found
            case .failure(let reason): problems.append(row.problem("product", reason.text))
            }
        }
        guard problems.count == before, let quantity, let orderRate else { return nil }
        let draft = OrderLineDraft(productID: product.id, quantityMilli: quantity, unitPriceMinor: price ?? product.price,
                                   discountMinor: discount)
        let line = OrderPricing.line(draft, currency: order.currency, inputs: .init(
            unitPrice: price ?? product.price, unitCost: unitCost, orderRate: orderRate, costRate: costRate, lineCost: lineCost))
        if line.netMinor < 0 { problems.append(row.problem("discount", "is more than the line's amount")) }
        return line
    }

    /// Whether two orders' lines say the same, line by line, whatever their ids.
    private static func same(_ new: [OrderLine], _ old: [OrderLine]) -> Bool {
        new.count == old.count && zip(new, old).allSatisfy { a, b in
            a.productID == b.productID
                && (a.quantityMilli, a.unitPriceMinor, a.discountMinor, a.netMinor, a.netBaseMinor, a.costBaseMinor)
                == (b.quantityMilli, b.unitPriceMinor, b.discountMinor, b.netMinor, b.netBaseMinor, b.costBaseMinor)
        }
    }

    /// The record `row[field]` names; nil for an empty cell, or with a problem at the cell for one that names none.
    private mutating func resolve<Value>(_ found: [String: ImportLookup.Found<Value>], _ row: ImportRow, _ field: String,
                                         kind: String) -> Value? {
        guard let text = row[field] else { return nil }
        switch ImportLookup.value(found, text, kind: kind) {
        case .success(let value): return value
        case .failure(let reason):
            problems.append(row.problem(field, reason.text))
            return nil
        }
    }

    /// The rate valid on `day` (nil for the base currency, which needs none).
    private func rate(_ currency: Currency, on day: LocalDate) -> Result<ExchangeRate?, ImportReason> {
        if currency == base { return .success(nil) }
        // Sorted by date: the last one from `day` or before, found by halving.
        let known = rates[currency] ?? []
        var low = 0, high = known.count
        while low < high {
            let middle = (low + high) / 2
            if known[middle].validFrom <= day { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return .failure(ImportReason("no exchange rate for \(currency) on \(day.iso)")) }
        return .success(known[low - 1])
    }
}
