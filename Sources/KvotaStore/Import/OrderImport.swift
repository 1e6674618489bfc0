import Foundation
import KvotaCore
import SQLKit

/// Orders from a file, one row per line: rows with the same `external_id` (or, without one, the same `number`) are
/// one order, and must agree on its date, account, owner, status, currency, channel and region. An order whose
/// external id (or number) is known is replaced: its header and all its lines. Everything is looked up before the
/// first write and the rows go in as bulk appends, because sales histories run to millions of lines
/// (docs/performance.md, "Import").
extension Database {
    /// `checkOnly`: a dry run's last step, whose writes nothing after it needs; the orders are checked, not written.
    func orderRows(_ rows: [ImportRow], by actor: Actor, at now: Date, checkOnly: Bool, in sql: any SQLDatabase,
                   bulk: BulkSink) async throws -> ImportReport {
        let scope = try AccessPolicy.require(actor, .create, .order)
        var report = ImportReport(dryRun: false)
        var plan = try await OrderImportPlan.make(rows, in: sql)
        plan.build(for: actor, scope: scope, at: now)
        report.problems = plan.problems
        report.created = plan.orders.filter { $0.existing == nil }.count
        report.unchanged = plan.orders.filter(\.unchanged).count
        report.updated = plan.orders.count - report.created - report.unchanged
        if !checkOnly && report.problems.isEmpty { try await Self.write(plan, by: actor, at: now, in: sql, bulk: bulk) }
        return report
    }

    /// Replaced orders are deleted and written again under their ids, with the new ones, in the same bulk appends:
    /// one statement per few thousand rows instead of three per order. Orders the file repeats unchanged are left
    /// alone (a daily re-import of the month's sales rewrites only what changed). The sales roll-ups change by what
    /// the plan holds, old versions and new, with one net row per key (`SalesDelta`).
    private static func write(_ plan: OrderImportPlan, by actor: Actor, at now: Date, in sql: any SQLDatabase, bulk: BulkSink) async throws {
        var orders = plan.orders.filter { !$0.unchanged }
        var ids = try await reserveIDs(count: orders.filter { $0.existing == nil }.count, of: "orders", in: sql).makeIterator()
        var orderRows: [[BulkValue]] = [], lineRows: [[BulkValue]] = [], auditRows: [[BulkValue]] = []
        // The roll-ups' change, summed from the old versions the plan read and the new ones, before a row is written.
        var sales = SalesDelta(orders: orders.count, lines: plan.lineCount, categories: try await SalesRollups.productCategories(in: sql))
        orderRows.reserveCapacity(orders.count)
        lineRows.reserveCapacity(plan.lineCount)
        auditRows.reserveCapacity(orders.count)
        for index in orders.indices {
            let changes: [AuditEntry.FieldChange]
            if let old = orders[index].existing {
                changes = AuditLog.diff(fields(of: old.order), fields(of: orders[index].order))
                    + [.init("lines", old: nil, new: "replaced")]
            } else {
                orders[index].order.id = Order.ID(ids.next()!)
                if orders[index].order.number.isEmpty { orders[index].order.number = "SO-\(orders[index].order.id)" }
                changes = AuditLog.created(fields(of: orders[index].order))
            }
            if let old = orders[index].existing { sales.add(old.order, lines: old.lines, taken: true) }
            sales.add(orders[index].order, lines: orders[index].lines)
            let o = orders[index].order
            orderRows.append([.int(o.id.rawValue), .text(o.number), .int(o.accountID.rawValue), (o.dealID?.rawValue).bulk,
                              (o.ownerID?.rawValue).bulk, .int(Int64(o.orderedOn.key)), .text(o.status.rawValue), .text(o.currency.code),
                              .int(o.totalMinor), .int(o.totalBaseMinor), .int(o.createdAt.epochMilliseconds), (o.channelID?.rawValue).bulk,
                              (o.regionID?.rawValue).bulk, orders[index].externalID.bulk, .int(o.version)])
            appendLines(orders[index].lines, of: o.id, to: &lineRows)
            auditRows.append([.int(now.epochMilliseconds), .int(actor.userID.rawValue),
                              .text(orders[index].existing == nil ? "create" : "update"), .text("order"), .int(o.id.rawValue),
                              .text(AuditLog.json(changes)), .text("import")])
        }
        let replaced = orders.compactMap { $0.existing?.id.rawValue }
        for start in stride(from: 0, to: replaced.count, by: 500) {
            let chunk = SQLList(replaced[start..<min(start + 500, replaced.count)].map { SQLBind($0) as any SQLExpression })
            try await sql.raw("DELETE FROM order_lines WHERE order_id IN (\(chunk))").run()
            try await sql.raw("DELETE FROM orders WHERE id IN (\(chunk))").run()
        }
        try await bulk(BulkTable(name: "orders", columns: ["id", "number", "account_id", "deal_id", "owner_id", "ordered_on", "status",
                                                           "currency", "total_minor", "total_base_minor", "created_at", "channel_id",
                                                           "region_id", "external_id", "version"], rows: orderRows))
        orderRows = []
        try await bulk(BulkTable(name: "order_lines", columns: ["order_id", "product_id", "quantity_milli", "unit_price_minor",
                                                                "discount_minor", "net_minor", "net_base_minor", "cost_base_minor"],
                                 rows: lineRows))
        lineRows = []
        try await bulk(BulkTable(name: "audit_log", columns: ["at", "user_id", "action", "entity", "entity_id", "changes", "address"],
                                 rows: auditRows))
        auditRows = []
        try await sales.apply(in: sql, bulk: bulk)
    }

    private static func appendLines(_ lines: [OrderLine], of order: Order.ID, to rows: inout [[BulkValue]]) {
        for line in lines {
            rows.append([.int(order.rawValue), .int(line.productID.rawValue), .int(line.quantityMilli), .int(line.unitPriceMinor),
                         .int(line.discountMinor), .int(line.netMinor), .int(line.netBaseMinor), .int(line.costBaseMinor)])
        }
    }

    /// Ids for rows about to be appended, taken inside the write transaction: SQLite has one writer, so the ids after
    /// the largest are free; PostgreSQL hands them out from the table's sequence, which no other writer gets again.
    static func reserveIDs(count: Int, of table: String, in sql: any SQLDatabase) async throws -> [Int64] {
        guard count > 0 else { return [] }
        if sql.dialect.name == "postgresql" {
            return try await sql.raw("""
                SELECT nextval(pg_get_serial_sequence(\(bind: table), 'id')) AS id FROM generate_series(1, \(bind: count))
                """).all().map { try $0.decode(column: "id", as: Int64.self) }.sorted()
        }
        let last = try await sql.raw("SELECT COALESCE(MAX(id), 0) AS id FROM \(ident: table)").first()?.decode(column: "id", as: Int64.self) ?? 0
        return (1...Int64(count)).map { last + $0 }
    }
}
