import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import Plot

/// What a record page offers to do at once: the open tasks and meetings with "done", and the three quick forms
/// (log a call, add a note, schedule a task or meeting), each posting to the record's activities path.
struct QuickActions {
    let page: PageContext
    /// Where the forms post (`/deals/ID/activities`, `/contacts/ID/activities`, …).
    let action: SiteURL
    /// The page to come back to after "done".
    let returnPath: String
    let openTasks: [Activity]
    let now: Date
    /// The quick form last posted and its problems by field.
    var form: String?
    var errors: [String: String] = [:]

    func openTasksSection() -> Node<HTML.BodyContext> {
        let t = page.t
        return .section(
            .h2(.text(t(.dealOpenTasks))),
            openTasks.isEmpty ? .p(.class("muted"), .text(t(.dealNoOpenTasks))) : .ul(.class("tasks"), .forEach(openTasks) { task in
                .li(.text("\(t(task.kind.label)): \(task.subject)"),
                    .unwrap(task.dueAt) { due in .span(.class(due < now ? "late" : "muted"), .text(" · \(t.dateTime(due))")) },
                    .form(.class("inline"), .method(.post), .action(SiteURL.activityDone(id: task.id.rawValue).path),
                          csrfField(page.csrfToken), .input(.type(.hidden), .name("return"), .value(returnPath)),
                          .text(" "), .button(.type(.submit), .class("quiet"), .text(t(.dealMarkDone)))))
            })
        )
    }

    func formsSection() -> Node<HTML.BodyContext> {
        let t = page.t
        return .section(
            .class("quick"),
            quickForm("call", title: t(.quickLogCall), fields: .group(
                field(t(.quickSubject), name: "subject", id: "call-subject", type: .text, error: error("subject", in: "call")),
                selectField(t(.quickDirection), name: "direction", options: [("outbound", t(.quickOutbound)), ("inbound", t(.quickInbound))],
                            selected: "outbound"),
                selectField(t(.quickOutcome), name: "outcome", options: [("answered", t(.quickAnswered)), ("missed", t(.quickMissed))],
                            selected: "answered"),
                field(t(.quickMinutes), name: "minutes", type: .number, value: "0", error: error("minutes", in: "call"), required: false)
            )),
            quickForm("note", title: t(.quickAddNote), fields: .group(
                .label(.for("note-subject"), .text(t(.quickNote))),
                .textarea(.id("note-subject"), .name("subject"), .attribute(named: "rows", value: "3"), .required(true)),
                .unwrap(error("subject", in: "note")) { .p(.class("error"), .text($0)) }
            )),
            quickForm("planned", title: t(.quickSchedule), fields: .group(
                selectField(t(.quickKind), name: "kind", options: [("task", t(.activityTask)), ("meeting", t(.activityMeeting))],
                            selected: "task"),
                field(t(.quickSubject), name: "subject", id: "planned-subject", type: .text, error: error("subject", in: "planned")),
                field(t(.quickDue), name: "due", type: .datetimeLocal, error: error("due", in: "planned"))
            ))
        )
    }

    /// The reason for `field` when `name` was the form posted.
    private func error(_ field: String, in name: String) -> String? {
        form == name ? errors[field] : nil
    }

    private func quickForm(_ name: String, title: String, fields: Node<HTML.FormContext>) -> Node<HTML.BodyContext> {
        .element(named: "details", nodes: [
            form == name ? .attribute(named: "open") : .empty,
            .element(named: "summary", text: title),
            .form(.class("stack"), .method(.post), .action(action.path),
                  csrfField(page.csrfToken), .input(.type(.hidden), .name("form"), .value(name)),
                  fields, .div(.class("actions"), .button(.type(.submit), .text(page.t(.quickSave))))),
        ])
    }
}

/// A posted quick form read into an activity: which form, and the field problems a page shows at their fields.
struct QuickActivityForm: Decodable {
    let form: String
    let subject: String?
    let direction: String?
    let outcome: String?
    let minutes: String?
    let kind: String?
    let due: String?

    /// The activity the form describes, linked by `link` to its record; problems are by form field.
    func patch(_ t: Localizer, at now: Date, link: (inout ActivityPatch) -> Void) -> (ActivityPatch, [String: String]) {
        var patch = ActivityPatch()
        link(&patch)
        patch.subject = subject?.trimmingCharacters(in: .whitespacesAndNewlines)
        patch.occurredAt = now
        var errors: [String: String] = [:]
        switch form {
        case "call":
            patch.kind = .call
            patch.callDirection = direction == "inbound" ? .inbound : .outbound
            patch.callDisposition = outcome == "missed" ? .missed : .answered
            if let minutes = Int(minutes?.trimmingCharacters(in: .whitespaces) ?? "0"), minutes >= 0 {
                patch.talkSeconds = minutes * 60
            } else {
                errors["minutes"] = t(.quickMinutesInvalid)
            }
        case "note":
            patch.kind = .note
        default:
            patch.kind = kind == "meeting" ? .meeting : .task
            // datetime-local sends "2026-12-01T10:30", a wall-clock time in the company's zone.
            if let text = due, let due = Self.localDateTime(text, in: t.timeZone) { patch.dueAt = .some(due) } else {
                errors["due"] = t(.quickDueInvalid)
            }
        }
        return (patch, errors)
    }

    /// The store's problems under the form's own field names.
    static func formErrors(_ failure: ValidationFailure, _ t: Localizer) -> [String: String] {
        failure.formErrors(in: t.language, renaming: ["dueAt": "due", "talkSeconds": "minutes"], otherwise: "subject")
    }

    /// Reads the form or refuses a post that is not one of the three.
    static func read(_ body: String) throws -> QuickActivityForm {
        guard let form = try? URLEncodedFormDecoder().decode(QuickActivityForm.self, from: body),
              ["call", "note", "planned"].contains(form.form) else {
            throw HTTPError(.unprocessableContent, message: "form: expected call, note or planned")
        }
        return form
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

/// A quick form posted to a record's activities path: the activity is added and the page comes back with a notice,
/// or the page is drawn again with the form open and its problems at their fields.
struct QuickActivityPost {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    /// `link` ties the activity to its record (read through the access policy by the caller first); `page` draws the
    /// record page again with the form and its problems.
    func handle(_ request: Request, _ context: SignedInContext, section: NavSection, back: String,
                link: (inout ActivityPatch) -> Void,
                page draw: (PageContext, String, [String: String]) async throws -> HTML) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let page = try await pages.pageContext(request, context, section: section)
        let form = try QuickActivityForm.read(String(buffer: body))
        let now = config.now()
        let (patch, problems) = form.patch(page.t, at: now, link: link)
        var errors = problems
        if errors.isEmpty {
            do {
                _ = try await database.addActivity(patch, by: context.actor, at: now, address: context.address)
                return .redirect(to: back, flash: .notice(.quickSaved), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                errors = QuickActivityForm.formErrors(failure, page.t)
            }
        }
        return page.response(try await draw(page, form.form, errors), status: .unprocessableContent)
    }
}
