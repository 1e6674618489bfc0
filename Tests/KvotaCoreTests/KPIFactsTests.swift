import Testing
@testable import KvotaCore

/// The KPIs' arithmetic on facts made by hand: rates of nothing have no value, medians interpolate, facts of two
/// stretches add up to the facts of both, and the customer measures follow the ABC classes.
@Suite struct KPIFactsTests {
    @Test func ratesAndMediansWithoutDataHaveNoValue() {
        let empty = KPIFacts()
        for kpi in [KPI.callbackWithinSLARate, .tasksOnTimeRate, .qualificationRate, .firstResponseMedianSeconds, .winRateCount, .avgWonDeal,
                    .marginRate, .avgOrderValue, .planFulfilmentRevenue, .runRateRevenue, .topCustomerShare, .hhi, .avgTalkSeconds] {
            #expect(empty.value(kpi) == nil, "\(kpi)")
        }
        #expect(empty.value(.callsOutbound) == 0 && empty.value(.customersActive) == 0)
    }

    @Test func quantilesInterpolateBetweenRanks() {
        #expect(KPIFacts.quantile([300, 3_600], 0.5) == 1_950)
        #expect(KPIFacts.quantile([300, 3_600], 0.9) == 3_270)
        #expect(KPIFacts.quantile([5, 1, 3], 0.5) == 3)
        #expect(KPIFacts.quantile([7], 0.9) == 7)
    }

    @Test func factsOfTwoStretchesAddUp() {
        var a = KPIFacts(), b = KPIFacts()
        a.missedCalls = 3; a.missedCalledBack = 1; a.firstResponseSeconds = [60]; a.revenueByAccount = [1: 100]; a.revenue = 100
        b.missedCalls = 1; b.missedCalledBack = 1; b.firstResponseSeconds = [120, 600]; b.revenueByAccount = [1: 50, 2: 50]; b.revenue = 100
        b.revenuePlan = 400; b.daysTotal = 30; b.daysElapsed = 10
        let sum = a + b
        #expect(sum.value(.callbackWithinSLARate) == 0.5 && sum.value(.firstResponseMedianSeconds) == 120)
        #expect(sum.value(.customersActive) == 2 && sum.value(.topCustomerShare) == 0.75 && sum.value(.hhi) == 0.625)
        #expect(sum.value(.planFulfilmentRevenue) == 0.5 && sum.value(.runRateRevenue) == 600)
        // 150 of 200 is 75 %: customer 1 is A (nothing before it), customer 2 starts at 75 % < 80 %, so A too.
        #expect(sum.value(.aClassCustomers) == 2)
    }
}
