/// The conditions Kvota watches for a head of sales and a director (issue 8, "Alerts"; docs/alerts.md). Each alert
/// is about one subject (a lead, a missed call, a deal, a customer, a plan or the company) and is raised once per
/// condition: it stays until the condition clears, and only a new occurrence after that raises another.
public enum AlertRule: String, CaseIterable, Sendable, Codable {
    /// A lead nobody has called, written to or met within the response time.
    case leadUnanswered = "lead_unanswered"
    /// A missed inbound call that nobody has called back within the callback time.
    case missedCall = "missed_call"
    /// An open deal with no activity for the stalled-days threshold.
    case dealStalled = "deal_stalled"
    /// An A-class customer (by revenue over the last 12 months) with no order for the silence threshold.
    case keyCustomerSilent = "key_customer_silent"
    /// The top customer's share of the last 12 months' revenue, or the HHI, over its threshold.
    case concentration
    /// A plan whose run-rate fulfilment is under the threshold from the middle of its period on.
    case planBehind = "plan_behind"
    /// A customer who was A in the three full months before and is no longer A in the last three.
    case downgradedFromA = "downgraded_from_a"

    public enum Subject: String, CaseIterable, Sendable, Codable {
        case lead, call, deal, account, plan, company
    }

    public var subject: Subject {
        switch self {
        case .leadUnanswered: .lead
        case .missedCall: .call
        case .dealStalled: .deal
        case .keyCustomerSilent, .downgradedFromA: .account
        case .concentration: .company
        case .planBehind: .plan
        }
    }

    /// How often the schedule looks for new occurrences, in seconds: the response-time rules on every round, the
    /// rest less often, as they change by the day and cost more to work out.
    public var cadenceSeconds: Int {
        switch self {
        case .leadUnanswered, .missedCall: 0
        case .dealStalled: 3_600
        case .keyCustomerSilent, .concentration, .planBehind, .downgradedFromA: 86_400
        }
    }

    /// A fact about a past stretch rather than a state that can end: never cleared by Kvota, only resolved by a person.
    public var isEvent: Bool { self == .downgradedFromA }
}

/// The thresholds of the alert rules, METRICS.md's defaults.
public struct AlertThresholds: Hashable, Sendable {
    public var leadResponseSeconds: Int
    public var callbackSeconds: Int
    public var stalledDays: Int
    public var silentDays: Int
    public var concentration: ConcentrationThresholds
    /// Run-rate fulfilment under this (a fraction) from mid-period on.
    public var planFulfilment: Double
    /// Leads and missed calls older than this are not raised any more (a lead a week old is a list, not an alert).
    public var lookbackDays: Int

    public init(leadResponseSeconds: Int = KPI.leadResponseSLASeconds, callbackSeconds: Int = KPI.callbackSLASeconds,
                stalledDays: Int = KPI.stalledDays, silentDays: Int = 60, concentration: ConcentrationThresholds = ConcentrationThresholds(),
                planFulfilment: Double = 0.7, lookbackDays: Int = 7) {
        self.leadResponseSeconds = leadResponseSeconds; self.callbackSeconds = callbackSeconds; self.stalledDays = stalledDays
        self.silentDays = silentDays; self.concentration = concentration; self.planFulfilment = planFulfilment; self.lookbackDays = lookbackDays
    }
}
