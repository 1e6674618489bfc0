import Foundation

/// What is scored: an inbound lead (will it qualify?) or a deal (will it be won?).
public enum ScoreSubject: String, CaseIterable, Sendable, Codable {
    case lead, deal
}

/// A deal as the score reads it, at one moment of its life: for an open deal now, for a closed one each open stage it
/// passed (docs/scoring.md "Examples"). Ids are kept as ids; the store names them when it writes the reasons.
public struct DealScoreFacts: Hashable, Sendable {
    public var stageID: Int64
    /// The stage's configured probability, for the rule-based score.
    public var stageProbability: Int
    public var daysInStage: Int
    /// The source of the lead the deal came from; nil for a deal without one.
    public var source: String?
    public var channelID: Int64?
    public var regionID: Int64?
    /// The amount in the base currency.
    public var amountMinor: Int64
    /// The product category of the deal's first line; nil without lines.
    public var categoryID: Int64?
    /// The lead's first response after receipt, in seconds; nil when the deal had no lead or the lead no response.
    public var responseSeconds: Int64?
    public var fromLead: Bool
    /// Activities on the deal in its first 7 days.
    public var firstDaysActivities: Int
    /// The account's deals won before this one was opened.
    public var priorWins: Int

    public init(stageID: Int64, stageProbability: Int, daysInStage: Int, source: String? = nil, channelID: Int64? = nil,
                regionID: Int64? = nil, amountMinor: Int64, categoryID: Int64? = nil, responseSeconds: Int64? = nil,
                fromLead: Bool = false, firstDaysActivities: Int = 0, priorWins: Int = 0) {
        self.stageID = stageID; self.stageProbability = stageProbability; self.daysInStage = daysInStage; self.source = source
        self.channelID = channelID; self.regionID = regionID; self.amountMinor = amountMinor; self.categoryID = categoryID
        self.responseSeconds = responseSeconds; self.fromLead = fromLead; self.firstDaysActivities = firstDaysActivities
        self.priorWins = priorWins
    }

    /// The deal's features as field → value, every number banded; `amountBounds` are the training amounts' quartiles.
    public func fields(amountBounds: [Int64]) -> [String: String] {
        var fields: [String: String] = [
            "stage": String(stageID), "daysInStage": ScoreBands.daysInStage(daysInStage),
            "source": source ?? "none", "firstDays": ScoreBands.activities(firstDaysActivities),
            "accountHistory": ScoreBands.priorWins(priorWins),
            "response": fromLead ? ScoreBands.response(responseSeconds, waitedSeconds: .max) : "no_lead",
        ]
        fields["channel"] = channelID.map(String.init) ?? "none"
        fields["region"] = regionID.map(String.init) ?? "none"
        fields["category"] = categoryID.map(String.init) ?? "none"
        if !amountBounds.isEmpty { fields["amount"] = ScoreBands.amount(amountMinor, bounds: amountBounds) }
        return fields
    }
}

/// A lead as the score reads it.
public struct LeadScoreFacts: Hashable, Sendable {
    public var source: String
    public var channel: String?
    public var regionID: Int64?
    public var hasCompany: Bool
    public var hasPhone: Bool
    public var hasEmail: Bool
    public var utmSource: String?
    /// Seconds from receipt to the first response; nil without one.
    public var responseSeconds: Int64?
    /// Seconds since receipt (for a closed lead: as long as it took, at least a day counts as "no response").
    public var waitedSeconds: Int64
    /// Activities on the lead in its first 3 days.
    public var firstDaysActivities: Int

    public init(source: String, channel: String? = nil, regionID: Int64? = nil, hasCompany: Bool = false, hasPhone: Bool = false,
                hasEmail: Bool = false, utmSource: String? = nil, responseSeconds: Int64? = nil, waitedSeconds: Int64 = .max,
                firstDaysActivities: Int = 0) {
        self.source = source; self.channel = channel; self.regionID = regionID; self.hasCompany = hasCompany; self.hasPhone = hasPhone
        self.hasEmail = hasEmail; self.utmSource = utmSource; self.responseSeconds = responseSeconds; self.waitedSeconds = waitedSeconds
        self.firstDaysActivities = firstDaysActivities
    }

    public var fields: [String: String] {
        [
            "source": source, "channel": channel ?? "none", "region": regionID.map(String.init) ?? "none",
            "company": hasCompany ? "yes" : "no", "contact": hasPhone && hasEmail ? "both" : hasPhone ? "phone" : hasEmail ? "email" : "none",
            "utmSource": utmSource.map { $0.lowercased() } ?? "none",
            "response": ScoreBands.response(responseSeconds, waitedSeconds: waitedSeconds),
            "firstDays": ScoreBands.activities(firstDaysActivities),
        ]
    }
}

/// The bands numbers fall into, so every feature is a category the model, the baseline and the reasons share.
public enum ScoreBands {
    public static func daysInStage(_ days: Int) -> String {
        switch days { case ..<8: "0-7"; case ..<31: "8-30"; case ..<91: "31-90"; default: "91+" }
    }

    public static func activities(_ count: Int) -> String {
        switch count { case ...0: "0"; case 1...2: "1-2"; default: "3+" }
    }

    public static func priorWins(_ count: Int) -> String {
        switch count { case ...0: "new"; case 1...2: "1-2"; default: "3+" }
    }

    /// Within an hour, within a day, later; without a response "none" once a day has passed, else "waiting" (a value
    /// no closed example has, so it weighs nothing either way).
    public static func response(_ seconds: Int64?, waitedSeconds: Int64) -> String {
        guard let seconds else { return waitedSeconds >= 86_400 ? "none" : "waiting" }
        switch seconds { case ..<3_600: return "hour"; case ..<86_400: return "day"; default: return "later" }
    }

    /// Which quarter of the training amounts: "q1" (smallest) to "q4".
    public static func amount(_ minor: Int64, bounds: [Int64]) -> String {
        "q" + String(1 + bounds.prefix(3).filter { minor > $0 }.count)
    }

    /// The quartile bounds of `amounts` (the 25th, 50th and 75th percentiles); empty without amounts.
    public static func quartiles(_ amounts: [Int64]) -> [Int64] {
        guard !amounts.isEmpty else { return [] }
        let sorted = amounts.sorted()
        return [1, 2, 3].map { sorted[min(sorted.count - 1, sorted.count * $0 / 4)] }
    }
}
