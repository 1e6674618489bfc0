import KvotaCore

/// The record lists of the web UI by their API name. Each shows the API list of that name (`/deals` and
/// `/api/v1/deals`) with the same query parameters, so a filtered page, its CSV export and a saved view are one query.
enum RecordListName: String, CaseIterable, Sendable {
    case accounts, contacts, leads, deals, activities, orders, products

    /// The page's path: the API name, but for leads, whose `/leads` is the inbox.
    var path: String { self == .leads ? "leads/list" : rawValue }

    var kind: RecordKind {
        switch self {
        case .accounts: .account
        case .contacts: .contact
        case .leads: .lead
        case .deals: .deal
        case .activities: .activity
        case .orders: .order
        case .products: .product
        }
    }

    var section: NavSection {
        switch self {
        case .accounts: .accounts
        case .contacts: .contacts
        case .leads: .leads
        case .deals: .deals
        case .activities: .activities
        case .orders: .orders
        case .products: .products
        }
    }

    var url: SiteURL { .list(self, query: "") }
}

/// A list's query: name and value pairs in order, the empty ones dropped (a GET form sends every field).
enum ListQuery {
    static func encode(_ items: [(String, String)]) -> String {
        items.filter { !$0.1.isEmpty }.map { "\(SiteURL.queryValue($0.0))=\(SiteURL.queryValue($0.1))" }.joined(separator: "&")
    }

    /// The query without the parameters named (the page cursor, the format).
    static func without(_ names: Set<String>, _ items: [(String, String)]) -> [(String, String)] {
        items.filter { !names.contains($0.0) }
    }
}
