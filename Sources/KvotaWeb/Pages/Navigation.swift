import KvotaCore

/// The sections of the main menu. Which ones a user sees follows from the one access policy: a section appears when
/// its records are listable by the user's role. Later issues add their sections here.
enum NavSection: CaseIterable, Sendable {
    case myDay
    case leads
    case board
    case deals
    case accounts
    case contacts
    case activities
    case orders
    case products
    case orderDesk
    case team
    case plans
    case analytics
    case admin

    var label: UIKey {
        switch self {
        case .myDay: .navMyDay
        case .leads: .navLeads
        case .board: .navBoard
        case .deals: .navDeals
        case .accounts: .navAccounts
        case .contacts: .navContacts
        case .activities: .navActivities
        case .orders: .navOrders
        case .products: .navProducts
        case .orderDesk: .navOrderDesk
        case .team: .navTeam
        case .plans: .navPlans
        case .analytics: .navAnalytics
        case .admin: .navAdmin
        }
    }

    var url: SiteURL {
        switch self {
        case .myDay: .home
        case .leads: .leads(status: nil, cursor: nil)
        case .board: .board(pipeline: nil, owner: nil, team: nil)
        case .deals: RecordListName.deals.url
        case .accounts: RecordListName.accounts.url
        case .contacts: RecordListName.contacts.url
        case .activities: RecordListName.activities.url
        case .orders: RecordListName.orders.url
        case .products: RecordListName.products.url
        case .orderDesk: .orderDesk
        case .team: .team(id: nil)
        case .plans: .plans(period: nil)
        case .analytics: .analytics
        case .admin: .admin
        }
    }

    /// The letter after "g" that opens the section from the keyboard (kvota.js).
    var shortcut: String {
        switch self {
        case .myDay: "h"
        case .leads: "l"
        case .board: "b"
        case .deals: "d"
        case .accounts: "a"
        case .contacts: "c"
        case .activities: "i"
        case .orders: "r"
        case .products: "p"
        case .orderDesk: "o"
        case .team: "t"
        case .plans: "f"
        case .analytics: "n"
        case .admin: "s"
        }
    }

    func isVisible(to actor: Actor) -> Bool {
        switch self {
        case .myDay: true
        case .leads: AccessPolicy.scope(actor, .list, .lead) != .nothing
        case .board: AccessPolicy.scope(actor, .list, .deal) != .nothing
        case .deals: AccessPolicy.scope(actor, .list, .deal) != .nothing
        case .accounts: AccessPolicy.scope(actor, .list, .account) != .nothing
        case .contacts: AccessPolicy.scope(actor, .list, .contact) != .nothing
        case .activities: AccessPolicy.scope(actor, .list, .activity) != .nothing
        case .orders: AccessPolicy.scope(actor, .list, .order) != .nothing
        case .products: AccessPolicy.scope(actor, .list, .product) != .nothing
        // The desk is for those who may change orders: the order desk itself, directors and admins.
        case .orderDesk: AccessPolicy.scope(actor, .update, .order) != .nothing
        // Heads run a team; directors and admins look at any.
        case .team: [.head, .director, .admin].contains(actor.role)
        // Plans and pay: whoever may see some plan (everyone but the order desk).
        case .plans: AccessPolicy.scope(actor, .list, .plan) != .nothing
        // Analytics read orders; whoever sees some sees their own numbers (a rep's, a head's team's).
        case .analytics: AccessPolicy.scope(actor, .list, .order) != .nothing && actor.role != .orderDesk
        // Settings for whoever may change any of them (heads and directors keep the sales funnel's stages).
        case .admin: !AdminSection.visible(to: actor).isEmpty
        }
    }

    static func visible(to actor: Actor) -> [NavSection] {
        allCases.filter { $0.isVisible(to: actor) }
    }
}
