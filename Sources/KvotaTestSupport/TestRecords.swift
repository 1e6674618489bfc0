import Foundation
import KvotaCore
import KvotaStore
import SQLKit

/// Business records written straight into a test database, for tests of what reads and moves them (access,
/// hand-over) before the CRM API exists to create them.
public struct TestRecords: Sendable {
    let database: Database
    let pipelineID: Int64
    let stageID: Int64

    public static func make(_ database: Database) async throws -> TestRecords {
        try await database.write { sql in
            let pipeline = try await sql.raw("INSERT INTO pipelines (name) VALUES ('Sales') RETURNING id").first()!
                .decode(column: "id", as: Int64.self)
            let stage = try await sql.raw("""
                INSERT INTO stages (pipeline_id, position, name, probability, outcome)
                VALUES (\(bind: pipeline), 1, 'Offer', 50, 'open') RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
            return TestRecords(database: database, pipelineID: pipeline, stageID: stage)
        }
    }

    /// Another stage of the test pipeline.
    public func stage(_ name: String, position: Int, outcome: String, probability: Int = 50) async throws -> Int64 {
        try await insert("""
            INSERT INTO stages (pipeline_id, position, name, probability, outcome)
            VALUES (\(bind: pipelineID), \(bind: position), \(bind: name), \(bind: probability), \(bind: outcome)) RETURNING id
            """)
    }

    public var firstStageID: Int64 { stageID }

    public func account(owner: User.ID?, name: String = "Acme") async throws -> Int64 {
        try await insert("""
            INSERT INTO accounts (name, owner_id, created_at, updated_at) VALUES (\(bind: name), \(bind: owner?.rawValue), 0, 0)
            RETURNING id
            """)
    }

    public func contact(account: Int64?, name: String = "Contact") async throws -> Int64 {
        try await insert("""
            INSERT INTO contacts (account_id, name, created_at, updated_at) VALUES (\(bind: account), \(bind: name), 0, 0)
            RETURNING id
            """)
    }

    /// A product in a category of its own, priced in `currency`.
    public func product(sku: String, priceMinor: Int64, costMinor: Int64, currency: String = "EUR") async throws -> Int64 {
        let category = try await insert("INSERT INTO product_categories (name) VALUES (\(bind: "Category \(sku)")) RETURNING id")
        return try await insert("""
            INSERT INTO products (sku, name, category_id, unit, price_minor, cost_minor, currency)
            VALUES (\(bind: sku), \(bind: sku), \(bind: category), 'pcs', \(bind: priceMinor), \(bind: costMinor), \(bind: currency))
            RETURNING id
            """)
    }

    public func exchangeRate(_ currency: String, from day: Int, baseMicros: Int64) async throws {
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO exchange_rates (currency, valid_from, base_micros) VALUES (\(bind: currency), \(bind: day), \(bind: baseMicros))
                """).run()
        }
    }

    public func order(account: Int64, owner: User.ID?) async throws -> Int64 {
        try await insert("""
            INSERT INTO orders (number, account_id, owner_id, ordered_on, status, currency, total_minor, total_base_minor, created_at)
            VALUES (\(bind: "T-\(UInt32.random(in: .min ... .max))"), \(bind: account), \(bind: owner?.rawValue), 20260101, 'confirmed',
                    'EUR', 100, 100, 0)
            RETURNING id
            """)
    }

    public func deal(account: Int64, owner: User.ID, status: String = "open") async throws -> Int64 {
        try await insert("""
            INSERT INTO deals (title, account_id, pipeline_id, stage_id, amount_minor, currency, forecast_category, owner_id,
                               status, created_at, updated_at)
            VALUES ('Deal', \(bind: account), \(bind: pipelineID), \(bind: stageID), 100000, 'EUR', 'pipeline',
                    \(bind: owner.rawValue), \(bind: status), 0, 0)
            RETURNING id
            """)
    }

    public func lead(owner: User.ID?, status: String = "new", account: Int64? = nil) async throws -> Int64 {
        try await insert("""
            INSERT INTO leads (source, received_at, received_on, status, owner_id, name, account_id)
            VALUES ('web_form', 0, 19700101, \(bind: status), \(bind: owner?.rawValue), 'Lead', \(bind: account))
            RETURNING id
            """)
    }

    public func task(owner: User.ID, account: Int64? = nil, deal: Int64? = nil, done: Bool = false) async throws -> Int64 {
        try await insert("""
            INSERT INTO activities (kind, owner_id, account_id, deal_id, subject, occurred_at, occurred_on, done_at)
            VALUES ('task', \(bind: owner.rawValue), \(bind: account), \(bind: deal), 'Call back', 0, 0, \(bind: done ? 1 : nil as Int?))
            RETURNING id
            """)
    }

    /// The owner of a record in `table`.
    public func owner(_ table: String, _ id: Int64) async throws -> User.ID? {
        try await database.read { sql in
            try await sql.raw("SELECT owner_id FROM \(ident: table) WHERE id = \(bind: id)").first()?
                .decode(column: "owner_id", as: Int64?.self).map { User.ID($0) }
        }
    }

    private func insert(_ query: SQLQueryString) async throws -> Int64 {
        try await database.write { sql in try await sql.raw(query).first()!.decode(column: "id", as: Int64.self) }
    }
}
