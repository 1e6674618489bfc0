import Foundation
import KvotaCore
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

@Suite struct DemoLoaderTests {
    static let options = DemoOptions(scale: .tiny, seed: 11, asOf: try! LocalDate(iso: "2026-11-20"))

    static let tableOfKind = [
        "teams": "teams", "users": "users", "regions": "regions", "channels": "channels",
        "categories": "product_categories", "products": "products", "prices": "product_prices",
        "exchangeRates": "exchange_rates", "accounts": "accounts", "contacts": "contacts", "pipelines": "pipelines",
        "stages": "stages", "leads": "leads", "deals": "deals", "dealLines": "deal_lines",
        "stageChanges": "deal_stage_history", "orders": "orders", "orderLines": "order_lines", "activities": "activities",
    ]

    @Test(arguments: TestDatabase.engines)
    func everyGeneratedRecordIsStored(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let summary = try await DemoLoader.load(Self.options, into: database)
            let counts = try await database.tableCounts()
            for (kind, table) in Self.tableOfKind {
                #expect(counts[table] == summary.counts[kind], "\(table)")
            }
            // Revenue by month adds up to what the generator sold.
            let months = try await database.revenueByMonth(from: try LocalDate(iso: "2023-01-01"), through: Self.options.asOf)
            #expect(months.count == 37)
            #expect(months.reduce(0) { $0 + $1.revenueMinor } == summary.revenueBaseMinor)
            #expect(months.reduce(0) { $0 + $1.costMinor } == summary.costBaseMinor)
            #expect(try await Settings.get("company.time_zone", in: database) == "Europe/Stockholm")
            // The toolkit: the library linked from stages, every rep trained and onboarded, a survey half answered.
            let toolkit = try await database.read { sql in
                try await sql.raw("""
                    SELECT (SELECT COUNT(*) FROM stage_documents) AS links, (SELECT COUNT(DISTINCT user_id) FROM training_records) AS trained,
                           (SELECT COUNT(*) FROM users WHERE role = 'rep' AND active = TRUE) AS reps,
                           (SELECT COUNT(*) FROM survey_recipients) AS asked, (SELECT COUNT(answered_at) FROM survey_recipients) AS answered
                    """).first()!
            }
            let asked = try toolkit.decode(column: "asked", as: Int.self), answered = try toolkit.decode(column: "answered", as: Int.self)
            #expect(try toolkit.decode(column: "links", as: Int.self) > 0 && asked > 0 && answered > 0 && answered < asked)
            #expect(try toolkit.decode(column: "trained", as: Int.self) == toolkit.decode(column: "reps", as: Int.self))
            // The intake: the site's form, and a rule dealing requests to a new-business team in turns; a request then finds a rep.
            var request = InboundRequest(via: .form, source: .webForm, channel: "web_form")
            request.email = "new.customer@example.com"
            let receipt = try await database.receiveInbound(request, at: Date())
            #expect(receipt.outcome == .newLead && receipt.reason == .rule && receipt.ownerID != nil)
            // The indexes dropped for the load are back.
            let indexes = try await database.read { sql in
                switch engine {
                case .sqlite: try await sql.raw("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND name = 'order_lines_product'").first()
                case .postgres: try await sql.raw("SELECT COUNT(*) AS n FROM pg_indexes WHERE indexname = 'order_lines_product'").first()
                }
            }
            #expect(try indexes?.decode(column: "n", as: Int.self) == 1)

            // The search terms written in bulk are exactly what the stores write record by record.
            let terms = { try await database.read { sql in
                try await sql.raw("SELECT kind, term, record_id FROM search_terms ORDER BY kind, term, record_id").all().map {
                    "\(try $0.decode(column: "kind", as: String.self)) \(try $0.decode(column: "term", as: String.self)) \(try $0.decode(column: "record_id", as: Int64.self))"
                }
            } }
            let loaded = try await terms()
            try await database.rebuildSearchIndex()
            let rebuilt = try await terms()
            #expect(loaded.count > summary.counts["accounts"]! && loaded == rebuilt)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aDatabaseWithDataIsReplacedOnlyWhenAsked(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            _ = try await DemoLoader.load(Self.options, into: database)
            let before = try await database.fingerprint()
            await #expect(throws: StoreError.self) { _ = try await DemoLoader.load(Self.options, into: database) }
            #expect(try await database.fingerprint() == before)
            // Rows the server adds later (a request, a call, a webhook's event) reference users and leads: a replace clears them too.
            var request = InboundRequest(via: .form, source: .webForm, channel: "web_form")
            request.email = "later@example.com"
            _ = try await database.receiveInbound(request, at: Date())
            _ = try await database.recordCalls([PBXCall(id: "1", direction: .inbound, externalNumber: "+46701234567", internalNumber: "100",
                                                         answeredBy: nil, rang: ["101"], startedAt: Date(timeIntervalSinceNow: -60),
                                                         answeredAt: nil, endedAt: Date(timeIntervalSinceNow: -30), talkSeconds: 0, disposition: .noAnswer)],
                                               at: Date())
            _ = try await database.recordCallEvent(CallEvent(callID: "w1", kind: .ringing, at: Date(), direction: .inbound, customer: "+46701234568",
                                                             callerName: nil, line: nil, extension: nil, disposition: nil, talkSeconds: nil,
                                                             recording: nil), at: Date())
            var other = Self.options
            other.seed = 12
            _ = try await DemoLoader.load(other, into: database, replace: true)
            #expect(try await database.fingerprint() != before)
            // After a replace, new records get fresh ids (PostgreSQL's identity follows the loaded ids).
            try await database.write { sql in
                try await sql.raw("INSERT INTO regions (code, name) VALUES ('NEW', 'New region')").run()
            }
        }
    }

    @Test func theSameSeedStoresTheSameCompanyOnBothEngines() async throws {
        guard TestDatabase.engines.contains(.postgres) else { return }
        let sqlite = try await TestDatabase.with(.sqlite) { database in
            _ = try await DemoLoader.load(Self.options, into: database)
            return try await database.fingerprint()
        }
        let postgres = try await TestDatabase.with(.postgres) { database in
            _ = try await DemoLoader.load(Self.options, into: database)
            return try await database.fingerprint()
        }
        #expect(sqlite.count == 15)
        #expect((sqlite["order_lines"]?.first ?? 0) > 1_000)
        for table in sqlite.keys.sorted() {
            #expect(sqlite[table] == postgres[table], "\(table)")
        }
    }
}
