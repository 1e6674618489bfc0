import Foundation
import KvotaCore
import Logging
import SQLKit

/// Loads the demo company into a database: refuses a database that holds data unless asked to replace it, drops the
/// secondary indexes while rows stream in and builds them again at the end (much faster than updating them row by
/// row at the L scale), and records the company's settings.
public enum DemoLoader {
    public struct Progress: Sendable {
        public let kind: String
        public let records: Int
        public let total: Int
    }

    /// Tables holding company data, children first (the order to delete in).
    static let dataTables = [
        "inbound_requests", "assignment_rules", "web_forms", "telephony_events", "pbx_calls", "onboarding_checks", "onboarding_steps", "training_records", "stage_documents", "library_documents", "survey_recipients", "surveys",
        "survey_templates", "reviews", "scorecards", "swot_item_tasks", "swot_items", "swot_boards", "kpi_targets", "alert_recipients", "alerts",
        "alert_checks", "payout_clawbacks", "payouts", "pay_schemes", "plan_rows", "plan_targets", "plans", "search_terms", "idempotency_keys", "contact_channels", "account_tags", "account_addresses", "sign_in_failures",
        "sessions", "api_tokens", "user_assignments", "audit_log", "activities", "sales_day", "sales_month", "sales_customers", "stage_outcomes",
        "order_lines", "orders",
        "deal_stage_history", "deal_lines", "deals", "leads", "stages", "pipelines", "contacts", "accounts",
        "exchange_rates", "product_prices", "products", "product_categories", "channels", "regions", "users", "teams",
    ]

    public static func load(_ options: DemoOptions, into database: Database, replace: Bool = false,
                            logger: Logger = Logger(label: "kvota.demo"),
                            progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> DemoSummary {
        try await prepare(database, replace: replace)
        try await database.write { sql in
            for (key, value) in [
                ("company.name", "Nordvik Supply (demo)"), ("company.time_zone", options.timeZone.identifier),
                ("company.base_currency", options.baseCurrency.code), ("company.default_country", "SE"),
                ("demo.scale", options.scale.name), ("demo.seed", String(options.seed)), ("demo.as_of", options.asOf.iso),
            ] {
                try await Settings.set(key, value, in: sql, engine: database.engine)
            }
        }
        let indexes = try await SecondaryIndexes.drop(in: database)
        let sink = LoaderSink(database: database, rows: DemoRows(zone: options.timeZone), progress: progress)
        let summary: DemoSummary
        do {
            summary = try await DemoCompany.generate(options, into: sink)
            try await sink.finish()
        } catch {
            try? await sink.finish()
            try? await SecondaryIndexes.create(indexes, in: database)
            throw error
        }
        logger.info("building indexes", metadata: ["count": "\(indexes.count)"])
        try await SecondaryIndexes.create(indexes, in: database)
        logger.info("building sales roll-ups and stage outcomes")
        try await database.write { sql in
            try await SalesRollups.rebuild(in: sql)
            try await StageOutcomes.rebuild(in: sql)
        }
        try await finishLoad(database)
        // The generator's leads carry a status but no qualification day: date them by their arrival, as migration 20 did.
        try await database.write { sql in
            try await sql.raw("UPDATE leads SET qualified_on = received_on WHERE status IN ('qualified', 'converted') AND qualified_on IS NULL").run()
        }
        logger.info("making plans, schemes and payouts")
        try await DemoPlans.load(options, into: database)
        logger.info("writing the library, training, onboarding and a key-customer survey")
        try await DemoToolkit.load(options, into: database)
        try await DemoIntake.load(options, into: database)
        logger.info("packing the ended months' sales per customer")
        try await database.packSalesMonths(before: options.asOf.monthKey)
        try await database.refreshStatistics(afterBulkLoad: true)
        return summary
    }

    /// Refuses a database with data, or empties it when `replace` is set.
    static func prepare(_ database: Database, replace: Bool) async throws {
        let counts = try await database.read { sql in
            var counts: [(String, Int)] = []
            for table in ["users", "accounts", "orders"] {
                let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()
                counts.append((table, try row?.decode(column: "n", as: Int.self) ?? 0))
            }
            return counts
        }
        guard counts.contains(where: { $0.1 > 0 }) else { return }
        guard replace else {
            let held = counts.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
            throw StoreError.notEmpty("the database already holds data (\(held)); add --replace to delete it and generate the demo company")
        }
        try await database.write { sql in
            switch database.engine {
            case .postgres:
                try await sql.raw("TRUNCATE \(unsafeRaw: dataTables.joined(separator: ", ")) RESTART IDENTITY CASCADE").run()
            case .sqlite:
                try await sql.raw("UPDATE teams SET head_id = NULL").run()
                for table in dataTables { try await sql.raw("DELETE FROM \(ident: table)").run() }
            }
        }
    }

    /// Identity sequences follow the explicit ids the generator assigned; statistics are refreshed for the planner.
    static func finishLoad(_ database: Database) async throws {
        switch database.engine {
        case .postgres:
            try await database.write { sql in
                let withoutIDs = ["product_prices", "exchange_rates", "sessions", "search_terms", "idempotency_keys", "account_tags", "plan_targets", "payout_clawbacks",
                                  "onboarding_checks", "stage_documents", "swot_item_tasks", "alert_recipients", "alert_checks", "telephony_events"]
                    + SalesRollups.tables + [StageOutcomes.table]
                for table in dataTables where !withoutIDs.contains(table) {
                    try await sql.raw("""
                        SELECT setval(pg_get_serial_sequence(\(bind: table), 'id'), COALESCE((SELECT MAX(id) FROM \(ident: table)), 0) + 1, false)
                        """).run()
                }
            }
            try await database.read { sql in try await sql.raw("ANALYZE").run() }
        case .sqlite:
            try await database.write { sql in try await sql.raw("ANALYZE").run() }
        }
    }
}

/// Writes batches while the generator makes the next one: at most one write in flight, so batches land in order.
private actor LoaderSink: DemoSink {
    let database: Database
    let rows: DemoRows
    let progress: @Sendable (DemoLoader.Progress) -> Void
    private var pending: Task<Void, any Error>?
    private var written: [String: Int] = [:]
    private var total = 0

    init(database: Database, rows: DemoRows, progress: @escaping @Sendable (DemoLoader.Progress) -> Void) {
        self.database = database
        self.rows = rows
        self.progress = progress
    }

    func write(_ batch: DemoBatch) async throws {
        if let pending { try await pending.value }
        written[batch.kind, default: 0] += batch.count
        total += batch.count
        let report = DemoLoader.Progress(kind: batch.kind, records: written[batch.kind]!, total: total)
        let database = database, rows = rows, progress = progress
        pending = Task {
            if case .teamHeads(let teams) = batch {
                try await database.write { sql in
                    for team in teams {
                        try await sql.update("teams").set("head_id", to: team.headID?.rawValue)
                            .where("id", .equal, team.id.rawValue).run()
                    }
                    // Every user is in their first assignment since they joined (team heads come after all users).
                    try await sql.raw("""
                        INSERT INTO user_assignments (user_id, role, team_id, manager_id, valid_from)
                        SELECT id, role, team_id, manager_id, created_at FROM users ORDER BY id
                        """).run()
                }
            } else if let table = rows.table(for: batch) {
                try await database.bulkInsert(table)
                if let channels = rows.contactChannels(for: batch) { try await database.bulkInsert(channels) }
                if let terms = rows.searchTerms(for: batch) { try await database.bulkInsert(terms) }
            }
            progress(report)
        }
    }

    func finish() async throws {
        if let pending { try await pending.value }
        pending = nil
    }
}
