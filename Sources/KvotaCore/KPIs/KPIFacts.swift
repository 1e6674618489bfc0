import Foundation

/// What the KPIs are worked out from, for one owner (or everyone) over one stretch of days: counts, sums and the raw
/// durations medians need. Facts of several stretches or owners add up (`+`), so a team's are its members' over their
/// days in it, and each member's own give the team median.
public struct KPIFacts: Hashable, Sendable {
    // Activity
    public var callsOutbound: Int64 = 0
    public var callsInbound: Int64 = 0
    public var answeredCalls: Int64 = 0
    public var talkSeconds: Int64 = 0
    public var effectiveConversations: Int64 = 0
    public var missedCalls: Int64 = 0
    public var missedCalledBack: Int64 = 0
    public var meetingsHeld: Int64 = 0
    public var tasksCompleted: Int64 = 0
    public var tasksCompletedWithDue: Int64 = 0
    public var tasksOnTime: Int64 = 0
    public var tasksOverdue: Int64 = 0
    // Leads
    public var leadsNew: Int64 = 0
    public var leadsNewQualified: Int64 = 0
    public var qualifiedLeads: Int64 = 0
    public var firstResponseSeconds: [Int64] = []
    public var leadsOverSLA: Int64 = 0
    public var leadsNewWon: Int64 = 0
    public var conversionDays: [Int64] = []
    // Pipeline
    public var dealsNew: Int64 = 0
    public var pipelineOpen: Int64 = 0
    public var pipelineWeighted: Int64 = 0
    public var dealsWon: Int64 = 0
    public var dealsLost: Int64 = 0
    public var wonAmount: Int64 = 0
    public var lostAmount: Int64 = 0
    public var cycleDays: [Int64] = []
    public var dealsStalled: Int64 = 0
    // Revenue and customers
    public var revenue: Int64 = 0
    public var cost: Int64 = 0
    public var orders: Int64 = 0
    /// Revenue per customer (account id) over the stretch.
    public var revenueByAccount: [Int64: Int64] = [:]
    public var customersNew: Int64 = 0
    /// Customers with sales in the stretch who had bought before it.
    public var customersRepeat: Set<Int64> = []
    /// Revenue per customer over the stretch of the same length just before (for downgrades from A).
    public var previousRevenueByAccount: [Int64: Int64] = [:]
    /// Customers of the stretch before at churn risk on the stretch's last day (METRICS.md "Retention").
    public var churnRisk: Set<Int64> = []
    /// The revenue plan for exactly the period asked about, when there is one (set once, not added up).
    public var revenuePlan: Int64?
    /// Days of the period and days of it elapsed, for the run-rate (set once).
    public var daysTotal = 0
    public var daysElapsed = 0

    public init() {}

    public static func + (a: KPIFacts, b: KPIFacts) -> KPIFacts {
        var s = a
        s.callsOutbound += b.callsOutbound; s.callsInbound += b.callsInbound; s.answeredCalls += b.answeredCalls
        s.talkSeconds += b.talkSeconds; s.effectiveConversations += b.effectiveConversations; s.missedCalls += b.missedCalls
        s.missedCalledBack += b.missedCalledBack; s.meetingsHeld += b.meetingsHeld; s.tasksCompleted += b.tasksCompleted
        s.tasksCompletedWithDue += b.tasksCompletedWithDue; s.tasksOnTime += b.tasksOnTime; s.tasksOverdue += b.tasksOverdue
        s.leadsNew += b.leadsNew; s.leadsNewQualified += b.leadsNewQualified; s.qualifiedLeads += b.qualifiedLeads
        s.firstResponseSeconds += b.firstResponseSeconds; s.leadsOverSLA += b.leadsOverSLA; s.leadsNewWon += b.leadsNewWon
        s.conversionDays += b.conversionDays
        s.dealsNew += b.dealsNew; s.pipelineOpen += b.pipelineOpen; s.pipelineWeighted += b.pipelineWeighted
        s.dealsWon += b.dealsWon; s.dealsLost += b.dealsLost; s.wonAmount += b.wonAmount; s.lostAmount += b.lostAmount
        s.cycleDays += b.cycleDays; s.dealsStalled += b.dealsStalled
        s.revenue += b.revenue; s.cost += b.cost; s.orders += b.orders
        // The facts of a read are added to blank ones part by part (each part filling in its own): a part's customers
        // are taken as they are, not hashed again into an empty table (a company's week is 12 000 at scale L).
        s.revenueByAccount = Self.merged(a.revenueByAccount, b.revenueByAccount)
        s.customersNew += b.customersNew; s.customersRepeat = Self.union(a.customersRepeat, b.customersRepeat)
        s.previousRevenueByAccount = Self.merged(a.previousRevenueByAccount, b.previousRevenueByAccount)
        s.churnRisk = Self.union(a.churnRisk, b.churnRisk)
        s.revenuePlan = a.revenuePlan ?? b.revenuePlan
        s.daysTotal = max(a.daysTotal, b.daysTotal); s.daysElapsed = max(a.daysElapsed, b.daysElapsed)
        return s
    }

