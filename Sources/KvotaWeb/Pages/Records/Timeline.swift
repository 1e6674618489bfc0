import Foundation
import KvotaCore
import Plot

/// One line of a record's timeline: an activity, a stage entered, a change from the audit trail.
struct TimelineEvent {
    let at: Date
    let title: String
    let detail: String?
    let by: String?
}

/// The timeline of a record page (deal, account, contact, lead, order), newest first, and how its lines are made
/// from the records every page has: activities and audit entries.
enum Timeline {
    static func section(_ events: [TimelineEvent], older: String? = nil, newest: String? = nil, _ t: Localizer) -> Node<HTML.BodyContext> {
        .section(
            .id("timeline"),
            .h2(.text(t(.dealTimeline))),
            .unwrap(newest) { .p(.a(.href($0), .text(t(.dealTimelineNewest)))) },
            events.isEmpty ? .p(.class("muted"), .text(t(.dealTimelineEmpty))) : .ol(.class("timeline"), .forEach(events) { event in
                .li(.element(named: "time", text: t.dateTime(event.at)),
                    .text(" "), .strong(.text(event.title)),
                    .unwrap(event.detail) { .span(.text(" · \($0)")) },
                    .unwrap(event.by) { .span(.class("muted"), .text(" · " + t(.dealBy, ["name": $0]))) })
            }),
            .unwrap(older) { .p(.a(.href($0), .text(t(.dealTimelineOlder)))) }
        )
    }

    /// An activity as a line: its kind and subject, and for a call its direction, outcome and length.
    static func event(_ activity: Activity, names: [User.ID: String], _ t: Localizer) -> TimelineEvent {
        var detail: String?
        if let call = activity.call {
            detail = [t(call.direction == .inbound ? .quickInbound : .quickOutbound),
                      t(call.disposition == .answered ? .quickAnswered : .quickMissed),
                      call.talkSeconds > 0 ? t.duration(call.talkSeconds) : nil].compactMap { $0 }.joined(separator: ", ")
        }
        return TimelineEvent(at: activity.occurredAt, title: "\(t(activity.kind.label)): \(activity.subject)", detail: detail,
                             by: names[activity.ownerID])
    }

    /// Audit lines as "created" and "changed: fields", leaving out the fields another line already tells.
    static func events(_ audit: [AuditEntry], names: [User.ID: String], skipping: Set<String> = [], _ t: Localizer) -> [TimelineEvent] {
        audit.compactMap { entry in
            let by = entry.actorID.flatMap { names[$0] }
            switch entry.action {
            case "create": return TimelineEvent(at: entry.at, title: t(.dealCreatedEvent), detail: nil, by: by)
            case "update":
                let fields = entry.changes.map(\.field).filter { !skipping.contains($0) }
                guard !fields.isEmpty else { return nil }
                return TimelineEvent(at: entry.at, title: t(.dealChanged, ["fields": fields.joined(separator: ", ")]), detail: nil, by: by)
            default: return nil
            }
        }
    }

    /// Tasks and meetings still to do, soonest first.
    static func open(_ activities: [Activity]) -> [Activity] {
        activities.filter { $0.doneAt == nil && ($0.kind == .task || $0.kind == .meeting) }
            .sorted { ($0.dueAt ?? .distantFuture) < ($1.dueAt ?? .distantFuture) }
    }
}
