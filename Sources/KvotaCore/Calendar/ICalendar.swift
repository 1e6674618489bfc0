import Foundation

/// One entry of a calendar feed: a task at its due time or a meeting.
public struct CalendarEvent: Hashable, Sendable {
    /// Stable across fetches and rotations, so a calendar app updates the entry instead of adding another.
    public var uid: String
    public var start: Date
    public var end: Date
    public var summary: String
    public var description: String?
    public var url: String?

    public init(uid: String, start: Date, end: Date, summary: String, description: String? = nil, url: String? = nil) {
        self.uid = uid; self.start = start; self.end = end; self.summary = summary; self.description = description; self.url = url
    }
}

/// An iCalendar feed (RFC 5545) that a phone's or desktop's calendar subscribes to. Written here: no package on the
/// list writes iCalendar, and a published feed of timed events needs a small part of it (docs/calendar.md): text
/// escaping, lines folded at 75 octets, CRLF line ends and UTC times.
public enum ICalendar {
    /// The whole feed. `now` stamps every event (DTSTAMP: when this copy was made); calendar apps are asked to come
    /// back every 15 minutes.
    public static func feed(name: String, events: [CalendarEvent], at now: Date) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kvota//Kvota calendar feed//EN", "CALSCALE:GREGORIAN",
                     "METHOD:PUBLISH", "X-WR-CALNAME:" + text(name), "REFRESH-INTERVAL;VALUE=DURATION:PT15M", "X-PUBLISHED-TTL:PT15M"]
        for event in events {
            lines += ["BEGIN:VEVENT", "UID:" + text(event.uid), "DTSTAMP:" + time(now), "DTSTART:" + time(event.start),
                      "DTEND:" + time(max(event.end, event.start)), "SUMMARY:" + text(event.summary)]
            if let description = event.description { lines.append("DESCRIPTION:" + text(description)) }
            // URI values are not escaped as text (RFC 5545 3.3.13).
            if let url = event.url { lines.append("URL:" + url) }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A TEXT value: backslash, semicolon and comma escaped, line breaks as `\n` (RFC 5545 3.3.11).
    static func text(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r\n", "\n", "\r": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// A line longer than 75 octets broken into a first line and continuation lines that start with a space, never
    /// inside a character's UTF-8 bytes (RFC 5545 3.1).
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var out = "", octets = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if octets + size > 75 {
                out += "\r\n "
                octets = 1
            }
            out.unicodeScalars.append(scalar)
            octets += size
        }
        return out
    }

    /// A UTC date-time, `20261204T093000Z`.
    static func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}

/// A task or meeting on its owner's calendar feed, with the names of what it concerns.
public struct CalendarItem: Hashable, Sendable {
    public var activity: Activity
    public var accountName: String?
    public var dealTitle: String?

    public init(activity: Activity, accountName: String?, dealTitle: String?) {
        self.activity = activity; self.accountName = accountName; self.dealTitle = dealTitle
    }

    /// When it stands on the calendar: a task or planned meeting at its due time, a meeting held without one when it
    /// happened.
    public var start: Date { activity.dueAt ?? activity.occurredAt }
}
