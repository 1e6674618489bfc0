import Foundation

/// Every page URL in one place, used both to register routes and to build links, so no string URL can drift
/// (STYLE.md "Shape"). API paths live with their routes under /api/v1.
enum SiteURL: Equatable {
    case home
    case signIn(next: String?)
    case signOut
    case password

    /// The path a route is registered under.
    var route: String {
        switch self {
        case .home: "/"
        case .signIn: "/sign-in"
        case .signOut: "/sign-out"
        case .password: "/account/password"
        }
    }

    /// The link, with its query.
    var path: String {
        switch self {
        case .signIn(let next?) where Self.isLocal(next) && next != route:
            route + "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "/")
        default: route
        }
    }

    /// Only paths on this server are followed after signing in, so a crafted link cannot send a user elsewhere.
    static func isLocal(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.contains("\\")
    }
}

extension CharacterSet {
    static let urlQueryValueAllowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))
}
