import Foundation
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// A round of forecasts (the weekly snapshots, `kvota bench`) reads every person's inputs at once; each person's
/// forecast from it is the one the API builds for that person alone, with plans, adjustments, recorded snapshots,
/// open deals and deals won in it.
@Suite struct ForecastRoundTests {
    @Test(arguments: TestDatabase.engines)
    func aRoundsForecastsAreEachPersonsOwn(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { _, fixture in
            let database = fixture.database
            let today = LocalDate(AnalyticsFixture.now, in: try await database.companySettings().timeZone)
            let head = try #require(try await database.signedInUser(fixture.head.id)).1
            let november = Period(.month, containing: today)
            try await database.setForecastAdjustment(user: fixture.rep.id, month: november, amountMinor: 4_200_000, note: "big order",
                                                     expectedVersion: nil, by: head, at: AnalyticsFixture.now)
            try await database.saveForecastSnapshot([ForecastSnapshot(takenOn: try LocalDate(iso: "2026-09-28"), scope: "user:\(fixture.rep.id)",
                                                                      forecast: .init(month: try Period(label: "2026-10"), weighted: 100_000,
                                                                                      commit: 50_000, history: 300_000))])
            #expect(try await ForecastSnapshotSchedule.takeWeekly(database, at: AnalyticsFixture.now) > 0)

            let people = try await ForecastRound.people(database)
            #expect(people.count > 3)
            let round = try await ForecastRound.forecasts(people.map { .user($0) } + [.company], database, today: today, currency: try Currency("EUR"))
            #expect(round.map(\.0) == people.map { .user($0) } + [.company], "in the subjects' order")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var planned = 0, adjusted = 0, recorded = 0, withDeals = 0
            for (subject, report) in round {
                let alone = try await ForecastReport.build(ForecastReport.Query(scope: subject, horizon: 6, past: 0, by: nil, top: 8),
                                                           for: Database.evaluator, in: database, currency: try Currency("EUR"), today: today)
                #expect(try encoder.encode(report) == encoder.encode(alone), "\(subject)")
                planned += report.months.contains { $0.row.plan != nil } ? 1 : 0
                adjusted += report.adjustments.isEmpty ? 0 : 1
                recorded += report.recordedAccuracy?.history.backtestMonths ?? 0 > 0 ? 1 : 0
                withDeals += report.months.contains { ($0.row.weighted ?? 0) > 0 } ? 1 : 0
            }
            #expect(planned > 3 && adjusted >= 1 && recorded >= 1 && withDeals > 3,
                    "planned \(planned), adjusted \(adjusted), recorded \(recorded), with deals \(withDeals)")
        }
    }
}
