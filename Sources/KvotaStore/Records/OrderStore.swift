import Foundation
import KvotaCore
import SQLKit

public struct OrderFilter: Hashable, PagedFilter {
    public var ownerID: User.ID?
    public var accountID: Account.ID?
    public var status: OrderStatus?
    public var channelID: Channel.ID?
    /// The region or any region under it.
    public var regionID: Region.ID?
    /// Owned by a member of the team (as the team is now, like analytics by team).
    public var teamID: Team.ID?
    /// Holding a line of a product in the category or any category under it.
    public var categoryID: ProductCategory.ID?
    /// Ordered on or after this day.
    public var orderedFrom: LocalDate?
    /// Ordered on or before this day.
    public var orderedThrough: LocalDate?
    /// Only the orders every sales figure counts (neither draft nor cancelled): the records behind an analysis.
    public var salesOnly = false
    public var custom: [CustomCondition] = []
    public var limit: Int = PageSize.standard
    public var cursor: String?
    public var sort: ListSort?

    public init(ownerID: User.ID? = nil, accountID: Account.ID? = nil, status: OrderStatus? = nil) {
        self.ownerID = ownerID; self.accountID = accountID; self.status = status
    }
}

/// Orders: realised sales, newest document date first. Lines are priced and converted to the base currency when
/// they are written (METRICS.md), so a missing exchange rate is an error naming the currency and date.
extension Database {
    public func orders(_ filter: OrderFilter, for actor: Actor, action: AccessAction = .list) async throws -> RecordPage<Order> {
        var filters: [SQLQueryString] = []
        if let owner = filter.ownerID { filters.append("r.owner_id = \(bind: owner.rawValue)") }
        if let account = filter.accountID { filters.append("r.account_id = \(bind: account.rawValue)") }
        if let status = filter.status {
            // Written out, not bound: the planners use the partial index of drafts (the order desk's queue) only when
            // they can see the condition it was made for.
            filters.append(status == .draft ? "r.status = 'draft'" : "r.status = \(bind: status.rawValue)")
        }
        if let channel = filter.channelID { filters.append("r.channel_id = \(bind: channel.rawValue)") }
        if let region = filter.regionID { filters.append("r.region_id IN (\(Self.regionSubtree(region)))") }
        if let team = filter.teamID { filters.append("r.owner_id IN (SELECT id FROM users WHERE team_id = \(bind: team.rawValue))") }
        if let category = filter.categoryID {
            filters.append("""
                EXISTS (SELECT 1 FROM order_lines l JOIN products p ON p.id = l.product_id
                        WHERE l.order_id = r.id AND p.category_id IN (\(Self.categorySubtree(category))))
                """)
        }
        if let from = filter.orderedFrom { filters.append("r.ordered_on >= \(bind: from.key)") }
        if let through = filter.orderedThrough { filters.append("r.ordered_on <= \(bind: through.key)") }
        if filter.salesOnly { filters.append(SalesRollups.counted("r")) }
        filters += try await Self.customConditions(.order, filter.custom, in: self)
        var page = try await page(Self.orderList, filters: filters, paging: filter, for: actor, action: action, decode: Self.order(from:))
        page.items = try await read { sql in try await Self.withCustom(page.items, .order, id: \.id.rawValue, set: { $0.custom = $1 }, in: sql) }
        return page
    }

    public func order(_ id: Order.ID, for actor: Actor) async throws -> Order {
        try await requireAccess(actor, .read, .order, id: id.rawValue)
        return try await read { sql in try await Self.order(id, in: sql) }
    }

    public func orderLines(of id: Order.ID, for actor: Actor) async throws -> [OrderLine] {
        try await requireAccess(actor, .read, .order, id: id.rawValue)
        return try await read { sql in try await Self.lines(of: id, in: sql) }
    }