    private static func merged(_ a: [Int64: Int64], _ b: [Int64: Int64]) -> [Int64: Int64] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        return a.merging(b, uniquingKeysWith: +)
    }

    private static func union(_ a: Set<Int64>, _ b: Set<Int64>) -> Set<Int64> {
        a.isEmpty ? b : b.isEmpty ? a : a.union(b)
    }

    /// The KPI's value: a count, money in minor units, a share from 0 to 1, seconds or days; nil where it has no value
    /// (a rate of nothing, a median of no durations, fulfilment without a plan).
    public func value(_ kpi: KPI) -> Double? {
        func rate(_ part: Int64, _ whole: Int64) -> Double? { whole > 0 ? Double(part) / Double(whole) : nil }
        func count(_ n: Int64) -> Double { Double(n) }
        switch kpi {
        case .callsOutbound: return count(callsOutbound)
        case .callsInbound: return count(callsInbound)
        case .effectiveConversations: return count(effectiveConversations)
        case .missedCalls: return count(missedCalls)
        case .callbackWithinSLARate: return rate(missedCalledBack, missedCalls)
        case .avgTalkSeconds: return answeredCalls > 0 ? (Double(talkSeconds) / Double(answeredCalls)).rounded() : nil
        case .meetingsHeld: return count(meetingsHeld)
        case .tasksCompleted: return count(tasksCompleted)
        case .tasksOnTimeRate: return rate(tasksOnTime, tasksCompletedWithDue)
        case .tasksOverdue: return count(tasksOverdue)
        case .leadsNew: return count(leadsNew)
        case .qualifiedLeads: return count(qualifiedLeads)
        case .qualificationRate: return rate(leadsNewQualified, leadsNew)
        case .firstResponseMedianSeconds: return Self.quantile(firstResponseSeconds, 0.5)
        case .firstResponseP90Seconds: return Self.quantile(firstResponseSeconds, 0.9)
        case .leadsOverSLA: return count(leadsOverSLA)
        case .leadToWonRate: return rate(leadsNewWon, leadsNew)
        case .avgConversionDays:
            return conversionDays.isEmpty ? nil : Double(conversionDays.reduce(0, +)) / Double(conversionDays.count)
        case .dealsNew: return count(dealsNew)
        case .pipelineOpen: return count(pipelineOpen)
        case .pipelineWeighted: return count(pipelineWeighted)
        case .dealsWon: return count(dealsWon)
        case .dealsLost: return count(dealsLost)
        case .winRateCount: return rate(dealsWon, dealsWon + dealsLost)
        case .winRateAmount: return rate(wonAmount, wonAmount + lostAmount)
        case .avgWonDeal: return dealsWon > 0 ? (Double(wonAmount) / Double(dealsWon)).rounded() : nil
        case .salesCycleMedianDays: return Self.quantile(cycleDays, 0.5)
        case .dealsStalled: return count(dealsStalled)
        case .revenue: return count(revenue)
        case .margin: return count(revenue - cost)
        case .marginRate: return revenue != 0 ? Double(revenue - cost) / Double(revenue) : nil
        case .orders: return count(orders)
        case .avgOrderValue: return orders > 0 ? (Double(revenue) / Double(orders)).rounded() : nil
        case .planFulfilmentRevenue: return revenuePlan.flatMap { $0 != 0 ? Double(revenue) / Double($0) : nil }
        case .runRateRevenue: return daysElapsed > 0 ? (Double(revenue) * Double(daysTotal) / Double(daysElapsed)).rounded() : nil
        case .customersActive: return count(Int64(revenueByAccount.count))
        case .customersNew: return count(customersNew)
        case .customersRepeat: return count(Int64(customersRepeat.count))
        case .topCustomerShare:
            let total = revenueByAccount.values.reduce(0, +)
            return total > 0 ? Double(revenueByAccount.values.max() ?? 0) / Double(total) : nil
        case .hhi:
            let total = Double(revenueByAccount.values.reduce(0, +))
            return total > 0 ? revenueByAccount.values.reduce(0) { $0 + pow(Double($1) / total, 2) } : nil
        case .aClassCustomers:
            let result = ABCAnalysis.classify(revenueByAccount.map { (id: $0.key, value: $0.value) })
            return count(Int64(result.classes[.a]?.count ?? 0))
        case .churnRiskCount: return count(Int64(churnRisk.count))
        case .aClassDowngrades:
            // METRICS.md "Customer category migration": A before, and B, C or no purchase now.
            let before = ABCAnalysis.classify(previousRevenueByAccount.map { (id: $0.key, value: $0.value) }).rows.filter { $0.category == .a }
            let now = Dictionary(uniqueKeysWithValues: ABCAnalysis.classify(revenueByAccount.map { (id: $0.key, value: $0.value) }).rows
                .map { ($0.id, $0.category) })
            return count(Int64(before.filter { now[$0.id] != .a }.count))
        }
    }

    /// The q-quantile by linear interpolation between the closest ranks (q = 0.5: the median), rounded to a whole unit.
    public static func quantile(_ values: [Int64], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        return (Double(sorted[low]) + (Double(sorted[high]) - Double(sorted[low])) * (position - Double(low))).rounded()
    }
}
