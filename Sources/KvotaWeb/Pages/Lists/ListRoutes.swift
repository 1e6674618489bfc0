import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// Serves every record list page and its saved views: `GET /deals?…`, `POST /deals/views`,
/// `POST /deals/views/ID/delete`, and the same for each list.
struct ListRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    struct ViewForm: Decodable {
        let name: String?
        let query: String?
    }

    func register<Record, DTO, Filter>(_ screen: ListScreen<Record, DTO, Filter>, on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(screen.list.url.route)) { request, context in
            let page = try await pages.pageContext(request, context, section: screen.list.section)
            let parameters = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
            return page.response(try await view(screen, parameters: parameters, page: page, actor: context.actor).html())
        }
        signedIn.post(RouterPath(SiteURL.savedViews(screen.list).route)) { request, context in
            try await saveView(screen, request, context)
        }
        signedIn.post(RouterPath(SiteURL.savedViewDelete(screen.list, id: 0).route)) { request, context in
            let id = SavedView.ID(try context.parameters.require("id", as: Int64.self))
            try await database.deleteSavedView(id, by: context.actor)
            return Response.redirect(to: screen.list.url.path, flash: .notice(.listViewDeleted), secure: config.secureCookies)
        }
    }

    /// The page for a query: the API's own filter reading, then one page of records and the names they need.
    func view<Record, DTO, Filter>(_ screen: ListScreen<Record, DTO, Filter>, parameters given: [(String, String)], page: PageContext,
                                   actor: Actor) async throws -> RecordListPage {
        let given = given.filter { !$0.1.isEmpty && $0.0 != "format" }
        let parameters = Parameters(given.map { (Substring($0.0), Substring($0.1)) })
        var errors = ValidationFailure.Collector()
        var filter = screen.api.filter(parameters, &errors)
        if let custom = screen.api.customFields { custom.filter(&filter, ListParameters.customConditions(parameters)) }
        filter.sort = parameters["sort"].flatMap { ListSort(String($0)) }
        filter.cursor = parameters["cursor"].map(String.init)
        filter.limit = PageSize.standard
        var problems = errors.errors.isEmpty ? [:] : ValidationFailure(errors.errors).formErrors(in: page.t.language)
        var result = RecordPage<Record>(items: [], next: nil)
        if problems.isEmpty {
            do {
                result = try await screen.api.list(filter, actor, .list)
            } catch let failure as ValidationFailure {
                problems = failure.formErrors(in: page.t.language)
            }
        }
        let lookups = try await lookups(screen, for: result.items, actor: actor)
        let standard = Database.listSorts(screen.list.kind)!.standard
        var view = RecordListPage(page: page, list: screen.list, controls: screen.controls(lookups, page), query: ListQuery.without(["cursor"], given),
                            sort: problems["sort"] == nil ? filter.sort ?? standard : standard, columns: screen.columns(page.t),
                            rows: result.items.map { screen.cells($0, lookups, page.t) }, next: result.next,
                            views: try await database.savedViews(of: screen.list.kind, for: actor))
        view.errors = problems
        view.create = screen.create?(actor, page.t)
        view.canExport = AccessPolicy.scope(actor, .export, screen.list.kind) != .nothing
        return view
    }

    private func lookups<Record, DTO, Filter>(_ screen: ListScreen<Record, DTO, Filter>, for items: [Record],
                                              actor: Actor) async throws -> ListLookups {
        var lookups = ListLookups()
        lookups.users = try await database.userNames()
        let linked = items.map(screen.linked)
        let accounts = Set(linked.flatMap(\.accounts)), deals = Set(linked.flatMap(\.deals))
        if !accounts.isEmpty { lookups.accounts = try await database.names(accounts: accounts).accounts }
        if !deals.isEmpty { lookups.deals = try await database.dealTitles(deals) }
        if screen.needs.contains(.pipelines) {
            lookups.pipelines = try await database.pipelines(for: actor)
            lookups.stages = Dictionary(uniqueKeysWithValues: lookups.pipelines.flatMap(\.1).map { ($0.id, $0.name) })
        }
        if screen.needs.contains(.regions) { lookups.regions = try await database.regions() }
        if screen.needs.contains(.channels) { lookups.channels = try await database.channels() }
        if screen.needs.contains(.categories) { lookups.categories = try await database.productCategories() }
        if screen.needs.contains(.teams) { lookups.teams = try await database.teams() }
        if screen.needs.contains(.leadSources) { lookups.leadSources = try await database.leadSources(for: actor) }
        return lookups
    }

    private func saveView<Record, DTO, Filter>(_ screen: ListScreen<Record, DTO, Filter>, _ request: Request,
                                               _ context: SignedInContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let form = (try? URLEncodedFormDecoder().decode(ViewForm.self, from: String(buffer: body))) ?? ViewForm(name: nil, query: nil)
        // The query is kept as the list would write it: decoded, the cursor and empty fields dropped, encoded again.
        let items = FormPairs.parse(form.query ?? "")
        let query = ListQuery.encode(ListQuery.without(["cursor", "format"], items))
        do {
            _ = try await database.saveView(of: screen.list.kind, name: form.name, query: query, by: context.actor, at: config.now())
            return Response.redirect(to: SiteURL.list(screen.list, query: query).path, flash: .notice(.listViewSaved),
                                     secure: config.secureCookies)
        } catch let failure as ValidationFailure {
            let page = try await pages.pageContext(request, context, section: screen.list.section)
            var view = try await view(screen, parameters: items, page: page, actor: context.actor)
            let problems = failure.formErrors(in: page.t.language, otherwise: "name")
            view.viewName = form.name ?? ""
            view.viewError = problems["name"]
            return page.response(view.html(), status: .unprocessableContent)
        }
    }
}
