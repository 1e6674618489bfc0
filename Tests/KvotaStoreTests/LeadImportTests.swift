import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import KvotaTestSupport
import Testing

/// `kvota import leads`: another system's leads, with sources and statuses in its words, kept by external id.
@Suite struct LeadImportTests {
    @Test(arguments: TestDatabase.engines)
    func theExampleLeadsImportAndASecondImportChangesOnlyWhatChanged(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await RecordImportTests.setUp(database)
            let file = try RecordImportTests.example("leads.csv")
            let report = try await RecordImportTests.run("leads", file, into: database, by: actor)
            #expect(report.written && report.created == 3, "\(report.problems)")
            let leads = Dictionary(uniqueKeysWithValues: try await database.leads(LeadFilter(), for: actor).items.map { ($0.name, $0) })
            let olga = try #require(leads["Olga Shevchenko"])
            #expect(olga.source == .webForm && olga.status == .new && olga.companyName == "ТОВ «Будмайстер»" && olga.utmCampaign == "autumn-tools")
            #expect(olga.phone == "+380445551234")
            let zone = try await database.companyTimeZone()
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            #expect(calendar.dateComponents([.day, .hour, .minute], from: olga.receivedAt) == DateComponents(day: 18, hour: 9, minute: 42),
                    "in the company's time zone")
            let anna = try #require(try await database.user(email: "anna@example.com"))
            #expect(leads["Jonas Berg"]?.source == .inboundCall && leads["Jonas Berg"]?.status == .inWork && leads["Jonas Berg"]?.ownerID == anna.id)
            #expect(leads["Jonas Berg"]?.phone == "+46705551234", "a national number in the company's country")
            #expect(leads["Peter Novak"]?.source == .event && leads["Peter Novak"]?.disqualifyReason == "not a target customer")

            let same = try await RecordImportTests.run("leads", file, into: database, by: actor)
            #expect(same.written && same.created == 0 && same.updated == 0 && same.unchanged == 3, "\(same.problems)")
            let qualified = String(decoding: file, as: UTF8.self).replacingOccurrences(of: "Web form;New;", with: "Web form;Qualified;")
            let changed = try await RecordImportTests.run("leads", Data(qualified.utf8), into: database, by: actor)
            #expect(changed.written && changed.updated == 1 && changed.unchanged == 2, "\(changed.problems)")
            #expect(try await database.leads(LeadFilter(), for: actor).items.first { $0.name == "Olga Shevchenko" }?.status == .qualified)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func problemsAreNamedAndNothingIsWritten(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await RecordImportTests.setUp(database)
            let file = """
                Lead ID,Created,Lead Source,Lead Status,Full name,Email,Manager
                L-1,2026-11-18,Billboard,New,A,a@example.com,
                L-2,2026-11-18,Web,Converted,B,b@example.com,
                L-3,someday,Web,New,C,c@example.com,Nobody
                L-4,2026-11-18,Web,Working,,,
                """
            let report = try await RecordImportTests.run("leads", Data(file.utf8), into: database, by: actor)
            #expect(!report.written)
            #expect(report.problems.map { "\($0.row) \($0.column)" } == ["2 Lead Source", "3 Lead Status", "4 Created", "4 Manager", "5 Full name"],
                    "\(report.problems)")
            #expect(report.problems[0].reason.hasPrefix("expected one of: web_form"))
            #expect(try await database.leads(LeadFilter(), for: actor).items.isEmpty)
        }
    }
}
