import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// Calls from the real Asterisk session (Tests/Fixtures/asterisk) recorded in Kvota, on both engines: one call row per
/// real call, the rep who answered owns the call, an unknown number opens a lead, a missed call leaves a callback
/// task that the rep's next call to the number completes, a replay or the CDR file afterwards changes nothing, and
/// the CDR file alone gives the same calls as the stream.
@Suite struct CallRecordingTests {
    static let now = Date(timeIntervalSince1970: 1_795_400_000)
    static let fixtures = AsteriskCDRTests.fixtures

    static func streamCalls() throws -> [PBXCall] {
        var parser = AMIStreamParser(), assembler = AMICallAssembler()
        var calls: [String: PBXCall] = [:]
        for message in parser.feed([UInt8](try Data(contentsOf: fixtures.appendingPathComponent("ami_events.raw")))) {
            for call in assembler.take(message) { calls[call.id] = call }
        }
        return calls.values.sorted { $0.startedAt < $1.startedAt }
    }

    struct Office { let rita: User; let tove: User; let ritasCustomer: Int64 }

    /// Rita answers on extension 101, Tove on 201; +74951234503 is a contact of Rita's customer.
    static func office(_ database: Database) async throws -> Office {
        let team = try await database.addTeam(TeamDraft(name: "Sales", kind: .acquisition), by: nil, at: now)
        func add(_ name: String, _ ext: String) async throws -> User {
            try await database.addUser(UserDraft(name: name, email: "\(name)@example.com", role: .rep, teamID: team.id, phoneExtension: ext),
                                       passwordHash: nil, by: nil, at: now)
        }
        let rita = try await add("Rita", "101"), tove = try await add("Tove", "201")
        let records = try await TestRecords.make(database)
        let account = try await records.account(owner: rita.id, name: "Volga Steel")
        let contact = try await records.contact(account: account, name: "Ivan")
        try await database.write { sql in try await sql.raw("UPDATE contacts SET phone = '+74951234503' WHERE id = \(bind: contact)").run() }
        return Office(rita: rita, tove: tove, ritasCustomer: account)
    }

