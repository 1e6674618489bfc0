import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The team's reviews page, scoring a review, and making or retiring a scorecard. Who reviews and reads whose is the
/// store's (`.review`, `.scorecard`).
struct ReviewRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.teamReviews(team: nil, scorecard: nil).route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .team)
            let today = LocalDate(config.now(), in: try await database.companyTimeZone())
            return try await view(request, context, page, entered: ["occurredOn": today.iso], errors: [:])
        }
        signedIn.post(RouterPath(SiteURL.teamReviews(team: nil, scorecard: nil).route)) { request, context in
            let form = try await PlanRoutes.form(request)
            var problems = ValidationFailure.Collector()
            let subject = decodeKey(form["subject"], as: Review.Subject.self, field: "subject", into: &problems)
            let day = try? LocalDate(iso: form["occurredOn"] ?? "")
            problems.check(day != nil, "occurredOn", "expected a date like 2026-11-01, got '\(form["occurredOn"] ?? "")'")
            var scores: [String: Int] = [:]
            for (key, value) in form where key.hasPrefix("score.") { scores[String(key.dropFirst("score.".count))] = Int(value) ?? -1 }
            do {
                _ = try await database.addReview(scorecard: form["scorecardId"].flatMap { Int64($0) }.map { Scorecard.ID($0) },
                                                 rep: form["repId"].flatMap { Int64($0) }.map { User.ID($0) }, subject: subject, activity: nil,
                                                 occurredOn: day, scores: scores, comment: form["comment"], problems: problems, by: context.actor,
                                                 at: config.now(), address: context.address)
                let back = SiteURL.teamReviews(team: request.uri.queryParameters["team"].flatMap { Int64($0) },
                                               scorecard: form["scorecardId"].flatMap { Int64($0) })
                return Response.redirect(to: back.path, flash: .notice(.reviewsSavedNotice), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                let page = try await pages.pageContext(request, context, section: .team)
                return try await view(request, context, page, entered: form, errors: failure.formErrors(in: page.t.language), status: .unprocessableContent)
            }
        }
        signedIn.post(RouterPath(SiteURL.scorecards.route)) { request, context in
            let form = try await PlanRoutes.form(request)
            let page = try await pages.pageContext(request, context, section: .team)
            var criteria: [Scorecard.Criterion] = []
            var unreadable = false
            for line in (form["criteria"] ?? "").split(whereSeparator: \.isNewline) {
                // "Needs found 2": the last word is the weight, the rest the name.
                let words = line.split(separator: " ", omittingEmptySubsequences: true)
                guard words.count >= 2, let weight = SchemeForm.decimal(String(words.last!)) else { unreadable = true; continue }
                criteria.append(.init(name: words.dropLast().joined(separator: " "), weight: weight))
            }
            let back = SiteURL.teamReviews(team: form["team"].flatMap { Int64($0) }, scorecard: nil)
            if unreadable {
                return try await view(request, context, page, team: form["team"].flatMap { Int64($0) }, entered: form,
                                      errors: ["criteria": page.t(.reviewsCriteriaInvalid)], status: .unprocessableContent)
            }
            do {
                _ = try await database.addScorecard(name: form["name"], criteria: criteria, maxScore: form["maxScore"].flatMap { Int($0) },
                                                    by: context.actor, at: config.now(), address: context.address)
                return Response.redirect(to: back.path, flash: .notice(.reviewsCardNotice), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                let errors = failure.formErrors(in: page.t.language, renaming: Dictionary(failure.errors.map {
                    ($0.field, $0.field.hasPrefix("criteria") ? "criteria" : $0.field)
                }, uniquingKeysWith: { a, _ in a }))
                return try await view(request, context, page, team: form["team"].flatMap { Int64($0) }, entered: form, errors: errors,
                                      status: .unprocessableContent)
            }
        }
        signedIn.post(RouterPath(SiteURL.scorecardRetire(id: 0).route)) { request, context in
            let id = Scorecard.ID(try context.parameters.require("id", as: Int64.self))
            let form = try await PlanRoutes.form(request)
            try await database.retireScorecard(id, by: context.actor, at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.teamReviews(team: form["team"].flatMap { Int64($0) }, scorecard: nil).path,
                                     flash: .notice(.reviewsCardNotice), secure: config.secureCookies)
        }
    }

    private func view(_ request: Request, _ context: SignedInContext, _ page: PageContext, team asked: Int64? = nil, entered: [String: String],
                      errors: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let actor = context.actor
        guard let choice = try await TeamChoice.read(database, request, for: actor, team: asked.map { Team.ID($0) }) else {
            throw HTTPError(.forbidden, message: "call reviews are for heads of sales, directors, analysts and admins")
        }
        // The team's people of the last year: a rep who moved on keeps their history here.
        let today = LocalDate(config.now(), in: page.t.timeZone)
        let members = try await database.memberDays(of: choice.team, in: try DateWindow(from: today.adding(days: -365), through: today))
        let reviews = try await database.reviews(for: actor).filter { members.keys.contains($0.repID) }
        let cards = try await database.scorecards(for: actor)
        let asked = request.uri.queryParameters["scorecard"].flatMap { Int64(String($0)) }
        let card = cards.first { $0.active && $0.id.rawValue == asked } ?? cards.first(where: \.active)
        let reach = AccessPolicy.scope(actor, .create, .review)
        let names = try await database.userNames()
        let reps = members.keys.filter { reach.allows(owner: $0) }.sorted { (names[$0] ?? "") < (names[$1] ?? "") }.map { ("\($0)", names[$0] ?? "#\($0)") }
        let figures = try await PlansRoutes.figures(page, currency: try await database.companySettings().baseCurrency, database: database)
        return page.response(ReviewsPage(page: page, team: choice.team, teams: choice.options, reviews: reviews, cards: cards, card: card, reps: reps,
                                         canMakeCards: AccessPolicy.scope(actor, .create, .scorecard) != .nothing, figures: figures, entered: entered,
                                         errors: errors).html(), status: status)
    }
}
