import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The SWOT pages: the boards, one board with its items, adding an item, making a task of one, deleting one. Who
/// keeps and reads which board is the store's (`.swot`); a form that fails comes back with each field's reason.
struct SwotRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.swot.route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .plans)
            let today = LocalDate(config.now(), in: try await database.companyTimeZone())
            return page.response(try await list(page, context, entered: ["period": Period(.quarter, containing: today).label], errors: [:]).html())
        }
        signedIn.post(RouterPath(SiteURL.swot.route)) { request, context in
            let form = try await PlanRoutes.form(request)
            var problems = ValidationFailure.Collector()
            let scope = SwotAPI.scope(form["scope"], into: &problems), period = SwotAPI.period(form["period"], into: &problems)
            do {
                let board = try await database.addSwotBoard(scope: scope, period: period, title: form["title"], problems: problems, by: context.actor,
                                                            at: config.now(), address: context.address)
                return Response.redirect(to: SiteURL.swotBoard(id: board.id.rawValue).path, flash: .notice(.swotSavedNotice), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                let page = try await pages.pageContext(request, context, section: .plans)
                return page.response(try await list(page, context, entered: form, errors: failure.formErrors(in: page.t.language)).html(),
                                     status: .unprocessableContent)
            }
        }
        signedIn.get(RouterPath(SiteURL.swotBoard(id: 0).route)) { request, context in
            let id = SwotBoard.ID(try context.parameters.require("id", as: Int64.self))
            let page = try await pages.pageContext(request, context, section: .plans)
            return page.response(try await board(id, page, context, entered: [:], errors: [:]).html())
        }
        signedIn.post(RouterPath(SiteURL.swotBoard(id: 0).route)) { request, context in
            let id = SwotBoard.ID(try context.parameters.require("id", as: Int64.self))
            let form = try await PlanRoutes.form(request)
            var problems = ValidationFailure.Collector()
            let quadrant = decodeKey(form["quadrant"], as: SwotBoard.Quadrant.self, field: "quadrant", into: &problems)
            let impact = form["impact"].flatMap { Int($0) }
            let owner = form["ownerId"].flatMap { Int64($0) }.map { User.ID($0) }
            do {
                _ = try await database.addSwotItem(to: id, quadrant: quadrant, text: form["text"] ?? "", impact: impact, owner: owner, problems: problems,
                                                   by: context.actor, at: config.now(), address: context.address)
                return Response.redirect(to: SiteURL.swotBoard(id: id.rawValue).path, flash: .notice(.swotSavedNotice), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                let page = try await pages.pageContext(request, context, section: .plans)
                return page.response(try await board(id, page, context, entered: form, errors: failure.formErrors(in: page.t.language)).html(),
                                     status: .unprocessableContent)
            }
        }
        signedIn.post(RouterPath(SiteURL.swotItemTask(id: 0).route)) { _, context in
            let id = SwotBoard.Item.ID(try context.parameters.require("id", as: Int64.self))
            let board = try await boardOf(id)
            _ = try await database.spawnSwotTask(from: id, owner: nil, subject: nil, due: nil, by: context.actor, at: config.now(),
                                                 address: context.address)
            return Response.redirect(to: SiteURL.swotBoard(id: board).path, flash: .notice(.swotTaskNotice), secure: config.secureCookies)
        }
        signedIn.post(RouterPath(SiteURL.swotItemDelete(id: 0).route)) { _, context in
            let id = SwotBoard.Item.ID(try context.parameters.require("id", as: Int64.self))
            let board = try await boardOf(id)
            try await database.deleteSwotItem(id, by: context.actor, at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.swotBoard(id: board).path, flash: .notice(.swotSavedNotice), secure: config.secureCookies)
        }
    }

    /// The board an item is on, to go back to (the store checks access on the change itself).
    private func boardOf(_ item: SwotBoard.Item.ID) async throws -> Int64 {
        guard let board = try await database.swotBoardID(of: item) else { throw AccessDenied.notFound(.swot, id: item.rawValue) }
        return board.rawValue
    }

    private func words(_ page: PageContext) async throws -> SwotWords {
        SwotWords(figures: try await PlansRoutes.figures(page, currency: try await database.companySettings().baseCurrency, database: database),
                  categories: Dictionary(uniqueKeysWithValues: try await database.productCategories().map { ($0.id.rawValue, $0.name) }))
    }

    private func list(_ page: PageContext, _ context: SignedInContext, entered: [String: String], errors: [String: String]) async throws -> SwotListPage {
        let boards = try await database.swotBoards(for: context.actor)
        let keep = AccessPolicy.scope(context.actor, .create, .swot)
        var scopes: [(String, String)] = []
        if keep.allows(PlanSubject.company) {
            scopes.append(("company", page.t(.swotCompany)))
            scopes += try await database.productCategories().map { ("category:\($0.id)", $0.name) }
        }
        scopes += try await database.teams().filter { keep.allows(PlanSubject.team($0.id)) }.map { ("team:\($0.id)", $0.name) }
        return SwotListPage(page: page, boards: boards, words: try await words(page), scopes: scopes, entered: entered, errors: errors)
    }

    private func board(_ id: SwotBoard.ID, _ page: PageContext, _ context: SignedInContext, entered: [String: String],
                       errors: [String: String]) async throws -> SwotBoardPage {
        let (board, previous) = try await database.swotBoard(id, for: context.actor)
        let people = try await database.users().filter(\.active).map { ("\($0.id)", $0.name) }
        return SwotBoardPage(page: page, board: board, previous: previous, words: try await words(page),
                             canKeep: AccessPolicy.scope(context.actor, .update, .swot).allows(board.scope.planSubject), people: people,
                             entered: entered, errors: errors)
    }
}
