import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import Plot

/// A record page shows its timeline a window at a time, newest first. Each source (activities, stage changes, audit
/// lines) is read only up to `perSource` lines older than the window's start, so a deal moved back and forth a
/// thousand times costs its page what any other deal does; the page links to the next, older window.
struct TimelineWindow {
    /// The most lines one source gives a window.
    static let perSource = 50

    /// What one source gave a window: its lines (an audit line may make none), the oldest moment it read, and
    /// whether it gave all it was asked for, so that older lines of it may remain unread.
    struct Source {
        let events: [TimelineEvent]
        let oldest: Date?
        let full: Bool

        init(events: [TimelineEvent], read moments: [Date], limit: Int = TimelineWindow.perSource) {
            self.events = events
            self.oldest = moments.min()
            self.full = moments.count >= limit
        }
    }

    /// Where this window starts (exclusive); nil for the newest.
    let start: Date?
    /// The lines shown, newest first.
    let events: [TimelineEvent]
    /// Where the next, older window starts (exclusive); nil when this one reaches the record's first line.
    let older: Date?

    init(_ sources: [Source], start: Date?) {
        self.start = start
        let read = sources.flatMap(\.events).sorted { $0.at > $1.at }
        // Below the newest of the full sources' oldest moments one of them may hold lines not read, and another
        // source's lines there would show out of order: the window ends at that horizon.
        guard let horizon = sources.filter(\.full).compactMap(\.oldest).max() else {
            events = read
            older = nil
            return
        }
        let complete = read.filter { $0.at > horizon }
        if complete.isEmpty {
            // A source's whole window fell on one millisecond: show that millisecond and go on below it (any further
            // lines of it in that source are passed over, which a person cannot make happen by hand).
            events = read.filter { $0.at >= horizon }
            older = horizon
        } else {
            events = complete
            older = Date(epochMilliseconds: horizon.epochMilliseconds + 1)
        }
    }

    /// The window a page's `before` asks for: milliseconds since 1970, as the link to older lines gives it.
    static func before(_ request: Request) throws -> Date? {
        guard let text = request.uri.queryParameters["before"].map(String.init), !text.isEmpty else { return nil }
        guard let milliseconds = Int64(text), milliseconds > 0 else {
            throw HTTPError(.badRequest, message: "before: expected milliseconds since 1970, as the timeline's link to older lines gives")
        }
        return Date(epochMilliseconds: milliseconds)
    }

    /// The timeline's section on the page at `path`, with links to the older window and back to the newest.
    func section(path: String, _ t: Localizer) -> Node<HTML.BodyContext> {
        Timeline.section(events, older: older.map { "\(path)?before=\($0.epochMilliseconds)#timeline" },
                         newest: start == nil ? nil : "\(path)#timeline", t)
    }
}

/// What every record page with a timeline reads: a window of the record's activities and audit lines (and what else
/// the page adds, such as a deal's stage changes), and the tasks and meetings still open on it, however long ago
/// they were planned.
struct RecordTimeline {
    let window: TimelineWindow
    let openTasks: [Activity]

    static func read(_ database: Database, for actor: Actor, activities: ActivityFilter, audit entity: String, id: Int64,
                     before: Date?, names: [User.ID: String], skipping: Set<String> = [], more: [TimelineWindow.Source] = [],
                     _ t: Localizer) async throws -> RecordTimeline {
        var latest = activities
        latest.limit = TimelineWindow.perSource
        latest.occurredBefore = before
        let read = try await database.activities(latest, for: actor).items
        let audit = try await database.auditEntries(AuditQuery(entity: entity, entityID: id, to: before, limit: TimelineWindow.perSource))
        var open = activities
        open.done = false
        open.limit = PageSize.maximum
        let window = TimelineWindow([
            .init(events: read.map { Timeline.event($0, names: names, t) }, read: read.map(\.occurredAt)),
            .init(events: Timeline.events(audit, names: names, skipping: skipping, t), read: audit.map(\.at)),
        ] + more, start: before)
        return RecordTimeline(window: window, openTasks: Timeline.open(try await database.activities(open, for: actor).items))
    }
}