    /// Adds an order with its lines. The owner defaults to the account's owner, the date to today, the status to
    /// confirmed, the currency to the base currency, the number to `SO-` and the order's id.
    public func addOrder(_ patch: OrderPatch, problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                         address: String? = nil) async throws -> Order {
        let scope = try AccessPolicy.require(actor, .create, .order)
        var errors = problems
        errors.check(patch.accountID != nil, "accountId", "is required")
        return try await write { sql in
            let zone = try await Self.timeZone(in: sql)
            let base = try await Self.baseCurrency(in: sql)
            var order = Order(id: 0, number: "", accountID: patch.accountID ?? 0, dealID: nil, ownerID: nil,
                              orderedOn: LocalDate(now, in: zone), status: .confirmed, currency: base, totalMinor: 0,
                              totalBaseMinor: 0, createdAt: now)
            let accountOwner = try await Self.apply(patch, to: &order, previous: nil, for: actor, in: sql, into: &errors)
            if patch.ownerID == nil { order.ownerID = accountOwner }
            if !scope.allows(owner: order.ownerID) { errors.check(false, "ownerId", "you may not add orders for this owner") }
            let lines = try await Self.price(patch.lines ?? [], order: order, base: base, in: sql, into: &errors)
            order.custom = try await Self.customValues(.order, applying: patch.custom, to: [:], isNew: true, in: sql, into: &errors)
            try errors.finish()
            order.totalMinor = lines.reduce(0) { $0 + $1.netMinor }
            order.totalBaseMinor = lines.reduce(0) { $0 + $1.netBaseMinor }
            try await Self.insertOrder(&order, lines: lines, in: sql)
            try await Self.recheckAlerts(.keyCustomerSilent, subjects: [order.accountID.rawValue], at: now, zone: zone, in: sql)
            try await Self.writeCustomValues(.order, id: order.id.rawValue, values: order.custom, old: [:], in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "order", entityID: order.id.rawValue,
                                            changes: AuditLog.created(Self.fields(of: order)) + Self.customChanges([:], order.custom),
                                            address: address), in: sql)
            try await WebhookOutbox.orderChanged(from: nil, to: order, by: actor.userID, at: now, in: sql)
            return order
        }
    }

    /// Changes an order; `lines` in the patch replace all its lines and reprice them.
    public func updateOrder(_ id: Order.ID, _ patch: OrderPatch, problems: ValidationFailure.Collector = .init(),
                            expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws -> Order {
        try await requireAccess(actor, .update, .order, id: id.rawValue)
        return try await write { sql in
            try await sql.lockForChange("orders", id: id.rawValue)
            let old = try await Self.order(id, in: sql)
            try VersionConflict.check(.order, id: id.rawValue, expected: expectedVersion, current: old.version)
            var errors = problems
            var new = old
            _ = try await Self.apply(patch, to: &new, previous: old, for: actor, in: sql, into: &errors)
            if new.ownerID != old.ownerID, !AccessPolicy.allows(actor, .update, .order, owner: new.ownerID) {
                errors.check(false, "ownerId", "you may not give orders to this owner")
            }
            let base = try await Self.baseCurrency(in: sql)
            var lines: [OrderLine]?
            if let drafts = patch.lines {
                lines = try await Self.price(drafts, order: new, base: base, in: sql, into: &errors)
            } else if new.currency != old.currency || new.orderedOn != old.orderedOn {
                errors.check(false, "lines", "send the lines again when the currency or date changes, so they are repriced")
            }
            new.custom = try await Self.customValues(.order, applying: patch.custom, to: old.custom, isNew: false, in: sql, into: &errors)
            try errors.finish()
            if let lines {
                new.totalMinor = lines.reduce(0) { $0 + $1.netMinor }
                new.totalBaseMinor = lines.reduce(0) { $0 + $1.netBaseMinor }
            }
            var changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            if lines != nil, !changes.contains(where: { $0.field == "total" }) { changes.append(.init("lines", old: nil, new: "replaced")) }
            changes += Self.customChanges(old.custom, new.custom)
            guard !changes.isEmpty else { return old }
            new.version = old.version + 1
            let change = try await SalesRollups.takeOff(orders: [id.rawValue], in: sql)
            try await sql.raw("""
                UPDATE orders SET number = \(bind: new.number), account_id = \(bind: new.accountID.rawValue), deal_id = \(bind: new.dealID?.rawValue),
                    owner_id = \(bind: new.ownerID?.rawValue), ordered_on = \(bind: new.orderedOn.key), status = \(bind: new.status.rawValue),
                    currency = \(bind: new.currency.code), total_minor = \(bind: new.totalMinor), total_base_minor = \(bind: new.totalBaseMinor),
                    channel_id = \(bind: new.channelID?.rawValue), region_id = \(bind: new.regionID?.rawValue), version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            if let lines {
                try await sql.raw("DELETE FROM order_lines WHERE order_id = \(bind: id.rawValue)").run()
                try await Self.writeLines(lines, of: id, in: sql)
            }
            try await SalesRollups.putOn(orders: [id.rawValue], after: change, in: sql)
            try await Self.recheckAlerts(.keyCustomerSilent, subjects: [new.accountID.rawValue], at: now, zone: try await Self.timeZone(in: sql),
                                         in: sql)
            try await Self.writeCustomValues(.order, id: id.rawValue, values: new.custom, old: old.custom, in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "order", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            try await WebhookOutbox.orderChanged(from: old, to: new, by: actor.userID, at: now, in: sql)
            return new
        }
    }

    /// Deletes an order and its lines (a mistaken entry); a real order that did not happen is cancelled instead.
    public func deleteOrder(_ id: Order.ID, expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws {
        try await requireAccess(actor, .delete, .order, id: id.rawValue)
        try await write { sql in
            try await sql.lockForChange("orders", id: id.rawValue)
            let old = try await Self.order(id, in: sql)
            try VersionConflict.check(.order, id: id.rawValue, expected: expectedVersion, current: old.version)
            let change = try await SalesRollups.takeOff(orders: [id.rawValue], in: sql)
            try await DeletionRules.clear("orders", id: id.rawValue, kind: "order", in: sql)
            try await Self.deleteCustomValues(.order, id: id.rawValue, in: sql)
            try await sql.raw("DELETE FROM orders WHERE id = \(bind: id.rawValue)").run()
            try await SalesRollups.putOn(orders: [], after: change, in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "order", entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)), address: address), in: sql)
        }
    }

    // MARK: - Rows

    static let orderColumns = """
        r.id, r.number, r.account_id, r.deal_id, r.owner_id, r.ordered_on, r.status, r.currency, r.total_minor, r.total_base_minor, \
        r.created_at, r.channel_id, r.region_id, r.version
        """
    static let orderList = RecordList(kind: .order, table: "orders", columns: orderColumns, sorts: [
        ("ordered", .number("ordered_on"))], defaultSort: ListSort("ordered", descending: true))

    static func order(from row: any SQLRow) throws -> Order {
        let statusKey = try row.decode(column: "status", as: String.self)
        guard let status = OrderStatus(rawValue: statusKey) else { throw StoreError.query("orders.status: unknown status '\(statusKey)'") }
        return Order(id: .init(try row.decode(column: "id", as: Int64.self)), number: try row.decode(column: "number", as: String.self),
                     accountID: .init(try row.decode(column: "account_id", as: Int64.self)),
                     dealID: try row.decode(column: "deal_id", as: Int64?.self).map { Deal.ID($0) },
                     ownerID: try row.decode(column: "owner_id", as: Int64?.self).map { User.ID($0) },
                     orderedOn: try LocalDate(key: try row.decode(column: "ordered_on", as: Int.self)), status: status,
                     currency: try Currency(try row.decode(column: "currency", as: String.self)),
                     totalMinor: try row.decode(column: "total_minor", as: Int64.self),
                     totalBaseMinor: try row.decode(column: "total_base_minor", as: Int64.self),
                     createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                     channelID: try row.decode(column: "channel_id", as: Int64?.self).map { Channel.ID($0) },
                     regionID: try row.decode(column: "region_id", as: Int64?.self).map { Region.ID($0) },
                     version: try row.decode(column: "version", as: Int64.self))
    }

    static func order(_ id: Order.ID, in sql: any SQLDatabase) async throws -> Order {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: orderColumns) FROM orders AS r WHERE r.id = \(bind: id.rawValue)").first()
        else { throw AccessDenied.notFound(.order, id: id.rawValue) }
        return try await withCustom([try order(from: row)], .order, id: \.id.rawValue, set: { $0.custom = $1 }, in: sql)[0]
    }

    static func lines(of id: Order.ID, in sql: any SQLDatabase) async throws -> [OrderLine] {
        try await sql.raw("""
            SELECT \(unsafeRaw: orderLineColumns) FROM order_lines l WHERE l.order_id = \(bind: id.rawValue) ORDER BY l.id
            """).all().map(orderLine(from:))
    }

    static let orderLineColumns = """
        l.id, l.order_id, l.product_id, l.quantity_milli, l.unit_price_minor, l.discount_minor, l.net_minor, l.net_base_minor, \
        l.cost_base_minor
        """

    static func orderLine(from row: any SQLRow) throws -> OrderLine {
        OrderLine(id: .init(try row.decode(column: "id", as: Int64.self)), orderID: .init(try row.decode(column: "order_id", as: Int64.self)),
                  productID: .init(try row.decode(column: "product_id", as: Int64.self)),
                  quantityMilli: try row.decode(column: "quantity_milli", as: Int64.self),
                  unitPriceMinor: try row.decode(column: "unit_price_minor", as: Int64.self),
                  discountMinor: try row.decode(column: "discount_minor", as: Int64.self),
                  netMinor: try row.decode(column: "net_minor", as: Int64.self),
                  netBaseMinor: try row.decode(column: "net_base_minor", as: Int64.self),
                  costBaseMinor: try row.decode(column: "cost_base_minor", as: Int64.self))
    }

    static func fields(of o: Order) -> [(String, String?)] {
        [("number", o.number), ("account", o.accountID.description), ("deal", o.dealID?.description), ("owner", o.ownerID?.description),
         ("orderedOn", o.orderedOn.iso), ("status", o.status.rawValue), ("channel", o.channelID?.description),
         ("region", o.regionID?.description),
         ("total", Money(minorUnits: o.totalMinor, currency: o.currency).description)]
    }

    /// Applies the header fields and checks the references; answers the account's owner (the default order owner).
    private static func apply(_ patch: OrderPatch, to order: inout Order, previous old: Order?, for actor: Actor, in sql: any SQLDatabase,
                              into errors: inout ValidationFailure.Collector) async throws -> User.ID? {
        if let number = patch.number?.trimmingCharacters(in: .whitespaces) {
            errors.check(!number.isEmpty && number.count <= 50, "number", "expected 1 to 50 characters")
            if number != old?.number, !number.isEmpty {
                errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM orders WHERE number = \(bind: number)") == 0,
                             "number", "'\(number)' is already another order's number")
            }
            order.number = number
        }
        if let account = patch.accountID { order.accountID = account }
        if let deal = patch.dealID { order.dealID = deal }
        if let owner = patch.ownerID { order.ownerID = owner }
        if let day = patch.orderedOn { order.orderedOn = day }
        if let status = patch.status { order.status = status }
        if let code = patch.currency {
            do throws(ValueError) { order.currency = try Currency(code) } catch { errors.check(false, error.field, error.reason) }
        }
        if let channel = patch.channelID { order.channelID = channel }
        if let region = patch.regionID { order.regionID = region }
        var accountOwner: User.ID?
        // 0 is "not given" only on a new order, which then lacks a required account; a change to 0 names no account.
        if order.accountID.rawValue != 0 || old != nil {
            let row = try await sql.raw("SELECT owner_id, channel_id, region_id FROM accounts WHERE id = \(bind: order.accountID.rawValue)")
                .first()
            accountOwner = try row?.decode(column: "owner_id", as: Int64?.self).map { User.ID($0) }
            if order.accountID != old?.accountID {
                errors.check(row != nil && AccessPolicy.allows(actor, .read, .account, owner: accountOwner), "accountId",
                             "no account \(order.accountID)")
                if let row, patch.channelID == nil { order.channelID = try row.decode(column: "channel_id", as: Int64?.self).map { .init($0) } }
                if let row, patch.regionID == nil { order.regionID = try row.decode(column: "region_id", as: Int64?.self).map { .init($0) } }
            }
        }
        if let channel = order.channelID, channel != old?.channelID {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM channels WHERE id = \(bind: channel.rawValue)") == 1,
                         "channelId", "no channel \(channel)")
        }
        if let region = order.regionID, region != old?.regionID {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM regions WHERE id = \(bind: region.rawValue)") == 1,
                         "regionId", "no region \(region)")
        }
        if let deal = order.dealID, deal != old?.dealID || order.accountID != old?.accountID {
            errors.check(try await count(sql, """
                SELECT COUNT(*) AS n FROM deals WHERE id = \(bind: deal.rawValue) AND account_id = \(bind: order.accountID.rawValue)
                """) == 1, "dealId", "deal \(deal) is not a deal of account \(order.accountID)")
        }
        if let owner = order.ownerID { try await checkOwner(owner, changedFrom: old?.ownerID, in: sql, into: &errors) }
        return accountOwner
    }

    /// Prices every line: the product's list price unless one is given, its cost as the cost snapshot, both converted
    /// at the rate valid on the order's date.
    static func price(_ drafts: [OrderLineDraft], order: Order, base: Currency, in sql: any SQLDatabase,
                              into errors: inout ValidationFailure.Collector) async throws -> [OrderLine] {
        errors.check(drafts.count <= 1_000, "lines", "at most 1 000 lines an order")
        var lines: [OrderLine] = []
        // nil: the base currency, which needs no rate; a missing rate is reported once per currency.
        var rates: [Currency: ExchangeRate] = [:]
        var missing: Set<Currency> = []
        func rate(_ currency: Currency, field: String) async throws -> (found: Bool, rate: ExchangeRate?) {
            if currency == base { return (true, nil) }
            if let known = rates[currency] { return (true, known) }
            if missing.contains(currency) { return (false, nil) }
            let row = try await sql.raw("""
                SELECT valid_from, base_micros FROM exchange_rates WHERE currency = \(bind: currency.code)
                AND valid_from <= \(bind: order.orderedOn.key) ORDER BY valid_from DESC LIMIT 1
                """).first()
            guard let row else {
                missing.insert(currency)
                errors.check(false, field, "no exchange rate for \(currency) on \(order.orderedOn.iso)")
                return (false, nil)
            }
            let found = ExchangeRate(currency: currency, validFrom: try LocalDate(key: try row.decode(column: "valid_from", as: Int.self)),
                                     baseMicros: try row.decode(column: "base_micros", as: Int64.self))
            rates[currency] = found
            return (true, found)
        }
        for (index, draft) in drafts.enumerated() {
            OrderPricing.check(draft, index: index, into: &errors)
            guard let product = try await sql.raw("""
                SELECT price_minor, cost_minor, currency FROM products WHERE id = \(bind: draft.productID.rawValue)
                """).first() else {
                errors.check(false, "lines[\(index)].productId", "no product \(draft.productID)")
                continue
            }
            let productCurrency = try Currency(try product.decode(column: "currency", as: String.self))
            if draft.unitPriceMinor == nil {
                errors.check(productCurrency == order.currency, "lines[\(index)].unitPriceMinor",
                             "the list price is in \(productCurrency); give the price in \(order.currency)")
            }
            let orderRate = try await rate(order.currency, field: "currency")
            let costRate = try await rate(productCurrency, field: "lines[\(index)].productId")
            guard orderRate.found, costRate.found else { continue }
            let listPrice = try product.decode(column: "price_minor", as: Int64.self)
            let unitCost = Money(minorUnits: try product.decode(column: "cost_minor", as: Int64.self), currency: productCurrency)
            let inputs = OrderPricing.Inputs(unitPrice: draft.unitPriceMinor ?? listPrice, unitCost: unitCost,
                                             orderRate: orderRate.rate, costRate: costRate.rate)
            lines.append(OrderPricing.line(draft, currency: order.currency, inputs: inputs))
        }
        return lines
    }

    /// Writes a new order's row and its lines; one without a number gets `SO-` and its id.
    static func insertOrder(_ order: inout Order, lines: [OrderLine], in sql: any SQLDatabase) async throws {
        let number = order.number.isEmpty ? "pending-\(UUID().uuidString)" : order.number
        let row = try await sql.raw("""
            INSERT INTO orders (number, account_id, deal_id, owner_id, ordered_on, status, currency, total_minor, total_base_minor, created_at,
                                channel_id, region_id)
            VALUES (\(bind: number), \(bind: order.accountID.rawValue), \(bind: order.dealID?.rawValue), \(bind: order.ownerID?.rawValue),
                    \(bind: order.orderedOn.key), \(bind: order.status.rawValue), \(bind: order.currency.code), \(bind: order.totalMinor),
                    \(bind: order.totalBaseMinor), \(bind: order.createdAt.epochMilliseconds), \(bind: order.channelID?.rawValue),
                    \(bind: order.regionID?.rawValue))
            RETURNING id
            """).first()
        order.id = Order.ID(try row!.decode(column: "id", as: Int64.self))
        if order.number.isEmpty {
            order.number = "SO-\(order.id)"
            try await sql.raw("UPDATE orders SET number = \(bind: order.number) WHERE id = \(bind: order.id.rawValue)").run()
        }
        try await writeLines(lines, of: order.id, in: sql)
        try await SalesRollups.putOn(orders: [order.id.rawValue], in: sql)
    }

    private static func writeLines(_ lines: [OrderLine], of order: Order.ID, in sql: any SQLDatabase) async throws {
        for line in lines {
            try await sql.raw("""
                INSERT INTO order_lines (order_id, product_id, quantity_milli, unit_price_minor, discount_minor, net_minor, net_base_minor,
                                         cost_base_minor)
                VALUES (\(bind: order.rawValue), \(bind: line.productID.rawValue), \(bind: line.quantityMilli), \(bind: line.unitPriceMinor),
                        \(bind: line.discountMinor), \(bind: line.netMinor), \(bind: line.netBaseMinor), \(bind: line.costBaseMinor))
                """).run()
        }
    }

    /// The currency every report sums in (a company setting; euros when unset).
    public func baseCurrency() async throws -> Currency {
        try await read { sql in try await Self.baseCurrency(in: sql) }
    }

    static func baseCurrency(in sql: any SQLDatabase) async throws -> Currency {
        let code = try await sql.raw("SELECT value FROM settings WHERE key = 'company.base_currency'").first()?
            .decode(column: "value", as: String.self)
        return (try? Currency(code ?? "EUR")) ?? .EUR
    }
}
