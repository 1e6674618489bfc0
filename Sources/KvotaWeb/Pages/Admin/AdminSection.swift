import KvotaCore

/// The parts of the settings area. Each is shown to whoever the access policy lets change its records, so the menu,
/// the index page and the routes agree.
enum AdminSection: CaseIterable, Sendable {
    case settings, users, teams

    var label: UIKey {
        switch self {
        case .settings: .adminSettings
        case .users: .adminUsers
        case .teams: .adminTeams
        }
    }

    var explain: UIKey {
        switch self {
        case .settings: .adminSettingsExplain
        case .users: .adminUsersExplain
        case .teams: .adminTeamsExplain
        }
    }

    var url: SiteURL {
        switch self {
        case .settings: .adminSettings
        case .users: .adminUsers
        case .teams: .adminTeams
        }
    }

    var kind: RecordKind {
        switch self {
        case .settings: .settings
        case .users: .user
        case .teams: .team
        }
    }

    func isVisible(to actor: Actor) -> Bool {
        AccessPolicy.scope(actor, .update, kind) != .nothing
    }

    static func visible(to actor: Actor) -> [AdminSection] {
        allCases.filter { $0.isVisible(to: actor) }
    }
}
