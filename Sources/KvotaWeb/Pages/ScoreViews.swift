import Foundation
import KvotaCore
import Plot

/// A lead's or deal's score as the pages show it: a badge with the number (its reasons in the tooltip) on lists and
/// cards, and on a record's page the number, how it was reached and the three reasons in words (docs/scoring.md).
struct ScoreBadge {
    let page: PageContext
    let score: Score

    func node() -> Node<HTML.BodyContext> {
        let t = page.t
        let method = score.method == .rules ? t(.scoreRulesShort) : t(.scoreModelShort)
        let reasons = score.reasons.map { ScoreWords.reason($0, t) }.joined(separator: "; ")
        return .span(.class("score \(ScoreWords.band(score.value))"), .attribute(named: "title", value: "\(t(.scoreLabel)) (\(method)): \(reasons)"),
                     .text(String(score.value)))
    }
}

/// The score on a lead's or deal's page, with how it was reached and its reasons.
struct ScoreFact {
    let page: PageContext
    let score: Score

    func node() -> Node<HTML.BodyContext> {
        let t = page.t
        return .div(
            .class("score-fact"),
            .strong(.text(t(.scoreLabel) + " ")), ScoreBadge(page: page, score: score).node(),
            .span(.class("muted"), .text(" " + (score.method == .rules ? t(.scoreRules) : t(.scoreModelShort)))),
            .if(!score.reasons.isEmpty, .ul(.class("score-reasons"), .forEach(score.reasons) { reason in
                .li(.class(reason.effect > 0 ? "up" : "down"), .text(ScoreWords.reason(reason, t)))
            }))
        )
    }
}

/// A reason in the reader's language: "↑ Source: Referral".
enum ScoreWords {
    static func band(_ value: Int) -> String { value >= 70 ? "high" : value >= 40 ? "mid" : "low" }

    static func reason(_ reason: ScoreReason, _ t: Localizer) -> String {
        (reason.effect > 0 ? "↑ " : "↓ ") + "\(t(field(reason.field))): \(value(reason, t))"
    }

    static func field(_ field: String) -> UIKey {
        switch field {
        case "stage": .scoreFieldStage
        case "daysInStage": .scoreFieldDaysInStage
        case "source": .scoreFieldSource
        case "channel": .scoreFieldChannel
        case "region": .scoreFieldRegion
        case "accountHistory": .scoreFieldAccountHistory
        case "amount": .scoreFieldAmount
        case "category": .scoreFieldCategory
        case "response": .scoreFieldResponse
        case "firstDays": .scoreFieldFirstDays
        case "company": .scoreFieldCompany
        case "contact": .scoreFieldContact
        default: .scoreFieldUtmSource
        }
    }

    static func value(_ reason: ScoreReason, _ t: Localizer) -> String {
        let value = reason.value
        if value == "none" && reason.field != "response" { return t(.scoreValueNone) }
        let range = value.replacingOccurrences(of: "-", with: "–")
        switch reason.field {
        case "daysInStage": return t(.scoreValueDays, ["range": range])
        case "accountHistory": return value == "new" ? t(.scoreValueNewCustomer) : t(.scoreValueWonBefore, ["range": range])
        case "firstDays": return value == "0" ? t(.scoreValueNone) : t(.scoreValueActivities, ["range": range])
        case "amount":
            return [("q1", UIKey.scoreValueQuarter1), ("q2", .scoreValueQuarter2), ("q3", .scoreValueQuarter3),
                    ("q4", .scoreValueQuarter4)].first { $0.0 == value }.map { t($0.1) } ?? value
        case "response":
            return [("hour", UIKey.scoreValueHour), ("day", .scoreValueDay), ("later", .scoreValueLater), ("none", .scoreValueNoResponse),
                    ("waiting", .scoreValueWaiting), ("no_lead", .scoreValueNoLead)].first { $0.0 == value }.map { t($0.1) } ?? value
        case "company": return value == "yes" ? t(.scoreValueYes) : t(.scoreValueNo)
        case "contact":
            return [("both", UIKey.scoreValueBoth), ("phone", .scoreValuePhone), ("email", .scoreValueEmail)]
                .first { $0.0 == value }.map { t($0.1) } ?? value
        case "source": return reason.name ?? LeadSource(rawValue: value).standardLabel.map { t($0) } ?? value
        default: return reason.name ?? value
        }
    }
}
