import KvotaCore
import Plot

/// The plans section's own menu: the plans of a period, one's own month, the team board, pay and schemes, each shown
/// to whoever the access policy lets read it (the main menu has one entry for the section; it is already full).
enum PlansTab: CaseIterable {
    case plans, mine, board, pay, schemes, kpiTargets, swot, surveys, library

    func isVisible(to actor: Actor) -> Bool {
        switch self {
        case .plans, .mine: AccessPolicy.scope(actor, .list, .plan) != .nothing
        case .board: [.head, .director, .admin, .analyst].contains(actor.role)
        case .pay: AccessPolicy.scope(actor, .list, .payout) != .nothing
        case .schemes: AccessPolicy.scope(actor, .list, .compensationScheme) != .nothing
        case .kpiTargets: AccessPolicy.scope(actor, .list, .kpiTarget) != .nothing
        case .swot: AccessPolicy.scope(actor, .list, .swot) != .nothing
        case .surveys: AccessPolicy.scope(actor, .list, .survey) != .nothing
        case .library: AccessPolicy.scope(actor, .list, .libraryDocument) != .nothing
        }
    }

    var label: UIKey {
        switch self {
        case .plans: .plansTabPlans
        case .mine: .plansTabMine
        case .board: .plansTabBoard
        case .pay: .plansTabPay
        case .schemes: .plansTabSchemes
        case .kpiTargets: .plansTabKpiTargets
        case .swot: .plansTabSwot
        case .surveys: .plansTabSurveys
        case .library: .plansTabLibrary
        }
    }

    var url: SiteURL {
        switch self {
        case .plans: .plans(period: nil)
        case .mine: .myPlan
        case .board: .planBoard(team: nil, date: nil)
        case .pay: .pay(period: nil)
        case .schemes: .schemes
        case .kpiTargets: .kpiTargets
        case .swot: .swot
        case .surveys: .surveys
        case .library: .library
        }
    }

    static func nav(_ page: PageContext, current: PlansTab?) -> Node<HTML.BodyContext> {
        guard let actor = page.actor else { return .empty }
        return .nav(.class("tabs"), .attribute(named: "aria-label", value: page.t(.navPlans)),
                    .forEach(allCases.filter { $0.isVisible(to: actor) }) { tab in
                        .a(.href(tab.url.path), .if(tab == current, .attribute(named: "aria-current", value: "page")), .text(page.t(tab.label)))
                    })
    }
}
