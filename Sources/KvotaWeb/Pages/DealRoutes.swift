import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The deal page, its quick actions (log a call, add a note, schedule a task or meeting) and marking a task done.
/// Every read goes through the store's access policy: a deal the user may not see is a 404, as in the API.
struct DealRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    struct QuickForm: Decodable {
        let form: String
        let subject: String?
        let direction: String?
        let outcome: String?
        let minutes: String?
        let kind: String?
        let due: String?
    }

    struct ReturnForm: Decodable {
        let `return`: String?
    }

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.deal(id: 0).route)) { request, context in
            let id = Deal.ID(try context.parameters.require("id", as: Int64.self))
            let page = try await pages.pageContext(request, context, section: .board)
            return page.response(try await dealPage(id, page: page, context: context).html())
        }
        signedIn.post(RouterPath(SiteURL.dealActivities(id: 0).route)) { request, context in
            try await addActivity(request, context)
        }
        signedIn.post(RouterPath(SiteURL.activityDone(id: 0).route)) { request, context in
            var request = request
            let id = Activity.ID(try context.parameters.require("id", as: Int64.self))
            let body = try await request.collectBody(upTo: 16 * 1024)
            let form = try? URLEncodedFormDecoder().decode(ReturnForm.self, from: String(buffer: body))
            var done = ActivityPatch()
            done.done = true
            _ = try await database.updateActivity(id, done, expectedVersion: nil, by: context.actor, at: config.now(), address: context.address)
            let back = SiteURL.local(form?.return) ?? SiteURL.home.path
            return Response.redirect(to: back, flash: .notice(.quickDone), secure: config.secureCookies)
        }
    }

    func dealPage(_ id: Deal.ID, page: PageContext, context: SignedInContext) async throws -> DealPage {
        let actor = context.actor
        let t = page.t
        let deal = try await database.deal(id, for: actor)
        let linked = try await database.names(accounts: [deal.accountID], contacts: Set([deal.contactID].compactMap { $0 }))
        let (_, stages) = try await database.pipeline(deal.pipelineID, for: actor)
        let names = try await database.userNames()
        let activities = try await database.activities(ActivityFilter(dealID: id), for: actor).items
        let history = try await database.stageHistory(of: id, for: actor)
        // The deal itself was read through the access policy above; its own audit lines come with it.
        let audit = try await database.auditEntries(AuditQuery(entity: "deal", entityID: id.rawValue))
        let stageNames = Dictionary(uniqueKeysWithValues: stages.map { ($0.id, $0.name) })

        var events: [DealPage.Event] = activities.map { activity in
            var detail: String?
            if let call = activity.call {
                detail = [t(call.direction == .inbound ? .quickInbound : .quickOutbound),
                          t(call.disposition == .answered ? .quickAnswered : .quickMissed),
                          call.talkSeconds > 0 ? t.duration(call.talkSeconds) : nil].compactMap { $0 }.joined(separator: ", ")
            }
            return DealPage.Event(at: activity.occurredAt, title: "\(t(activity.kind.label)): \(activity.subject)", detail: detail,
                                  by: names[activity.ownerID])
        }
        events += history.map { change in
            DealPage.Event(at: change.enteredAt, title: t(.dealEnteredStage, ["stage": stageNames[change.stageID] ?? "?"]), detail: nil,
                           by: change.userID.flatMap { names[$0] })
        }
        events += audit.compactMap { entry in
            let by = entry.actorID.flatMap { names[$0] }
            switch entry.action {
            case "create": return DealPage.Event(at: entry.at, title: t(.dealCreatedEvent), detail: nil, by: by)
            case "update":
                // Stage moves have their own line from the stage history.
                let fields = entry.changes.map(\.field).filter { $0 != "stage" && $0 != "status" && $0 != "closedAt" }
                guard !fields.isEmpty else { return nil }
                return DealPage.Event(at: entry.at, title: t(.dealChanged, ["fields": fields.joined(separator: ", ")]), detail: nil, by: by)
            default: return nil
            }
        }
        events.sort { $0.at > $1.at }
        let open = activities.filter { $0.doneAt == nil && ($0.kind == .task || $0.kind == .meeting) }
            .sorted { ($0.dueAt ?? .distantFuture) < ($1.dueAt ?? .distantFuture) }
        return DealPage(page: page, deal: deal, accountName: linked.accounts[deal.accountID] ?? "",
                        contactName: deal.contactID.flatMap { linked.contacts[$0] },
                        ownerName: names[deal.ownerID] ?? "", stages: stages, openTasks: open, timeline: events,
                        lossReasons: try await database.lossReasons(for: actor, appliesTo: .deal), now: config.now())
    }

    private func addActivity(_ request: Request, _ context: SignedInContext) async throws -> Response {
        var request = request
        let id = Deal.ID(try context.parameters.require("id", as: Int64.self))
        let body = try await request.collectBody(upTo: 64 * 1024)
        let page = try await pages.pageContext(request, context, section: .board)
        let t = page.t
        let deal = try await database.deal(id, for: context.actor)
        guard let form = try? URLEncodedFormDecoder().decode(QuickForm.self, from: String(buffer: body)),
              ["call", "note", "planned"].contains(form.form) else {
            throw HTTPError(.unprocessableContent, message: "form: expected call, note or planned")
        }
        let now = config.now()
        var patch = ActivityPatch()
        patch.dealID = .some(id)
        patch.accountID = .some(deal.accountID)
        patch.contactID = .some(deal.contactID)
        patch.subject = form.subject?.trimmingCharacters(in: .whitespacesAndNewlines)
        patch.occurredAt = now
        var errors: [String: String] = [:]
        switch form.form {
        case "call":
            patch.kind = .call
            patch.callDirection = form.direction == "inbound" ? .inbound : .outbound
            patch.callDisposition = form.outcome == "missed" ? .missed : .answered
            if let minutes = Int(form.minutes?.trimmingCharacters(in: .whitespaces) ?? "0"), minutes >= 0 {
                patch.talkSeconds = minutes * 60
            } else {
                errors["minutes"] = t(.quickMinutesInvalid)
            }
        case "note":
            patch.kind = .note
        default:
            patch.kind = form.kind == "meeting" ? .meeting : .task
            // datetime-local sends "2026-12-01T10:30", a wall-clock time in the company's zone.
            if let text = form.due, let due = Self.localDateTime(text, in: t.timeZone) { patch.dueAt = .some(due) } else {
                errors["due"] = t(.quickDueInvalid)
            }
        }
        if errors.isEmpty {
            do {
                _ = try await database.addActivity(patch, by: context.actor, at: now, address: context.address)
                return .redirect(to: SiteURL.deal(id: id.rawValue).path, flash: .notice(.quickSaved), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                errors = failure.formErrors(in: t.language, renaming: ["dueAt": "due", "talkSeconds": "minutes"], otherwise: "subject")
            }
        }
        var view = try await dealPage(id, page: page, context: context)
        view.quickForm = form.form
        view.quickErrors = errors
        return page.response(view.html(), status: .unprocessableContent)
    }

    static func localDateTime(_ text: String, in zone: TimeZone) -> Date? {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let day = try? LocalDate(iso: String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":").compactMap { Int($0) }
        guard clock.count >= 2, (0..<24).contains(clock[0]), (0..<60).contains(clock[1]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: clock[0], minute: clock[1]))
    }
}
