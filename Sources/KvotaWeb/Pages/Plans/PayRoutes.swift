import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The payouts page (statements, approval of a closed month, the payroll CSV) and the signed-in user's own month
/// with the what-if of their open deals. The store's access policy decides whose pay each reader sees.
struct PayRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    /// How many open deals the what-if works out: the biggest, as each is a month's pay worked out again.
    static let whatIfDeals = 10

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.pay(period: nil).route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .list, .payout)
            let page = try await pages.pageContext(request, context, section: .plans)
            let settings = try await database.companySettings()
            let today = LocalDate(config.now(), in: settings.timeZone)
            let asked = request.uri.queryParameters["period"].map(String.init)
            // Payroll works on the month just closed.
            let period = asked.flatMap { try? Period(label: $0) }.flatMap { $0.grain == .month ? $0 : nil }
                ?? Period(.month, containing: today).previous
            let payouts = try await database.payouts(for: context.actor, period: period, asOf: min(today, period.end.adding(days: -1)))
            let view = PayPage(page: page, period: period, asked: asked, asOf: today, payouts: payouts,
                               figures: try await PlansRoutes.figures(page, currency: settings.baseCurrency, database: database),
                               canApprove: AccessPolicy.scope(context.actor, .create, .payout) != .nothing)
            return page.response(view.html())
        }
        signedIn.get(RouterPath(SiteURL.payCSV(period: "").route)) { request, context in
            let settings = try await database.companySettings()
            let today = LocalDate(config.now(), in: settings.timeZone)
            var errors = ValidationFailure.Collector()
            let period = PayAPI.month(request.uri.queryParameters["period"].map(String.init), default: Period(.month, containing: today).previous,
                                      into: &errors)
            try errors.finish()
            let payouts = try await database.payouts(for: context.actor, period: period, asOf: min(today, period.end.adding(days: -1)))
            let names = Dictionary(try await database.users().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            return PayAPI.payrollCSV(payouts.map { PayAPI.PayoutDTO($0, names: names) }, period: period, currency: settings.baseCurrency)
        }
        signedIn.post(RouterPath(SiteURL.payApprove.route)) { request, context in
            let form = try await PlanRoutes.form(request)
            var errors = ValidationFailure.Collector()
            let period = PayAPI.month(form["period"], default: Period(.month, containing: LocalDate(dayNumber: 0)), into: &errors)
            errors.check(form["period"] != nil, "period", "is required (a month like 2026-11)")
            try errors.finish()
            _ = try await database.approvePayouts(period: period, users: nil, by: context.actor, at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.pay(period: period.label).path, flash: .notice(.payApprovedNotice), secure: config.secureCookies)
        }
        signedIn.get(RouterPath(SiteURL.myPlan.route)) { request, context in
            try await myPlan(request, context)
        }
    }

    private func myPlan(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let actor = context.actor
        _ = try AccessPolicy.require(actor, .list, .plan)
        let page = try await pages.pageContext(request, context, section: .plans)
        let settings = try await database.companySettings()
        let today = LocalDate(config.now(), in: settings.timeZone)
        let period = Period(.month, containing: today)
        var standings: [(PlanStanding, PlanCumulative)] = []
        let subjects = [PlanSubject.user(actor.userID)] + actor.ledTeams.sorted().map { PlanSubject.team($0) }
        for subject in subjects {
            guard let plan = try await database.plan(about: subject, period: period, for: actor) else { continue }
            standings.append((try await database.standing(of: plan, for: actor, asOf: today),
                              try await database.cumulative(of: plan, for: actor, asOf: today)))
        }
        let payout = AccessPolicy.scope(actor, .list, .payout) == .nothing ? nil
            : try await database.payouts(for: actor, period: period, asOf: today, user: actor.userID).first
        var whatIfs: [MyPlanPage.WhatIf] = []
        if payout != nil, payout?.approvedAt == nil {
            var filter = DealFilter(ownerID: actor.userID, status: .open)
            filter.sort = ListSort("amount", descending: true)
            filter.limit = Self.whatIfDeals
            for deal in try await database.deals(filter, for: actor).items {
                let answer = try await database.payWhatIf(deal: deal.id, for: actor, at: config.now())
                whatIfs.append(.init(deal: deal, difference: answer.ifWon.total - answer.current.total, ifWon: answer.ifWon.total))
            }
        }
        let view = MyPlanPage(page: page, period: period, standings: standings, payout: payout, whatIfs: whatIfs,
                              figures: try await PlansRoutes.figures(page, currency: settings.baseCurrency, database: database))
        return page.response(view.html())
    }
}
