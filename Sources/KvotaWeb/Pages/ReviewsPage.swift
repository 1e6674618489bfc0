import Foundation
import KvotaCore
import KvotaStore
import Plot

/// Quality control for a team: each rep's scores by month, the reviews, the form to score a call, meeting or test
/// purchase on a scorecard, and the scorecards (made and retired by heads, directors and admins).
struct ReviewsPage {
    let page: PageContext
    let team: Team.ID
    let teams: [(id: Team.ID, name: String)]
    let reviews: [Review]
    let cards: [Scorecard]
    /// The scorecard the form scores on (chosen with `?scorecard=`).
    let card: Scorecard?
    /// The members a review may be of (value, label); empty: no form.
    let reps: [(String, String)]
    let canMakeCards: Bool
    let figures: PlanFigures
    let entered: [String: String]
    let errors: [String: String]

    func html() -> HTML {
        let t = page.t
        let title = t(.reviewsTitle)
        return Layout(page: page, title: title).document(.group(
            .h1(.text("\(title) · \(figures.teams[team] ?? "#\(team)")")),
            .if(teams.count > 1, .form(.class("filters"), .method(.get), .action(SiteURL.teamReviews(team: nil, scorecard: nil).path),
                                       selectField(t(.teamBoardTeam), name: "team", options: teams.map { (String($0.id.rawValue), $0.name) },
                                                   selected: String(team.rawValue)),
                                       .button(.type(.submit), .class("quiet"), .text(t(.plansShow))))),
            .h2(.text(t(.reviewsTrend))),
            trend(),
            .unwrap(reps.isEmpty ? nil : card) { form($0) },
            .h2(.text(t(.reviewsList))),
            list(),
            .h2(.text(t(.reviewsCards))),
            cardList(),
            .if(canMakeCards, cardForm())
        ))
    }

    private func trend() -> Node<HTML.BodyContext> {
        let t = page.t
        let monthly = Review.monthly(reviews)
        let months = Array(Set(monthly.values.flatMap { $0.map(\.month) })).sorted()
        guard !months.isEmpty else { return .p(.class("muted"), .text(t(.reviewsNone))) }
        return .table(.class("list"),
            .thead(.tr(.th(.text(t(.reviewsRep))), .forEach(months) { .th(.class("number"), .text($0.label)) })),
            .tbody(.forEach(monthly.keys.sorted { figures.user($0) < figures.user($1) }) { rep in
                .tr(.td(.a(.href(SiteURL.repCard(id: rep.rawValue).path), .text(figures.user(rep)))),
                    .forEach(months) { month in
                        .td(.class("number"), .text(monthly[rep]?.first { $0.month == month }.map { "\(t.percent($0.mean)) (\($0.count))" } ?? ""))
                    })
            }))
    }

    private func list() -> Node<HTML.BodyContext> {
        let t = page.t
        guard !reviews.isEmpty else { return .p(.class("muted"), .text(t(.reviewsNone))) }
        return .table(.class("list"),
            .thead(.tr(.th(.text(t(.reviewsDay))), .th(.text(t(.reviewsRep))), .th(.text(t(.reviewsSubject))), .th(.text(t(.reviewsScorecard))),
                       .th(.class("number"), .text(t(.reviewsTotal))), .th(.text(t(.reviewsComment))))),
            .tbody(.forEach(reviews.prefix(100)) { review in
                .tr(.td(.text(t.date(review.occurredOn))), .td(.text(figures.user(review.repID))), .td(.text(t(review.subject.label))),
                    .td(.text(cards.first { $0.id == review.scorecardID }?.name ?? "")),
                    .td(.class("number"), .attribute(named: "title", value: review.scores.map { "\($0.criterion) \($0.score)/\(review.maxScore)" }
                                                        .joined(separator: ", ")),
                        .text(t.percent(review.total))),
                    .td(.text(review.comment ?? "")))
            }))
    }

    private func form(_ card: Scorecard) -> Node<HTML.BodyContext> {
        let t = page.t
        let active = cards.filter(\.active)
        return .group(
            .h2(.text(t(.reviewsNew))),
            .if(active.count > 1, .form(.class("filters"), .method(.get), .action(SiteURL.teamReviews(team: nil, scorecard: nil).path),
                                        .input(.type(.hidden), .name("team"), .value(String(team.rawValue))),
                                        selectField(t(.reviewsScorecard), name: "scorecard", options: active.map { (String($0.id.rawValue), $0.name) },
                                                    selected: String(card.id.rawValue)),
                                        .button(.type(.submit), .class("quiet"), .text(t(.plansShow))))),
            .form(.class("stacked"), .action(SiteURL.teamReviews(team: team.rawValue, scorecard: card.id.rawValue).path), .method(.post),
                  csrfField(page.csrfToken),
                  .input(.type(.hidden), .name("scorecardId"), .value(String(card.id.rawValue))),
                  selectField(t(.reviewsRep), name: "repId", options: reps, selected: entered["repId"], error: errors["repId"]),
                  selectField(t(.reviewsSubject), name: "subject", options: Review.Subject.allCases.map { ($0.rawValue, t($0.label)) },
                              selected: entered["subject"], error: errors["subject"]),
                  field(t(.reviewsDay), name: "occurredOn", type: .date, value: entered["occurredOn"] ?? "", error: errors["occurredOn"]),
                  .forEach(card.criteria) { criterion in
                      selectField("\(criterion.name) (×\(SchemeForm.number(criterion.weight)))", name: "score.\(criterion.name)",
                                  options: (0...card.maxScore).reversed().map { (String($0), String($0)) },
                                  selected: entered["score.\(criterion.name)"] ?? String(card.maxScore), error: errors["scores.\(criterion.name)"])
                  },
                  textareaField(t(.reviewsComment), name: "comment", value: entered["comment"] ?? "", error: errors["comment"], rows: 2),
                  .button(.type(.submit), .text(t(.reviewsSave))))
        )
    }

    private func cardList() -> Node<HTML.BodyContext> {
        let t = page.t
        return .ul(.forEach(cards) { card in
            .li(.text("\(card.name): " + card.criteria.map { "\($0.name) ×\(SchemeForm.number($0.weight))" }.joined(separator: ", ")
                      + " · 0–\(card.maxScore)"),
                card.active ? .if(canMakeCards, .form(.class("inline"), .action(SiteURL.scorecardRetire(id: card.id.rawValue).path), .method(.post),
                                                      csrfField(page.csrfToken), .input(.type(.hidden), .name("team"), .value(String(team.rawValue))),
                                                      .button(.type(.submit), .class("quiet"), .text(t(.reviewsRetire)))))
                    : .span(.class("muted"), .text(" · " + t(.reviewsRetired))))
        })
    }

    private func cardForm() -> Node<HTML.BodyContext> {
        let t = page.t
        return .form(.class("stacked"), .action(SiteURL.scorecards.path), .method(.post), csrfField(page.csrfToken),
                     .input(.type(.hidden), .name("team"), .value(String(team.rawValue))),
                     field(t(.reviewsCardName), name: "name", type: .text, value: entered["name"] ?? "", error: errors["name"]),
                     textareaField(t(.reviewsCriteria), name: "criteria", value: entered["criteria"] ?? "", error: errors["criteria"], rows: 4),
                     field(t(.reviewsMaxScore), name: "maxScore", type: .number, value: entered["maxScore"] ?? "5", error: errors["maxScore"]),
                     .button(.type(.submit), .class("quiet"), .text(t(.reviewsCardSave))))
    }
}

extension Review.Subject {
    var label: UIKey {
        switch self {
        case .call: .reviewSubjectCall
        case .meeting: .reviewSubjectMeeting
        case .testPurchase: .reviewSubjectTestPurchase
        }
    }
}
