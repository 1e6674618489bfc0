import Foundation
import Testing
@testable import KvotaCore

/// The calendar feed's format (RFC 5545): what a phone's calendar must be able to read.
@Suite struct ICalendarTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func aFeedIsCRLFLinesWithEveryRequiredProperty() {
        let event = CalendarEvent(uid: "activity-7@kvota", start: start, end: start.addingTimeInterval(900), summary: "Task: Call back",
                                  description: "Acme AB", url: "https://crm.example.com/deals/3")
        let feed = ICalendar.feed(name: "Kvota — Rita", events: [event], at: start)
        #expect(feed.hasSuffix("END:VCALENDAR\r\n"))
        let lines = feed.components(separatedBy: "\r\n").dropLast()
        #expect(!lines.contains { $0.contains("\n") || $0.contains("\r") }, "CRLF only, never a bare line feed")
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.contains("VERSION:2.0") && lines.contains { $0.hasPrefix("PRODID:") })
        #expect(lines.contains("UID:activity-7@kvota") && lines.contains("DTSTAMP:20261118T110640Z"))
        #expect(lines.contains("DTSTART:20261118T110640Z") && lines.contains("DTEND:20261118T112140Z"))
        #expect(lines.contains("SUMMARY:Task: Call back") && lines.contains("DESCRIPTION:Acme AB"))
        #expect(lines.contains("URL:https://crm.example.com/deals/3"))
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1 && lines.filter { $0 == "END:VEVENT" }.count == 1)
    }

    @Test func textIsEscapedAndAnEndNeverBeforeTheStart() {
        #expect(ICalendar.text(#"a\b; c, d"# + "\nnext\r\nlast") == #"a\\b\; c\, d\nnext\nlast"#)
        let backwards = CalendarEvent(uid: "x", start: start, end: start.addingTimeInterval(-60), summary: "s")
        #expect(ICalendar.feed(name: "n", events: [backwards], at: start).contains("DTEND:20261118T110640Z"))
    }

    @Test func longLinesFoldAt75OctetsWithoutSplittingACharacter() {
        let line = "SUMMARY:" + String(repeating: "Встреча с клиентом ", count: 12)
        let folded = ICalendar.fold(line)
        let parts = folded.components(separatedBy: "\r\n")
        #expect(parts.count > 1)
        #expect(parts.allSatisfy { $0.utf8.count <= 75 })
        #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        // Unfolding (RFC 5545 3.1: drop each CRLF and the space after it) gives the line back, every character whole.
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
        #expect(ICalendar.fold("SUMMARY:short") == "SUMMARY:short")
    }
}
