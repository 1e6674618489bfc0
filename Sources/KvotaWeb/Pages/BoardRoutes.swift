import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The pipeline board and moving a deal on it.
struct BoardRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    struct MoveForm: Decodable {
        let stage: Int64
        let version: Int64?
        let `return`: String?
        let amount: String?
        let expectedClose: String?
        let contact: String?
        let lossReason: String?
    }

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.board(pipeline: nil, owner: nil, team: nil).route)) { request, context in
            try await showBoard(request, context)
        }
        signedIn.post(RouterPath(SiteURL.dealMove(id: 0).route)) { request, context in
            try await move(request, context)
        }
        signedIn.get(RouterPath(SiteURL.dealMove(id: 0).route)) { request, context in
            let id = Deal.ID(try context.parameters.require("id", as: Int64.self))
            let page = try await pages.pageContext(request, context, section: .board)
            let deal = try await database.deal(id, for: context.actor)
            let (_, stages) = try await database.pipeline(deal.pipelineID, for: context.actor)
            let back = SiteURL.local(request.uri.queryParameters["return"].map(String.init))
                ?? SiteURL.board(pipeline: nil, owner: nil, team: nil).path
            return page.response(MoveChoicePage(page: page, deal: deal, stages: stages, returnPath: back).html())
        }
    }

    private func showBoard(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let page = try await pages.pageContext(request, context, section: .board)
        func number(_ name: String) -> Int64? { request.uri.queryParameters[Substring(name)].flatMap { Int64(String($0)) } }
        let pipelines = try await database.pipelines(for: context.actor).map(\.0)
        guard let pipeline = pipelines.first(where: { $0.id.rawValue == number("pipeline") }) ?? pipelines.first(where: \.active) else {
            return page.response(Layout(page: page, title: page.t(.navBoard)).document(.group(
                .h1(.text(page.t(.navBoard))), .p(.text(page.t(.boardNoPipeline))))))
        }
        let filter = Board.Filter(ownerID: number("owner").map { User.ID($0) }, teamID: number("team").map { Team.ID($0) },
                                  byScore: request.uri.queryParameters["order"] == "score")
        let now = config.now()
        let today = LocalDate(now, in: page.t.timeZone)
        let monthStart = try LocalDate(year: today.year, month: today.month, day: 1).start(in: page.t.timeZone)
        let board = try await database.board(pipeline.id, filter: filter, closedSince: monthStart, for: context.actor)
        // A rep sees only their own deals, so there is nobody to narrow the board to.
        let narrows = context.user.role != .rep
        var choices = BoardPage.Choices(pipelines: pipelines.filter(\.active), owners: [], teams: [])
        if narrows {
            // Only the people and teams whose deals the viewer may list: a head narrowing to another team's rep would
            // see an empty board (and the company's thousand reps made every head's board a long list).
            let actor = context.actor
            choices.owners = try await database.users()
                .filter { $0.active && ($0.role == .rep || $0.role == .head) && AccessPolicy.allows(actor, .list, .deal, owner: $0.id) }
                .sorted { $0.name < $1.name }
            choices.teams = try await database.teams()
                .filter { $0.kind != .orderDesk && (actor.role != .head || actor.ledTeams.contains($0.id)) }
        }
        return page.response(BoardPage(page: page, board: board, filter: filter, choices: choices, now: now).html())
    }

    private func move(_ request: Request, _ context: SignedInContext) async throws -> Response {
        var request = request
        let id = Deal.ID(try context.parameters.require("id", as: Int64.self))
        let body = try await request.collectBody(upTo: 64 * 1024)
        guard let form = try? URLEncodedFormDecoder().decode(MoveForm.self, from: String(buffer: body)) else {
            throw HTTPError(.unprocessableContent, message: "stage: expected a stage id")
        }
        let back = SiteURL.local(form.return) ?? SiteURL.board(pipeline: nil, owner: nil, team: nil).path
        let page = try await pages.pageContext(request, context, section: .board)
        let t = page.t
        let deal = try await database.deal(id, for: context.actor)

        var patch = DealPatch()
        patch.stageID = Stage.ID(form.stage)
        var typed: [String: String] = [:]
        if let text = form.amount?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if let minor = ImportText.minorUnits(text, digits: deal.amount.currency.minorUnitDigits), minor >= 0 {
                patch.amountMinor = minor
            } else {
                typed["amount"] = t(.moveAmountInvalid)
            }
        }
        if let text = form.expectedClose?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if let day = try? LocalDate(iso: text) { patch.expectedClose = .some(day) } else { typed["expectedClose"] = t(.moveDateInvalid) }
        }
        if let text = form.contact, let contact = Int64(text) { patch.contactID = .some(Contact.ID(contact)) }
        if let reason = form.lossReason, !reason.isEmpty { patch.lossReason = .some(reason) }

        var errors = typed
        if errors.isEmpty {
            do {
                _ = try await database.updateDeal(id, patch, expectedVersion: form.version, by: context.actor, at: config.now(),
                                                  address: context.address)
                return .redirect(to: back, flash: .notice(.boardMoved), secure: config.secureCookies)
            } catch is VersionConflict {
                return .redirect(to: back, flash: Flash(kind: .error, key: .boardChangedElsewhere), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                errors = failure.formErrors(in: t.language, renaming: Self.formField, otherwise: "stage")
            }
        }
        let (_, stages) = try await database.pipeline(deal.pipelineID, for: context.actor)
        guard let stage = stages.first(where: { $0.id.rawValue == form.stage }) else {
            throw HTTPError(.unprocessableContent, message: "stage: no stage \(form.stage) in this deal's pipeline")
        }
        let contacts = errors["contact"] == nil ? [] : try await database.contacts(
            ContactFilter(accountID: deal.accountID, limit: PageSize.maximum), for: context.actor).items
        let reasons = errors["lossReason"] == nil ? [] : try await database.lossReasons(for: context.actor, appliesTo: .deal)
        let entered = MoveDealPage.Entered(amount: form.amount ?? "", expectedClose: form.expectedClose ?? "",
                                           contact: form.contact ?? "", lossReason: form.lossReason ?? "")
        return page.response(MoveDealPage(page: page, deal: deal, stage: stage, returnPath: back, errors: errors, entered: entered,
                                          contacts: contacts, lossReasons: reasons).html(), status: .unprocessableContent)
    }

    /// The API's field names of the stage rules, as the move form calls them.
    static let formField = ["amountMinor": "amount", "expectedClose": "expectedClose", "contactId": "contact",
                            "lossReason": "lossReason", "lines": "products"]
}
