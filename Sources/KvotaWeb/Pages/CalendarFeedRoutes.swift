import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// A user's tasks and meetings as an iCalendar feed at a secret address, for the calendar on their phone
/// (docs/calendar.md). Calendar apps fetch it without signing in, so the address is the only key: 256 random bits,
/// stored hashed, replaced at will, dead once its user is deactivated.
struct CalendarFeedRoutes {
    let database: Database
    let config: AppConfig

    /// How far back and ahead the feed reaches.
    static let daysBack = 30
    static let daysAhead = 365
    /// How long a task and a meeting stand on the calendar: Kvota keeps when they are due, not how long they take.
    static let taskMinutes = 15
    static let meetingMinutes = 60

    func register(public router: Router<AppRequestContext>) {
        router.get(RouterPath(SiteURL.calendarFeed(secret: "").route)) { request, context -> Response in
            var secret = try context.parameters.require("secret")
            if secret.hasSuffix(".ics") { secret.removeLast(4) }
            guard let user = try await database.calendarFeedUser(hash: Secrets.hash(secret)) else {
                throw HTTPError(.notFound, message: "no calendar feed at this address")
            }
            let now = config.now()
            let items = try await database.calendarItems(
                of: user.id, from: now.addingTimeInterval(-Double(Self.daysBack) * 86_400),
                through: now.addingTimeInterval(Double(Self.daysAhead) * 86_400))
            let t = Localizer(user.language)
            let base = config.publicBase(for: request)
            let feed = ICalendar.feed(name: t(.calendarFeedName, ["name": user.name]), events: items.map { Self.event($0, t: t, base: base) },
                                      at: now)
            var headers = HTTPFields()
            headers[.contentType] = "text/calendar; charset=utf-8"
            // The address is the secret: nothing on the way may keep a copy for others.
            headers[.cacheControl] = "private, no-store"
            headers[.init("X-Robots-Tag")!] = "noindex"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(string: feed)))
        }
    }

    static func event(_ item: CalendarItem, t: Localizer, base: String) -> CalendarEvent {
        let activity = item.activity
        let isTask = activity.kind == .task
        // Marked done, or a meeting recorded after the fact (no due time).
        let held = activity.doneAt != nil || (!isTask && activity.dueAt == nil)
        let start = item.start
        let minutes = isTask ? taskMinutes : meetingMinutes
        let summary = t(isTask ? .calendarTask : .calendarMeeting, ["subject": activity.subject.isEmpty ? "—" : activity.subject])
        let about = [item.accountName, item.dealTitle].compactMap { $0 }
        let link = activity.dealID.map { SiteURL.deal(id: $0.rawValue).path } ?? activity.accountID.map { SiteURL.account(id: $0.rawValue).path }
        return CalendarEvent(uid: "activity-\(activity.id.rawValue)@kvota", start: start, end: start.addingTimeInterval(Double(minutes) * 60),
                             summary: held ? t(.calendarDone, ["summary": summary]) : summary,
                             description: about.isEmpty ? nil : about.joined(separator: " · "), url: link.map { base + $0 })
    }

    /// Makes the caller a new feed address, replacing the old; the address, to be shown this once.
    static func rotate(for context: SignedInContext, request: Request, database: Database, config: AppConfig) async throws -> String {
        let secret = Secrets.generate(prefix: "kvc_")
        try await database.rotateCalendarFeed(of: context.user.id, hash: Secrets.hash(secret), at: config.now(), address: context.address)
        return config.publicBase(for: request) + SiteURL.calendarFeed(secret: secret).path
    }
}
