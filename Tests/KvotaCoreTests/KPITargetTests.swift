import Foundation
import Testing
@testable import KvotaCore

/// KPI targets: a month's worth of a flow pro rata to the days a window covers, a level as it is, the score either
/// way round, and the version in force (a user's own over their role's).
struct KPITargetTests {
    static func target(_ kpi: KPI, _ value: Double, _ appliesTo: KPITarget.AppliesTo = .role(.rep), from: String = "2026-01-01",
                       id: Int64 = 1) -> KPITarget {
        KPITarget(id: .init(id), kpi: kpi, appliesTo: appliesTo, target: value, effectiveFrom: try! LocalDate(iso: from), createdAt: Date())
    }

    static func window(_ from: String, _ through: String) -> DateWindow {
        try! DateWindow(from: try! LocalDate(iso: from), through: try! LocalDate(iso: through))
    }

    @Test func aFlowScalesWithTheDaysOfEachMonthALevelDoesNot() {
        let calls = Self.target(.callsOutbound, 300)
        #expect(calls.target(over: Self.window("2026-11-01", "2026-11-30")) == 300)
        #expect(calls.target(over: Self.window("2026-11-01", "2026-11-15")) == 150)
        // 12 days of October's 31 and 10 of November's 30: 300 × 12/31 + 300 × 10/30.
        #expect(abs(calls.target(over: Self.window("2026-10-20", "2026-11-10")) - (300.0 * 12 / 31 + 100)) < 1e-9)
        #expect(calls.target(over: Self.window("2026-01-01", "2026-12-31")) == 3_600)
        let onTime = Self.target(.tasksOnTimeRate, 0.9)
        #expect(onTime.target(over: Self.window("2026-11-01", "2026-11-07")) == 0.9)
    }

    @Test func theScoreIsActualOverTargetOrTheOtherWayWhereLessIsBetter() {
        #expect(KPITarget.score(.callsOutbound, actual: 240, target: 300) == 0.8)
        #expect(KPITarget.score(.firstResponseMedianSeconds, actual: 600, target: 300) == 0.5)
        #expect(KPITarget.score(.missedCalls, actual: 0, target: 2) == 10)
        #expect(KPITarget.score(.callsOutbound, actual: nil, target: 300) == nil)
        #expect(KPITarget.score(.callsOutbound, actual: 5, target: 0) == nil)
    }

    @Test func aUsersOwnTargetWinsOverTheRolesAndTheLatestVersionInForce() {
        let targets = [Self.target(.callsOutbound, 300, id: 1), Self.target(.callsOutbound, 350, from: "2026-11-01", id: 2),
                       Self.target(.callsOutbound, 200, .user(7), from: "2026-11-15", id: 3)]
        func inForce(_ user: User.ID, _ day: String) -> Double? {
            KPITarget.inForce(targets, kpi: .callsOutbound, user: user, role: .rep, on: try! LocalDate(iso: day))?.target
        }
        #expect(inForce(7, "2026-10-31") == 300 && inForce(7, "2026-11-01") == 350 && inForce(7, "2026-11-15") == 200)
        #expect(inForce(8, "2026-11-20") == 350)
        #expect(KPITarget.inForce(targets, kpi: .callsOutbound, user: 8, role: .head, on: try! LocalDate(iso: "2026-11-20")) == nil)
        #expect(KPITarget.inForce(targets, kpi: .callsOutbound, user: 7, role: .rep, on: try! LocalDate(iso: "2025-12-31")) == nil)
    }

    @Test func whomATargetAppliesToReadsBackAndBadOnesAreNamed() throws {
        #expect(try KPITarget.AppliesTo("role:head") == .role(.head))
        #expect(try KPITarget.AppliesTo("user:12").description == "user:12")
        #expect(throws: ValueError.self) { try KPITarget.AppliesTo("team:3") }
        var errors = ValidationFailure.Collector()
        KPITarget.check(-1, of: .revenue, into: &errors)
        KPITarget.check(12, of: .winRateCount, into: &errors)
        #expect(errors.errors.map(\.reason) == ["must be 0 or more", "a share is a fraction from 0 to 10 (1.0 = 100 %)"])
    }
}
