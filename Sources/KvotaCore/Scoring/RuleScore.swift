import Foundation

/// The score while there are too few closed records to learn from (fewer than `ScoreTraining.minimumClosed`): a few
/// documented rules of thumb in points (docs/scoring.md "Rules"), labelled as rules wherever it shows.
public enum RuleScore {
    /// A deal starts at its stage's configured probability.
    public static func score(_ deal: DealScoreFacts) -> Score {
        var reasons: [ScoreReason] = []
        func add(_ field: String, _ value: String, _ points: Double) { reasons.append(ScoreReason(field: field, value: value, effect: points)) }
        let days = ScoreBands.daysInStage(deal.daysInStage)
        switch days { case "31-90": add("daysInStage", days, -10); case "91+": add("daysInStage", days, -20); default: break }
        let activities = ScoreBands.activities(deal.firstDaysActivities)
        switch activities { case "0": add("firstDays", activities, -5); case "3+": add("firstDays", activities, 5); default: break }
        let history = ScoreBands.priorWins(deal.priorWins)
        switch history { case "1-2": add("accountHistory", history, 5); case "3+": add("accountHistory", history, 10); default: break }
        if deal.fromLead, ScoreBands.response(deal.responseSeconds, waitedSeconds: .max) == "hour" { add("response", "hour", 5) }
        let total = Double(deal.stageProbability) + reasons.reduce(0) { $0 + $1.effect }
        // The stage's probability is a reason too when the rules moved it little.
        reasons.append(ScoreReason(field: "stage", value: String(deal.stageID), effect: Double(deal.stageProbability) - 50))
        return Score(value: clamp(total), method: .rules, reasons: ScoreReason.top(reasons))
    }

    /// A lead starts at 30.
    public static func score(_ lead: LeadScoreFacts) -> Score {
        var reasons: [ScoreReason] = []
        let fields = lead.fields
        func add(_ field: String, _ points: Double) { reasons.append(ScoreReason(field: field, value: fields[field]!, effect: points)) }
        switch fields["response"] { case "hour": add("response", 20); case "day": add("response", 10); case "none": add("response", -15)
        default: break }
        switch lead.source {
        case LeadSource.referral.rawValue: add("source", 15)
        case LeadSource.event.rawValue: add("source", 10)
        case LeadSource.webForm.rawValue, LeadSource.inboundCall.rawValue: add("source", 5)
        case LeadSource.coldOutreach.rawValue: add("source", -10)
        default: break
        }
        if lead.hasPhone && lead.hasEmail { add("contact", 10) } else if !lead.hasPhone && !lead.hasEmail { add("contact", -10) }
        if lead.hasCompany { add("company", 5) }
        // Nothing done counts only once the first days are over.
        switch fields["firstDays"] {
        case "3+": add("firstDays", 10)
        case "0" where lead.waitedSeconds >= 3 * 86_400: add("firstDays", -5)
        default: break
        }
        return Score(value: clamp(30 + reasons.reduce(0) { $0 + $1.effect }), method: .rules, reasons: ScoreReason.top(reasons))
    }

    static func clamp(_ points: Double) -> Int { Int(min(99, max(1, points.rounded()))) }
}

/// The score in use for a subject: the trained model, or the rules while there is none.
public enum Scorer: Sendable {
    case model(ScoreModel)
    case rules

    public func score(_ deal: DealScoreFacts) -> Score {
        switch self { case .model(let model): model.score(deal); case .rules: RuleScore.score(deal) }
    }

    public func score(_ lead: LeadScoreFacts) -> Score {
        switch self { case .model(let model): model.score(lead); case .rules: RuleScore.score(lead) }
    }
}
