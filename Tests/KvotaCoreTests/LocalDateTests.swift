import Foundation
import Testing
@testable import KvotaCore

@Suite struct LocalDateTests {
    @Test func dayNumbersRoundTripAcrossCenturiesAndLeapDays() throws {
        #expect(try LocalDate(iso: "1970-01-01").dayNumber == 0)
        #expect(try LocalDate(iso: "2000-03-01").dayNumber == 11_017)
        #expect(try LocalDate(iso: "1969-12-31").dayNumber == -1)
        for day in stride(from: -200_000, through: 200_000, by: 997) {
            #expect(LocalDate(dayNumber: day).dayNumber == day)
        }
        #expect(LocalDate(dayNumber: try LocalDate(iso: "2024-02-28").dayNumber + 1).iso == "2024-02-29")
        #expect(LocalDate(dayNumber: try LocalDate(iso: "2100-02-28").dayNumber + 1).iso == "2100-03-01")
    }

    @Test func invalidDatesNameTheField() {
        #expect(throws: ValueError.invalid(field: "expected_close", reason: "'2026-02-30' is not a calendar date")) {
            try LocalDate(iso: "2026-02-30", field: "expected_close")
        }
        #expect(throws: ValueError.invalid(field: "date", reason: "expected a date as YYYY-MM-DD, got '26-1-1'")) {
            try LocalDate(iso: "26-1-1")
        }
    }

    @Test func monthArithmeticClampsToTheMonthEnd() throws {
        #expect(try LocalDate(iso: "2026-01-31").adding(months: 1).iso == "2026-02-28")
        #expect(try LocalDate(iso: "2024-01-31").adding(months: 1).iso == "2024-02-29")
        #expect(try LocalDate(iso: "2026-11-15").adding(months: -12).iso == "2025-11-15")
        #expect(try LocalDate(iso: "2026-03-31").adding(months: -13).iso == "2025-02-28")
    }

    @Test func weekdaysAndKeys() throws {
        #expect(try LocalDate(iso: "2026-11-22").isoWeekday == 7)  // a Sunday
        #expect(try LocalDate(iso: "2026-11-23").isoWeekday == 1)
        #expect(try LocalDate(iso: "2026-11-22").key == 20_261_122)
        #expect(try LocalDate(key: 20_261_122).iso == "2026-11-22")
    }

    @Test func localDayOfAnInstantDependsOnTheZone() throws {
        let instant = Date(timeIntervalSince1970: 1_767_222_000)  // 2025-12-31T23:00:00Z
        #expect(LocalDate(instant, in: TimeZone(identifier: "UTC")!).iso == "2025-12-31")
        #expect(LocalDate(instant, in: TimeZone(identifier: "Europe/Stockholm")!).iso == "2026-01-01")
    }
}
