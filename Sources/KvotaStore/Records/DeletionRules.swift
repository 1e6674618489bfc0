import KvotaCore
import SQLKit

/// What becomes of the rows that point at a record when the record is deleted or merged away, for every table the
/// API deletes from. Every foreign key into such a table is answered here: `DeletionRulesTests` reads them from the
/// schema on both engines, so a reference added later cannot turn a delete into a foreign-key error (a 500, as
/// deleting a lead that came from a web form was).
enum DeletionRules {
    enum Fate: Sendable, Equatable {
        /// History: while such rows exist the record stays, and the refusal counts them under `noun` (plural, a kind
        /// the problem catalog translates). A merge moves them to the record that stays.
        case keeps(noun: String)
        /// Rows that belong to the record and go with it, theirs first when they have a rule of their own.
        case goesWith
        /// A link the row can live without: it is cleared and the row stays.
        case forgets
    }

    struct Referrer: Sendable {
        let table: String
        let column: String
        let fate: Fate
        init(_ table: String, _ column: String, _ fate: Fate) { self.table = table; self.column = column; self.fate = fate }
    }

    static let rules: [String: [Referrer]] = [
        "accounts": [
            .init("contacts", "account_id", .keeps(noun: "contacts")), .init("leads", "account_id", .keeps(noun: "leads")),
            .init("deals", "account_id", .keeps(noun: "deals")), .init("orders", "account_id", .keeps(noun: "orders")),
            .init("activities", "account_id", .keeps(noun: "activities")),
            .init("inbound_requests", "account_id", .keeps(noun: "inbound requests")),
            .init("survey_recipients", "account_id", .keeps(noun: "survey recipients")),
            .init("account_tags", "account_id", .goesWith), .init("account_addresses", "account_id", .goesWith),
        ],
        "contacts": [
            .init("leads", "contact_id", .keeps(noun: "leads")), .init("deals", "contact_id", .keeps(noun: "deals")),
            .init("activities", "contact_id", .keeps(noun: "activities")),
            .init("inbound_requests", "contact_id", .keeps(noun: "inbound requests")),
            .init("survey_recipients", "contact_id", .keeps(noun: "survey recipients")),
            .init("contact_channels", "contact_id", .goesWith),
        ],
        "leads": [
            .init("deals", "lead_id", .keeps(noun: "deals")), .init("activities", "lead_id", .keeps(noun: "activities")),
            // A request that made the lead, and a call from its number, are what the customer did: they stay.
            .init("inbound_requests", "lead_id", .keeps(noun: "inbound requests")), .init("pbx_calls", "lead_id", .keeps(noun: "calls")),
        ],
        "deals": [
            .init("orders", "deal_id", .keeps(noun: "orders")), .init("activities", "deal_id", .keeps(noun: "activities")),
            .init("deal_lines", "deal_id", .goesWith), .init("deal_stage_history", "deal_id", .goesWith),
        ],
        "activities": [
            // The PBX's own record of a call stays in the telephony log without the activity it was written up as.
            .init("pbx_calls", "activity_id", .forgets), .init("pbx_calls", "callback_task_id", .forgets),
            // A review keeps its scores when the call it reviewed goes; a task spawned from a SWOT item leaves the
            // item.
            .init("reviews", "activity_id", .forgets), .init("swot_item_tasks", "activity_id", .goesWith),
        ],
        "orders": [.init("order_lines", "order_id", .goesWith)],
        "products": [
            .init("deal_lines", "product_id", .keeps(noun: "deal lines")), .init("order_lines", "product_id", .keeps(noun: "order lines")),
            .init("product_prices", "product_id", .goesWith),
        ],
        "pipelines": [.init("deals", "pipeline_id", .keeps(noun: "deals")), .init("stages", "pipeline_id", .goesWith)],
        "stages": [
            .init("deals", "stage_id", .keeps(noun: "deals")),
            // A deal moved to another pipeline still remembers its stages here.
            .init("deal_stage_history", "stage_id", .keeps(noun: "stage changes")),
            .init("stage_documents", "stage_id", .goesWith),
        ],
        "custom_fields": [.init("custom_values", "field_id", .keeps(noun: "custom values"))],
        "plans": [
            .init("plans", "parent_id", .keeps(noun: "plans")),
            .init("plan_rows", "plan_id", .goesWith), .init("plan_targets", "plan_id", .goesWith),
        ],
        "assignment_rules": [.init("inbound_requests", "rule_id", .keeps(noun: "inbound requests"))],
        "library_documents": [.init("stage_documents", "document_id", .goesWith)],
        "swot_items": [.init("swot_item_tasks", "item_id", .goesWith)],
        "webhook_subscriptions": [
            .init("webhook_deliveries", "subscription_id", .goesWith), .init("webhook_subscription_events", "subscription_id", .goesWith),
        ],
        "kpi_targets": [], "saved_views": [], "training_records": [],
    ]

