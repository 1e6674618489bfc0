import KvotaCore

/// The sections of the main menu. Which ones a user sees follows from the one access policy: a section appears when
/// its records are listable by the user's role. Later issues add their sections here.
enum NavSection: CaseIterable, Sendable {
    case myDay

    var label: UIKey {
        switch self {
        case .myDay: .navMyDay
        }
    }

    var url: SiteURL {
        switch self {
        case .myDay: .home
        }
    }

    /// The letter after "g" that opens the section from the keyboard (kvota.js).
    var shortcut: String {
        switch self {
        case .myDay: "h"
        }
    }

    func isVisible(to actor: Actor) -> Bool {
        switch self {
        case .myDay: true
        }
    }

    static func visible(to actor: Actor) -> [NavSection] {
        allCases.filter { $0.isVisible(to: actor) }
    }
}
