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
    /// The job's name in its metrics and its lease.
    static let job = "forecast_snapshots"

    let database: Database
    let every: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    /// Set when the round runs on one server at a time (`JobLeaseKeeper`).
    var leases: JobLeaseKeeper?

    func run() async throws {
        await RepeatingRounds.run(Self.job, every: every, leases: leases, logger: logger, failure: "forecast snapshots failed") { [database, now, logger] in
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
        var pending: [PlanSubject] = []
        for subject in subjects where !(try await database.hasForecastSnapshot(scope: subject.description, week: today)) {
            pending.append(subject)
        }
        guard !pending.isEmpty else { return 0 }
        var taken = 0
        for (subject, report) in try await ForecastRound.forecasts(pending, database, today: today, currency: settings.baseCurrency) {
            if try await database.saveForecastSnapshot(ForecastSnapshot.taking(report.months.map(\.row), scope: subject.description, on: today)) {
                taken += 1
            }
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

    /// A subject's forecast as the snapshots keep it: six months ahead, no split.
    private static func query(for subject: PlanSubject) -> ForecastReport.Query {
        ForecastReport.Query(scope: subject, horizon: 6, past: 0, by: nil, top: 8)
    }

    /// Builds every person's forecast (six months ahead, as Kvota sees them) and answers how many.
    public static func everyPerson(_ database: Database, at now: Date) async throws -> Int {
        let settings = try await database.companySettings()
        let today = LocalDate(now, in: settings.timeZone)
        return try await forecasts(try await people(database).map { .user($0) }, database, today: today, currency: settings.baseCurrency).count
    }

    /// The subjects' forecasts six months ahead as Kvota sees them, in the subjects' order. What every forecast shares
    /// is read once, and what the people's read for all of them at once; the teams and the company read their own. As
    /// many are built at a time as the machine has cores (a fit each, and a few reads for a team).
    static func forecasts(_ subjects: [PlanSubject], _ database: Database, today: LocalDate,
                          currency: Currency) async throws -> [(PlanSubject, ForecastReport)] {
        let people = subjects.compactMap { subject -> User.ID? in if case .user(let id) = subject { id } else { nil } }
        async let shared = ForecastReport.Context.read(database, today: today)
        // Every subject's forecast covers the same months, whoever it is about.
        let months = query(for: .company)
        let reads = try await ForecastReport.peopleReads(people, months, for: Database.evaluator, in: database, today: today)
        let context = try await shared
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return try await withThrowingTaskGroup(of: (Int, ForecastReport).self) { group in
            var reports: [Int: ForecastReport] = [:]
            var next = 0
            func start() {
                let index = next, subject = subjects[index]
                next += 1
                group.addTask {
                    if case .user(let person) = subject, let own = reads[person] {
                        return (index, try ForecastReport.assemble(query(for: subject), own, context: context, currency: currency, today: today))
                    }
                    return (index, try await ForecastReport.build(query(for: subject), for: Database.evaluator, in: database, currency: currency,
                                                                  today: today, context: context))
                }
            }
            while next < min(width, subjects.count) { start() }
            while let (index, report) = try await group.next() {
                reports[index] = report
                if next < subjects.count { start() }
            }
            return subjects.indices.map { (subjects[$0], reports[$0]!) }
        }
    }
}
