import Testing
@testable import KvotaCore

/// Concentration risk and the comparison windows of territory and channel analysis, on hand-checked numbers.
struct ConcentrationTests {
    @Test func sharesIndexAndAlerts() {
        // Positive total 1 000: shares .4, .3, .1, .1, .05, .05; the customer with returns (−50) holds none.
        let c = Concentration([(1, 400), (2, 300), (3, 100), (4, 100), (5, 50), (6, 50), (7, -50)])
        #expect(c.total == 1_000 && c.ranked.map(\.id) == [1, 2, 3, 4, 5, 6, 7], "by revenue, ties by id")
        #expect(c.topShare == 0.4 && abs(c.top5Share - 0.95) < 1e-12)
        // (.16 + .09 + .01 + .01 + .0025 + .0025) × 10 000 = 2 750
        #expect(abs(c.hhi - 2_750) < 1e-9)
        #expect(c.topShareAlert && c.hhiAlert && c.alert)
        let spread = Concentration((1...10).map { (Int64($0), 100) })
        #expect(abs(spread.hhi - 1_000) < 1e-9 && abs(spread.topShare - 0.1) < 1e-12 && !spread.alert)
        let empty = Concentration([])
        #expect(empty.hhi == 0 && empty.topShare == 0 && !empty.alert)
    }

    @Test func theWindowBeforeAndAYearEarlier() throws {
        let quarter = try DateWindow(from: LocalDate(iso: "2026-04-01"), through: LocalDate(iso: "2026-06-30"))
        #expect(quarter.previous == (try DateWindow(from: LocalDate(iso: "2026-01-01"), through: LocalDate(iso: "2026-03-31"))))
        let february = try DateWindow(from: LocalDate(iso: "2025-02-01"), through: LocalDate(iso: "2025-02-28"))
        #expect(february.previous == (try DateWindow(from: LocalDate(iso: "2025-01-01"), through: LocalDate(iso: "2025-01-31"))))
        #expect(february.yearEarlier == (try DateWindow(from: LocalDate(iso: "2024-02-01"), through: LocalDate(iso: "2024-02-29"))),
                "whole months stay whole")
        let days = try DateWindow(from: LocalDate(iso: "2026-03-10"), through: LocalDate(iso: "2026-03-19"))
        #expect(days.previous == (try DateWindow(from: LocalDate(iso: "2026-02-28"), through: LocalDate(iso: "2026-03-09"))))
        #expect(days.yearEarlier == (try DateWindow(from: LocalDate(iso: "2025-03-10"), through: LocalDate(iso: "2025-03-19"))))
    }

    @Test func segmentFigures() {
        let f = SegmentFigures(totals: SalesTotals(revenue: 1_000, cost: 600, orders: 3), previous: SalesTotals(revenue: 800),
                               yearEarlier: SalesTotals(revenue: 0))
        #expect(f.averageOrder == 333 && f.totals.margin == 400 && f.totals.marginRate == 0.4)
        #expect(f.growthPct == 0.25 && f.yoyPct == nil && f.share(of: 4_000) == 0.25)
        #expect(SegmentFigures().averageOrder == nil)
    }
}

/// Churn risk by a customer's own rhythm (METRICS.md "Retention").
struct RetentionTests {
    static func days(_ isos: [String]) -> [LocalDate] { isos.map { try! LocalDate(iso: $0) } }

    @Test func aCustomerIsAtRiskWhenQuietLongerThanTheirRhythmAllows() throws {
        // Gaps 30, 30, 40 days: median 30, so 45 quiet days would do, but the floor is 60.
        let monthly = Self.days(["2026-01-01", "2026-01-31", "2026-03-02", "2026-04-11"])
        #expect(Retention.medianGap(monthly) == 30)
        let calm = try #require(Retention.risk(orderDays: monthly, asOf: try LocalDate(iso: "2026-06-10")))
        #expect(calm.daysSince == 60 && calm.threshold == 60 && !calm.atRisk, "exactly 60 days is not longer than 60")
        #expect(Retention.risk(orderDays: monthly, asOf: try LocalDate(iso: "2026-06-11"))!.atRisk)
        // Gaps 100 and 120: median 110, threshold 165.
        let seasonal = Self.days(["2025-01-01", "2025-04-11", "2025-08-09"])
        #expect(Retention.medianGap(seasonal) == 110 && Retention.threshold(medianGap: 110) == 165)
        #expect(!Retention.risk(orderDays: seasonal, asOf: try LocalDate(iso: "2026-01-21"))!.atRisk, "165 days")
        #expect(Retention.risk(orderDays: seasonal, asOf: try LocalDate(iso: "2026-01-22"))!.atRisk)
        // One order: no rhythm, the floor applies; orders after the day asked about do not count.
        let once = try #require(Retention.risk(orderDays: Self.days(["2026-01-01", "2026-12-01"]), asOf: try LocalDate(iso: "2026-03-15")))
        let january = try LocalDate(iso: "2026-01-01")
        #expect(once.medianGap == nil && once.threshold == 60 && once.atRisk && once.lastOrder == january)
        #expect(Retention.medianGap(Self.days(["2026-01-01", "2026-01-01"])) == nil, "one day twice is one order day")
    }
}