    /// Rows as text, NULL as "". PostgreSQL hands a BIGINT over as bytes when asked for text, and SQLite reads
    /// "+7495…" as a number when asked for one, so each engine is asked in its own order.
    static func rows(_ database: Database, _ query: SQLQueryString) async throws -> [[String: String]] {
        let numbersFirst = database.engine == .postgres
        return try await database.read { sql in
            try await sql.raw(query).all().map { row in
                Dictionary(uniqueKeysWithValues: row.allColumns.map { column in
                    let number = { (try? row.decode(column: column, as: Int64?.self)).flatMap { $0 }.map(String.init) }
                    let text = { (try? row.decode(column: column, as: String?.self)).flatMap { $0 } }
                    return (column, (numbersFirst ? number() ?? text() : text() ?? number()) ?? "")
                })
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theSessionsCallsCallbacksAndLeads(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let office = try await Self.office(database)
            let recorded = try await database.recordCalls(try Self.streamCalls(), at: Self.now)
            #expect(recorded.count == 5 && recorded.allSatisfy(\.isNew))
            #expect(recorded.map(\.userID) == [office.rita.id, office.tove.id, nil, nil, nil])
            // Rita took the first call: hers, answered, 4 s, on the lead its unknown number opened.
            let calls = try await Self.rows(database, """
                SELECT a.owner_id, a.call_disposition, a.talk_seconds, a.lead_id, a.account_id, a.external_number FROM activities a
                WHERE a.kind = 'call' ORDER BY a.occurred_at
                """)
            #expect(calls.map { $0["call_disposition"] } == ["answered", "missed", "busy"], "the calls with an owner")
            #expect(calls.map { $0["owner_id"] } == [String(office.rita.id.rawValue), String(office.tove.id.rawValue), String(office.rita.id.rawValue)])
            #expect(calls[0]["talk_seconds"] == "4" && calls[0]["external_number"] == "+74951234501" && calls[0]["lead_id"] != "")
            #expect(calls[2]["account_id"] == String(office.ritasCustomer), "a known contact's call is on their account")
            // Unknown numbers opened leads: the first two for whoever took or missed them, the last two for nobody yet.
            let leads = try await Self.rows(database, "SELECT name, phone, owner_id, source FROM leads ORDER BY received_at")
            #expect(leads.map { $0["name"] } == ["Customer One", "Customer Two", "Customer Four", "Customer Five"])
            #expect(leads.map { $0["owner_id"] } == [String(office.rita.id.rawValue), String(office.tove.id.rawValue), "", ""])
            #expect(leads.allSatisfy { $0["source"] == "inbound_call" })
            // The missed and the busy call left callback tasks, due 15 minutes after the call.
            let tove = try #require(recorded[1].callbackTaskID), rita = try #require(recorded[2].callbackTaskID)
            let task = try await Self.rows(database, "SELECT owner_id, due_at, done_at, subject FROM activities WHERE id = \(bind: tove.rawValue)")[0]
            #expect(task["owner_id"] == String(office.tove.id.rawValue) && task["done_at"] == "" && task["subject"] == "Call back +74951234502 (Customer Two)")
            #expect(Int64(task["due_at"]!)! == 1_795_354_199_296 + 15 * 60 * 1_000, "the call ended at 13:29:59.296 by the PBX's clock")
            #expect(recorded[0].callbackTaskID == nil && rita != tove)

            // Tove calls the number back: her task is done at the call's time, the lead has its first response.
            let back = PBXCall(id: "1795355000.9", direction: .outbound, externalNumber: "+74951234502", internalNumber: "201", answeredBy: nil,
                               rang: [], startedAt: Date(timeIntervalSince1970: 1_795_355_000), answeredAt: Date(timeIntervalSince1970: 1_795_355_004),
                               endedAt: Date(timeIntervalSince1970: 1_795_355_064), talkSeconds: 60, disposition: .answered)
            let called = try await database.recordCalls([back], at: Self.now)
            #expect(called[0].completedCallbacks == [tove] && called[0].userID == office.tove.id)
            #expect(try await Self.rows(database, "SELECT done_at FROM activities WHERE id = \(bind: tove.rawValue)")[0]["done_at"] == "1795355000000")
            let lead = try await Self.rows(database, "SELECT first_response_at FROM leads WHERE name = 'Customer Two'")[0]
            #expect(lead["first_response_at"] == "1795355000000")
            // The KPIs read it: Tove missed one call and called it back within the 15 minutes; Rita took one.
            let day = try LocalDate(iso: "2026-11-22"), director = Actor(userID: 0, role: .director, teamID: nil)
            let window = try DateWindow(from: day, through: day)
            let toves = try await database.kpis([.missedCalls, .callbackWithinSLARate, .callsOutbound], of: .user(office.tove.id), over: window,
                                                asOf: day, for: director)
            #expect(toves.items.map(\.value) == [1, 1, 1])
            let ritas = try await database.kpis([.callsInbound, .missedCalls], of: .user(office.rita.id), over: window, asOf: day, for: director)
            #expect(ritas.items.map(\.value) == [2, 0], "the answered call and the busy one; busy is not missed")

            // A cold call out to a number nobody knows opens a lead of Rita's, which the call is the first response to.
            let cold = PBXCall(id: "1795356000.1", direction: .outbound, externalNumber: "+46701111111", internalNumber: "101", answeredBy: nil,
                               rang: [], startedAt: Date(timeIntervalSince1970: 1_795_356_000), answeredAt: nil,
                               endedAt: Date(timeIntervalSince1970: 1_795_356_030), talkSeconds: 0, disposition: .noAnswer)
            let coldCall = try await database.recordCalls([cold], at: Self.now)[0]
            #expect(coldCall.activityID != nil && coldCall.callbackTaskID == nil)
            let opened = try await Self.rows(database, "SELECT source, owner_id, first_response_at FROM leads WHERE phone = '+46701111111'")
            #expect(opened == [["source": "cold_outreach", "owner_id": String(office.rita.id.rawValue), "first_response_at": "1795356000000"]])

            // Replaying the stream, then the CDR file, adds nothing.
            let again = try await database.recordCalls(try Self.streamCalls(), at: Self.now)
            #expect(again.allSatisfy { !$0.isNew })
            let table = try ImportTable.read(try Data(contentsOf: Self.fixtures.appendingPathComponent("Master.csv")), hasHeader: false)
            let cdr = AsteriskCDR.calls(try table.rows.map { try AsteriskCDR.record($0.values, zone: TimeZone(identifier: "UTC")!) })
            #expect(try await database.recordCalls(cdr, at: Self.now).allSatisfy { !$0.isNew })
            let counts = try await Self.rows(database, """
                SELECT (SELECT COUNT(*) FROM pbx_calls) AS calls, (SELECT COUNT(*) FROM activities) AS activities, (SELECT COUNT(*) FROM leads) AS leads
                """)[0]
            #expect(counts == ["calls": "7", "activities": "7", "leads": "5"], "five calls and two callback tasks")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theCDRFileAloneGivesTheSameCalls(engine: DatabaseEngine) async throws {
        var seen: [[[String: String]]] = []
        for fromStream in [true, false] {
            try await TestDatabase.with(engine) { database in
                _ = try await Self.office(database)
                let calls: [PBXCall]
                if fromStream {
                    calls = try Self.streamCalls()
                } else {
                    let table = try ImportTable.read(try Data(contentsOf: Self.fixtures.appendingPathComponent("Master.csv")), hasHeader: false)
                    calls = AsteriskCDR.calls(try table.rows.map { try AsteriskCDR.record($0.values, zone: TimeZone(identifier: "UTC")!) })
                }
                _ = try await database.recordCalls(calls, at: Self.now)
                seen.append(try await Self.rows(database, """
                    SELECT call_key, direction, external_number, internal_number, extension, user_id, answered_by, talk_seconds, disposition,
                           started_at / 1000 AS started, ended_at / 1000 AS ended
                    FROM pbx_calls ORDER BY call_key
                    """))
            }
        }
        #expect(seen.count == 2 && seen[0].count == 5 && seen[0] == seen[1])
    }
}
