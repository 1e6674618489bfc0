import Foundation
import Testing
@testable import KvotaCore

@Suite struct PeriodTests {
    let day = try! LocalDate(iso: "2026-11-22")

    @Test func eachGrainContainsTheDay() {
        let expected: [(PeriodGrain, String, String, String)] = [
            (.day, "2026-11-22", "2026-11-23", "2026-11-22"),
            (.week, "2026-11-16", "2026-11-23", "2026-W47"),
            (.month, "2026-11-01", "2026-12-01", "2026-11"),
            (.quarter, "2026-10-01", "2027-01-01", "2026-Q4"),
            (.halfYear, "2026-07-01", "2027-01-01", "2026-H2"),
            (.year, "2026-01-01", "2027-01-01", "2026"),
        ]
        for (grain, start, end, label) in expected {
            let period = Period(grain, containing: day)
            #expect(period.start.iso == start, "\(grain)")
            #expect(period.end.iso == end, "\(grain)")
            #expect(period.label == label, "\(grain)")
            #expect(period.contains(day) && !period.contains(period.end))
        }
    }

    @Test func isoWeeksBelongToTheYearOfTheirThursday() throws {
        // 2027-01-01 is a Friday: it belongs to 2026's last week, W53.
        let week = Period(.week, containing: try LocalDate(iso: "2027-01-01"))
        #expect(week.label == "2026-W53")
        #expect(week.start.iso == "2026-12-28")
        // 2024-12-30 is a Monday in 2025's first week.
        #expect(Period(.week, containing: try LocalDate(iso: "2024-12-30")).label == "2025-W01")
        #expect(Period.isoWeek(year: 2026, week: 1).start.iso == "2025-12-29")
    }

    @Test func navigationAndYearOnYear() throws {
        let month = Period(.month, containing: day)
        #expect(month.next.label == "2026-12")
        #expect(month.previous.label == "2026-10")
        #expect(month.yearEarlier.label == "2025-11")
        #expect(Period(.quarter, containing: day).previous.label == "2026-Q3")
        #expect(Period(.halfYear, containing: day).next.label == "2027-H1")
        #expect(Period(.week, containing: day).yearEarlier.label == "2025-W47")
        // 2026 has 53 weeks, 2025 has 52: W53's year-earlier week is 2025-W52.
        #expect(try Period(label: "2026-W53").yearEarlier.label == "2025-W52")
        #expect(Period(.month, containing: try LocalDate(iso: "2024-02-10")).dayCount == 29)
    }

    @Test func labelsParseBackToTheSamePeriod() throws {
        for grain in PeriodGrain.allCases {
            let period = Period(grain, containing: day)
            #expect(try Period(label: period.label) == period)
        }
        #expect(throws: ValueError.self) { try Period(label: "2026-Q5") }
        #expect(throws: ValueError.self) { try Period(label: "2025-W53") }  // 2025 has 52 ISO weeks
        #expect(throws: ValueError.self) { try Period(label: "next month") }
    }

    @Test func intervalsAreCutInTheCompanyZoneAcrossDaylightSaving() throws {
        let stockholm = TimeZone(identifier: "Europe/Stockholm")!
        let march = Period(.month, containing: try LocalDate(iso: "2026-03-15")).interval(in: stockholm)
        // Starts at 00:00 CET (UTC+1), ends at 00:00 CEST (UTC+2) on April 1st.
        #expect(march.start == Date(timeIntervalSince1970: 1_772_319_600))  // 2026-02-28T23:00:00Z
        #expect(march.end == Date(timeIntervalSince1970: 1_774_994_400))    // 2026-03-31T22:00:00Z
        #expect(march.duration == Double(31 * 86_400 - 3_600))
    }

    @Test func coveringListsConsecutivePeriods() throws {
        let months = Period.covering(from: try LocalDate(iso: "2025-11-15"), through: day, grain: .month)
        #expect(months.count == 13)
        #expect(months.first?.label == "2025-11")
        #expect(months.last?.label == "2026-11")
        #expect(zip(months, months.dropFirst()).allSatisfy { $0.next == $1 })
        #expect(Period.covering(from: day, through: try LocalDate(iso: "2026-01-01"), grain: .month).isEmpty)
    }

    /// Periods off the calendar (issue 7: "any start"): written as their first day and ISO 8601 length, with the
    /// period before, after and a year earlier of the same length; a calendar one keeps its short label.
    @Test func periodsOffTheCalendarHaveAStartAndALength() throws {
        let fiscal = try Period(label: "2026-04-01/P1Y")
        #expect(fiscal.grain == .year && fiscal.start.iso == "2026-04-01" && fiscal.end.iso == "2027-04-01" && !fiscal.isCalendar)
        #expect(fiscal.label == "2026-04-01/P1Y" && fiscal.dayCount == 365)
        #expect(fiscal.next.label == "2027-04-01/P1Y" && fiscal.previous.label == "2025-04-01/P1Y" && fiscal.yearEarlier.label == "2025-04-01/P1Y")
        let sundays = try Period(label: "2026-11-22/P1W")
        #expect(sundays.end.iso == "2026-11-29" && sundays.previous.label == "2026-11-15/P1W" && sundays.yearEarlier.start.iso == "2025-11-23")
        #expect(try Period(label: "2026-01-01/P1Y") == (try Period(label: "2026")) && (try Period(label: "2026-10-01/P3M")).label == "2026-Q4")
        #expect(try Period(label: "2026-11-23/P1W").label == "2026-W48")
        for bad in ["2026-04-15/P1M", "2026-04-01/P2Y", "2026-04-01/P1D", "2026-13-01/P1Y", "2026-04-01/"] {
            #expect(throws: ValueError.self, "\(bad)") { try Period(label: bad) }
        }
    }
}
