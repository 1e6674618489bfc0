import KvotaCore
import KvotaStore
import Plot

/// What one kind's list page is made of: the API list it shows (its filters and its read, so the page and the API
/// answer a query alike), the names it needs beside its records, its filter controls, columns and cells.
struct ListScreen<Record: Sendable, DTO: Encodable & Sendable, Filter: PagedFilter>: Sendable {
    let list: RecordListName
    let api: RecordRoutes<Record, DTO, Filter>
    var needs: Set<ListLookups.Part> = []
    /// The accounts and deals a record links to, named in its cells.
    var linked: @Sendable (Record) -> (accounts: [Account.ID], deals: [Deal.ID]) = { _ in ([], []) }
    let controls: @Sendable (ListLookups, PageContext) -> [RecordListPage.Control]
    let columns: @Sendable (Localizer) -> [RecordListPage.Column]
    let cells: @Sendable (Record, ListLookups, Localizer) -> [Node<HTML.BodyContext>]
    /// The link to a new record, for those who may create one.
    var create: (@Sendable (Actor, Localizer) -> (label: String, url: SiteURL)?)? = nil
}

/// The names a list shows instead of ids, read once per page.
struct ListLookups: Sendable {
    enum Part: Sendable { case pipelines, regions, channels, categories, leadSources, teams }

    var users: [User.ID: String] = [:]
    var accounts: [Account.ID: String] = [:]
    var deals: [Deal.ID: String] = [:]
    var pipelines: [(Pipeline, [Stage])] = []
    var stages: [Stage.ID: String] = [:]
    var regions: [Region] = []
    var channels: [Channel] = []
    var categories: [ProductCategory] = []
    var leadSources: [OwnLeadSource] = []
    var teams: [Team] = []

    /// The owners a filter may offer: none for someone who sees only their own records, a head's team, or everyone.
    func ownerOptions(_ actor: Actor, _ kind: RecordKind) -> [(value: String, label: String)]? {
        let all = users.sorted { $0.value.localizedCaseInsensitiveCompare($1.value) == .orderedAscending }
        switch AccessPolicy.scope(actor, .list, kind) {
        case .nothing: return nil
        case .all: return all.map { (String($0.key.rawValue), $0.value) }
        case .ownedBy(let owners), .concerning(_, let owners):
            guard owners.count > 1 else { return nil }
            return all.filter { owners.contains($0.key) }.map { (String($0.key.rawValue), $0.value) }
        }
    }

    /// `name` when the link's target is known, else nothing.
    func account(_ id: Account.ID?) -> Node<HTML.BodyContext> {
        guard let id else { return .empty }
        return .a(.href(SiteURL.account(id: id.rawValue).path), .text(accounts[id] ?? "#\(id.rawValue)"))
    }

    func deal(_ id: Deal.ID?) -> Node<HTML.BodyContext> {
        guard let id else { return .empty }
        return .a(.href(SiteURL.deal(id: id.rawValue).path), .text(deals[id] ?? "#\(id.rawValue)"))
    }

    func user(_ id: User.ID?) -> Node<HTML.BodyContext> {
        .text(id.flatMap { users[$0] } ?? "")
    }
}
