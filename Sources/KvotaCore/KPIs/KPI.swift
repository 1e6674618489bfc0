/// The KPIs of METRICS.md "KPIs", by stable key (issue 8): how a rep, a team or the company works, over any period.
/// Each is worked out from `KPIFacts` in one place (`KPIFacts.value(_:)`), so the API, the pages, plans and pay read
/// the same number. docs/metrics.md "KPIs" defines every one.
public enum KPI: String, CaseIterable, Sendable, Codable {
    // Activity
    case callsOutbound = "calls_outbound"
    case callsInbound = "calls_inbound"
    case effectiveConversations = "effective_conversations"
    case missedCalls = "missed_calls"
    case callbackWithinSLARate = "callback_within_sla_rate"
    case avgTalkSeconds = "avg_talk_s"
    case meetingsHeld = "meetings_held"
    case tasksCompleted = "tasks_completed"
    case tasksOnTimeRate = "tasks_on_time_rate"
    case tasksOverdue = "tasks_overdue"
    // Leads
    case leadsNew = "leads_new"
    case qualifiedLeads = "qualified_leads"
    case qualificationRate = "qualification_rate"
    case firstResponseMedianSeconds = "first_response_median_s"
    case firstResponseP90Seconds = "first_response_p90_s"
    case leadsOverSLA = "leads_over_sla"
    case leadToWonRate = "lead_to_won_rate"
    case avgConversionDays = "avg_conversion_days"
    // Pipeline
    case dealsNew = "deals_new"
    case pipelineOpen = "pipeline_open"
    case pipelineWeighted = "pipeline_weighted"
    case dealsWon = "deals_won"
    case dealsLost = "deals_lost"
    case winRateCount = "win_rate_count"
    case winRateAmount = "win_rate_amount"
    case avgWonDeal = "avg_won_deal"
    case salesCycleMedianDays = "sales_cycle_median_days"
    case dealsStalled = "deals_stalled"
    // Revenue
    case revenue
    case margin
    case marginRate = "margin_rate"
    case orders
    case avgOrderValue = "avg_order_value"
    case planFulfilmentRevenue = "plan_fulfilment_revenue"
    case runRateRevenue = "run_rate_revenue"
    // Customers
    case customersActive = "customers_active"
    case customersNew = "customers_new"
    case customersRepeat = "customers_repeat"
    case topCustomerShare = "top_customer_share"
    case hhi
    case aClassCustomers = "a_class_customers"
    case churnRiskCount = "churn_risk_count"
    case aClassDowngrades = "a_class_downgrades"

    public enum Unit: String, CaseIterable, Sendable, Codable {
        /// A whole number of things.
        case count
        /// Minor units of the base currency.
        case money
        /// A fraction from 0 to 1 (a rate or share).
        case share
        case seconds
        case days
    }

    public var unit: Unit {
        switch self {
        case .callbackWithinSLARate, .tasksOnTimeRate, .qualificationRate, .leadToWonRate, .winRateCount, .winRateAmount, .marginRate,
             .planFulfilmentRevenue, .topCustomerShare, .hhi:
            .share
        case .avgTalkSeconds, .firstResponseMedianSeconds, .firstResponseP90Seconds: .seconds
        case .avgConversionDays, .salesCycleMedianDays: .days
        case .pipelineOpen, .pipelineWeighted, .avgWonDeal, .revenue, .margin, .avgOrderValue, .runRateRevenue: .money
        default: .count
        }
    }

    /// A state at the end of the period rather than a sum over it (open deals, overdue tasks): the period before has
    /// no value of its own to compare with, as the records keep no history of it.
    public var isSnapshot: Bool { [.pipelineOpen, .pipelineWeighted, .dealsStalled].contains(self) }

    /// Less is better (a leaderboard ranks these lowest first).
    public var lowerIsBetter: Bool {
        [.missedCalls, .tasksOverdue, .firstResponseMedianSeconds, .firstResponseP90Seconds, .leadsOverSLA, .avgConversionDays, .dealsLost,
         .salesCycleMedianDays, .dealsStalled, .topCustomerShare, .hhi, .churnRiskCount, .aClassDowngrades].contains(self)
    }
}
