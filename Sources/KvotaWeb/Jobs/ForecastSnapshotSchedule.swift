import Foundation
import KvotaCore
import KvotaStore
import Logging
import ServiceLifecycle

/// Takes the week's snapshot of every forecast inside the server (issue 10): the company's, each team's and each
/// active rep's and head's, six months ahead, as Kvota itself sees them (every record). Looked at every `every`; a
/// scope whose snapshot of the week is taken is skipped, so a restart or a second server takes none twice. A failed
/// round is logged and the next one tries again.
struct ForecastSnapshotSchedule: Service {
    let database: Database
    let every: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    func run() async throws {
        await RepeatingRounds.run(every: every, logger: logger, failure: "forecast snapshots failed") { [database, now, logger] in
            let taken = try await Self.takeWeekly(database, at: now())
            if taken > 0 { logger.info("forecast snapshots taken", metadata: ["scopes": "\(taken)"]) }
        }
    }

    /// The week's snapshots not yet taken; answers how many scopes it took.
    @discardableResult
    static func takeWeekly(_ database: Database, at now: Date) async throws -> Int {
        let settings = try await database.companySettings()
        let today = LocalDate(now, in: settings.timeZone)
        var subjects: [PlanSubject] = [.company]
        subjects += try await database.teams().map { .team($0.id) }
        subjects += try await ForecastRound.people(database).map { .user($0) }
        var taken = 0
        var context: ForecastReport.Context?
        for subject in subjects where !(try await database.hasForecastSnapshot(scope: subject.description, week: today)) {
            if context == nil { context = try await ForecastReport.Context.read(database, today: today) }
            let report = try await ForecastReport.build(ForecastReport.Query(scope: subject, horizon: 6, past: 0, by: nil, top: 8),
                                                        for: Database.evaluator, in: database, currency: settings.baseCurrency, today: today,
                                                        context: context)
            let snapshot = ForecastSnapshot.taking(report.months.map(\.row), scope: subject.description, on: today)
            if try await database.saveForecastSnapshot(snapshot) { taken += 1 }
        }
        return taken
    }
}

/// Every rep's and head's forecast as the weekly snapshot makes them: what `kvota bench` times ("forecasts for every
/// rep", issue 10's speed floor).
public enum ForecastRound {
    /// The active reps and heads, whose forecasts the snapshots keep.
    static func people(_ database: Database) async throws -> [User.ID] {
        try await database.users().filter { $0.active && ($0.role == .rep || $0.role == .head) }.map(\.id)
    }

    /// Builds every person's forecast (six months ahead, as Kvota sees them) and answers how many.
    public static func everyPerson(_ database: Database, at now: Date) async throws -> Int {
        let settings = try await database.companySettings()
        let today = LocalDate(now, in: settings.timeZone)
        let people = try await people(database)
        let context = try await ForecastReport.Context.read(database, today: today)
        for user in people {
            _ = try await ForecastReport.build(ForecastReport.Query(scope: .user(user), horizon: 6, past: 0, by: nil, top: 8),
                                               for: Database.evaluator, in: database, currency: settings.baseCurrency, today: today,
                                               context: context)
        }
        return people.count
    }
}
