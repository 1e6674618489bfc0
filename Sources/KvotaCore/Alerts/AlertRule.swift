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
    /// An outgoing webhook subscription Kvota paused after a delivery failed for a whole day (docs/webhooks.md); for
    /// the admins, raised by the delivery round rather than looked for.
    case webhookPaused = "webhook_paused"

    public enum Subject: String, CaseIterable, Sendable, Codable {
        case lead, call, deal, account, plan, company, webhook
    }

    /// The rules the alert rounds look for; the others are raised where their event happens.
    public static var evaluated: [AlertRule] { allCases.filter { $0 != .webhookPaused } }

    public var subject: Subject {
        switch self {
        case .leadUnanswered: .lead
        case .missedCall: .call
        case .dealStalled: .deal
        case .keyCustomerSilent, .downgradedFromA: .account
        case .concentration: .company
        case .planBehind: .plan
        case .webhookPaused: .webhook
        }
    }

    /// How often the schedule looks for new occurrences, in seconds: the response-time rules on every round, the
    /// rest less often, as they change by the day and cost more to work out.
    public var cadenceSeconds: Int {
        switch self {
        case .leadUnanswered, .missedCall: 0
        case .dealStalled: 3_600
        case .keyCustomerSilent, .concentration, .planBehind, .downgradedFromA, .webhookPaused: 86_400
        }
    }

    /// A fact about a past stretch rather than a state that can end: never cleared by Kvota, only resolved by a person.
    public var isEvent: Bool { self == .downgradedFromA || self == .webhookPaused }
}

/// METRICS.md's thresholds a company can change (company settings, `thresholds`): what the KPIs count as an
/// effective conversation, a timely callback or response and a stalled deal, and when the alerts fire.
public struct SalesThresholds: Hashable, Sendable {
    public var effectiveTalkSeconds: Int
    public var callbackSeconds: Int
    public var leadResponseSeconds: Int
    public var stalledDays: Int
    public var silentDays: Int
    public var concentration: ConcentrationThresholds
    /// Run-rate fulfilment under this (a fraction) from mid-period on.
    public var planFulfilment: Double
    /// Leads and missed calls older than this are not raised any more (a lead a week old is a list, not an alert).
    public var lookbackDays: Int

    public init(effectiveTalkSeconds: Int = 60, callbackSeconds: Int = 15 * 60, leadResponseSeconds: Int = 15 * 60, stalledDays: Int = 14,
                silentDays: Int = 60, concentration: ConcentrationThresholds = ConcentrationThresholds(), planFulfilment: Double = 0.7,
                lookbackDays: Int = 7) {
        self.effectiveTalkSeconds = effectiveTalkSeconds; self.callbackSeconds = callbackSeconds; self.leadResponseSeconds = leadResponseSeconds
        self.stalledDays = stalledDays; self.silentDays = silentDays; self.concentration = concentration; self.planFulfilment = planFulfilment
        self.lookbackDays = lookbackDays
    }

    /// Each threshold by its settings name, with the values it may take.
    public static let names: [(name: String, range: ClosedRange<Double>)] = [
        ("effectiveTalkSeconds", 1...3_600), ("callbackSeconds", 60...86_400), ("leadResponseSeconds", 60...86_400), ("stalledDays", 1...365),
        ("silentDays", 7...730), ("topShare", 0.01...1), ("hhi", 100...10_000), ("planFulfilment", 0.01...1), ("lookbackDays", 1...90),
    ]

    public subscript(named name: String) -> Double? {
        switch name {
        case "effectiveTalkSeconds": Double(effectiveTalkSeconds)
        case "callbackSeconds": Double(callbackSeconds)
        case "leadResponseSeconds": Double(leadResponseSeconds)
        case "stalledDays": Double(stalledDays)
        case "silentDays": Double(silentDays)
        case "topShare": concentration.topShare
        case "hhi": concentration.hhi
        case "planFulfilment": planFulfilment
        case "lookbackDays": Double(lookbackDays)
        default: nil
        }
    }

    /// These thresholds with `changes` (by name) applied; an unknown name or a value out of its range is named
    /// `thresholds.NAME`, and a whole-number threshold must be whole.
    public func applying(_ changes: [String: Double], into errors: inout ValidationFailure.Collector) -> SalesThresholds {
        var new = self
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) {
            let field = "thresholds.\(name)"
            guard let range = Self.names.first(where: { $0.name == name })?.range else {
                errors.check(false, field, "no such threshold; expected one of \(Self.names.map(\.name).joined(separator: ", "))")
                continue
            }
            guard range.contains(value) else {
                errors.check(false, field, "expected \(Self.text(range.lowerBound)) to \(Self.text(range.upperBound)), got \(Self.text(value))")
                continue
            }
            let whole = Int(value)
            let fraction = ["topShare", "hhi", "planFulfilment"].contains(name)
            if !fraction && Double(whole) != value { errors.check(false, field, "expected a whole number, got \(Self.text(value))"); continue }
            switch name {
            case "effectiveTalkSeconds": new.effectiveTalkSeconds = whole
            case "callbackSeconds": new.callbackSeconds = whole
            case "leadResponseSeconds": new.leadResponseSeconds = whole
            case "stalledDays": new.stalledDays = whole
            case "silentDays": new.silentDays = whole
            case "topShare": new.concentration.topShare = value
            case "hhi": new.concentration.hhi = value
            case "planFulfilment": new.planFulfilment = value
            default: new.lookbackDays = whole
            }
        }
        return new
    }

    static func text(_ value: Double) -> String { value == value.rounded() ? String(Int64(value)) : String(value) }
}