    /// The rows of `table` that keep its history, with the column that points at the record (what a merge moves).
    static func history(of table: String) -> [(table: String, column: String)] {
        (rules[table] ?? []).compactMap { if case .keeps = $0.fate { ($0.table, $0.column) } else { nil } }
    }

    /// What holds record `id` of `table`, its own rows' holders included, by noun: empty when it may go.
    static func holders(of table: String, ids: [Int64], in sql: any SQLDatabase) async throws -> [(noun: String, count: Int)] {
        guard !ids.isEmpty else { return [] }
        var held: [(noun: String, count: Int)] = []
        for referrer in rules[table] ?? [] {
            switch referrer.fate {
            case .keeps(let noun):
                let n = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM \(ident: referrer.table) WHERE \(ident: referrer.column) IN (\(binds: ids))
                    """).first()?.decode(column: "n", as: Int.self) ?? 0
                if n > 0, !held.contains(where: { $0.noun == noun }) { held.append((noun, n)) }
            case .goesWith where rules[referrer.table] != nil:
                let children = try await Self.ids(of: referrer, pointingAt: ids, in: sql)
                for holder in try await holders(of: referrer.table, ids: children, in: sql)
                where !held.contains(where: { $0.noun == holder.noun }) {
                    held.append(holder)
                }
            case .goesWith, .forgets:
                break
            }
        }
        return held
    }

    /// Refuses while anything keeps the record's history, naming each holder (and what to do `instead`); else takes
    /// its own rows with it and clears the links to it, so the caller's `DELETE` of the record itself meets no
    /// reference. Runs in the caller's transaction, after its lock.
    static func clear(_ table: String, id: Int64, kind: String, instead: String? = nil, in sql: any SQLDatabase) async throws {
        let held = try await holders(of: table, ids: [id], in: sql)
        guard held.isEmpty else {
            var problems = held.map {
                ValueError.invalid(field: "id", reason: "the \(kind) keeps its history: \($0.noun) (\($0.count)); it cannot be deleted")
            }
            if let instead { problems.append(.invalid(field: "active", reason: instead)) }
            throw ValidationFailure(problems)
        }
        try await remove(table, ids: [id], in: sql)
    }

    private static func remove(_ table: String, ids: [Int64], in sql: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        for referrer in rules[table] ?? [] {
            switch referrer.fate {
            case .keeps:
                break
            case .goesWith:
                if rules[referrer.table] != nil {
                    try await remove(referrer.table, ids: try await Self.ids(of: referrer, pointingAt: ids, in: sql), in: sql)
                }
                try await sql.raw("DELETE FROM \(ident: referrer.table) WHERE \(ident: referrer.column) IN (\(binds: ids))").run()
            case .forgets:
                try await sql.raw("""
                    UPDATE \(ident: referrer.table) SET \(ident: referrer.column) = NULL WHERE \(ident: referrer.column) IN (\(binds: ids))
                    """).run()
            }
        }
    }

    private static func ids(of referrer: Referrer, pointingAt ids: [Int64], in sql: any SQLDatabase) async throws -> [Int64] {
        try await sql.raw("SELECT id FROM \(ident: referrer.table) WHERE \(ident: referrer.column) IN (\(binds: ids))").all()
            .map { try $0.decode(column: "id", as: Int64.self) }
    }
}
