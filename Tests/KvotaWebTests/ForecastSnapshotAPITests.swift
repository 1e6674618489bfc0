import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import SQLKit
import Testing

/// The weekly snapshots: taken once a week per scope (company, teams, reps and heads), read back only by those who see
/// the whole scope, and measured against what came once a month they forecast has ended.
@Suite struct ForecastSnapshotAPITests {
    struct Answer: Decodable {
        struct Accuracy: Decodable { let mape: Double?; let wape: Double?; let backtestMonths: Int }
        struct Recorded: Decodable { let weighted: Accuracy; let commit: Accuracy; let history: Accuracy }
        struct Snapshot: Decodable { let takenOn: String; let month: String; let weighted: Int64?; let commit: Int64? }
        struct Month: Decodable { let month: String; let weighted: Int64?; let commit: Int64? }
        let months: [Month]
        let recordedAccuracy: Recorded?
        let snapshots: [Snapshot]
    }

    @Test(arguments: TestDatabase.engines)
    func snapshotsAreWeeklyAndMeasured(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let database = fixture.database
            let scopes = try await 1 + database.teams().count
                + database.users().filter { $0.active && ($0.role == .rep || $0.role == .head) }.count
            let first = try await ForecastSnapshotSchedule.takeWeekly(database, at: AnalyticsFixture.now)
            #expect(first == scopes)
            // Friday the 20th, then Sunday the 22nd: the same week.
            let again = try await ForecastSnapshotSchedule.takeWeekly(database, at: AnalyticsFixture.now.addingTimeInterval(2 * 86_400))
            #expect(again == 0, "the same week again")

            // A forecast recorded before October began, to measure against October's deals and revenue.
            let october = try Period(label: "2026-10")
            try await database.saveForecastSnapshot([ForecastSnapshot(takenOn: try LocalDate(iso: "2026-09-28"), scope: "company", forecast: .init(
                month: october, weighted: 1_000_000, commit: 500_000, history: 3_000_000))])
            let director = try await client.token(for: fixture.director)
            let answer = try await client.get("/api/v1/forecast?horizon=2", token: director).json(Answer.self)
            let now = try #require(answer.months.first { $0.month == "2026-11" })
            let taken = try #require(answer.snapshots.first { $0.month == "2026-11" && $0.takenOn == "2026-11-16" })
            #expect(taken.weighted == now.weighted && taken.commit == now.commit, "this week's snapshot is this forecast")

            let won = try await database.read { sql in
                try await sql.raw("""
                    SELECT amount_minor, currency FROM deals WHERE status = 'won' AND closed_on BETWEEN 20261001 AND 20261031
                    """).all().map { (try $0.decode(column: "amount_minor", as: Int64.self), try $0.decode(column: "currency", as: String.self)) }
            }
            let recorded = try #require(answer.recordedAccuracy)
            #expect(recorded.weighted.backtestMonths == 1 && recorded.commit.backtestMonths == 1 && recorded.history.backtestMonths == 1)
            if won.allSatisfy({ $0.1 == "EUR" }) {
                let booked = Double(won.reduce(0) { $0 + $1.0 })
                #expect(abs((recorded.weighted.wape ?? -1) - abs(booked - 1_000_000) / booked) < 1e-9)
            }
            let revenue = Double(fixture.raw.values(.revenue, by: nil, over: DateWindow(october), filter: AnalyticsFilter(), owners: nil)[0] ?? 0)
            #expect(abs((recorded.history.mape ?? -1) - abs(revenue - 3_000_000) / revenue) < 1e-9)

            // A rep sees their own book, not the company's snapshots; a head sees their team's.
            let rep = try await client.get("/api/v1/forecast", token: try await client.token(for: fixture.rep)).json(Answer.self)
            #expect(rep.snapshots.isEmpty && rep.recordedAccuracy?.weighted.backtestMonths == 0)
            let team = try #require(fixture.head.teamID)
            let head = try await client.get("/api/v1/forecast?scope=team:\(team)", token: try await client.token(for: fixture.head)).json(Answer.self)
            #expect(head.snapshots.contains { $0.month == "2026-11" })
        }
    }

    /// The server looks for the week's snapshots hourly unless told otherwise; an app built in code takes none.
    @Test func theScheduleIsHourlyInTheServerAndOffInCode() throws {
        #expect(try AppConfig.fromEnvironment([:]).snapshotsEverySeconds == 3600)
        #expect(try AppConfig.fromEnvironment(["KVOTA_SNAPSHOTS_EVERY": "0"]).snapshotsEverySeconds == 0)
        #expect(throws: StoreError.self) { try AppConfig.fromEnvironment(["KVOTA_SNAPSHOTS_EVERY": "weekly"]) }
        #expect(AppConfig().snapshotsEverySeconds == 0)
    }
}
