import SQLKit

/// Order-independent fingerprints of the stored company: per table a count and sums over ids, amounts, instants
/// and text lengths. Equal fingerprints on SQLite and PostgreSQL mean both engines stored the same data.
extension Database {
    public func fingerprint() async throws -> [String: [Int64]] {
        let probes: [(String, [String])] = [
            ("users", ["id", "COALESCE(team_id, 0)", "COALESCE(manager_id, 0)", "LENGTH(email)", "created_at"]),
            ("teams", ["id", "COALESCE(head_id, 0)", "LENGTH(name)"]),
            ("regions", ["id", "COALESCE(parent_id, 0)", "LENGTH(name)"]),
            ("accounts", ["id", "COALESCE(owner_id, 0)", "COALESCE(region_id, 0)", "LENGTH(name)", "created_at"]),
            ("contacts", ["id", "COALESCE(account_id, 0)", "LENGTH(COALESCE(phone, ''))", "LENGTH(COALESCE(email, ''))"]),
            ("products", ["id", "price_minor", "cost_minor", "LENGTH(name)", "CASE WHEN active THEN 1 ELSE 0 END"]),
            ("product_prices", ["product_id", "valid_from", "price_minor", "cost_minor"]),
            ("exchange_rates", ["valid_from", "base_micros"]),
            ("leads", ["id", "received_at", "received_on", "COALESCE(first_response_at, 0)", "COALESCE(account_id, 0)", "LENGTH(status)"]),
            ("deals", ["id", "amount_minor", "stage_id", "created_at", "COALESCE(closed_at, 0)", "COALESCE(closed_on, 0)", "COALESCE(lead_id, 0)"]),
            ("deal_lines", ["id", "deal_id", "quantity_milli", "unit_price_minor", "discount_minor"]),
            ("deal_stage_history", ["id", "deal_id", "stage_id", "entered_at"]),
            ("orders", ["id", "account_id", "ordered_on", "total_minor", "total_base_minor", "LENGTH(status)"]),
            ("order_lines", ["id", "order_id", "product_id", "quantity_milli", "net_minor", "net_base_minor", "cost_base_minor"]),
            ("activities", ["id", "owner_id", "occurred_at", "occurred_on", "COALESCE(done_at, 0)", "COALESCE(talk_seconds, 0)", "LENGTH(subject)"]),
        ]
        return try await read { sql in
            var result: [String: [Int64]] = [:]
            for (table, expressions) in probes {
                let sums = expressions.enumerated().map { "CAST(COALESCE(SUM(\($1)), 0) AS BIGINT) AS s\($0)" }
                let row = try await sql.raw("SELECT COUNT(*) AS n, \(unsafeRaw: sums.joined(separator: ", ")) FROM \(ident: table)").first()
                var values = [Int64(try row?.decode(column: "n", as: Int.self) ?? 0)]
                for index in expressions.indices {
                    values.append(try row?.decode(column: "s\(index)", as: Int64.self) ?? 0)
                }
                result[table] = values
            }
            return result
        }
    }
}
