import Foundation
import KvotaCore
import Testing

@Suite struct ImportTextTests {
    @Test(arguments: [
        ("1 234 567,89", "1234567.89"), ("1.234.567,89", "1234567.89"), ("1,234,567.89", "1234567.89"), ("1234.5", "1234.5"),
        ("-12,5", "-12.5"), ("1\u{00A0}000", "1000"), ("1'000.25", "1000.25"), ("0,001", "0.001"), ("12", "12"),
    ])
    func numbersInTheFormsExportsWrite(text: String, expected: String) {
        #expect(ImportText.decimal(text) == Decimal(string: expected))
    }

    /// The fixed-point reader for amounts reads the same numbers as the Decimal one, in thousandths.
    @Test(arguments: ["1 234 567,89", "1.234.567,89", "1,234,567.89", "1234.5", "-12,5", "1\u{00A0}000", "1'000.25", "0,001", "12",
                      ",5", "+7", "1,500", "12 kr", "1,2,3.4.5", "", "-", "1-2", "99999999999999999999", "3,14159",
                      "1\u{2009}000,5", "1\u{202F}000", "1\u{2019}000.25", "12 €", "1\u{00A0}2é", "\t7\r"])
    func amountsAgreeWithDecimals(text: String) {
        let expected = ImportText.decimal(text).flatMap { value -> Int64? in
            let scaled = value * 1000
            return scaled == Decimal(NSDecimalNumber(decimal: scaled).int64Value) && abs(scaled) < 1e15
                ? NSDecimalNumber(decimal: scaled).int64Value : nil
        }
        #expect(ImportText.minorUnits(text, digits: 3) == expected)
    }

    @Test func whatIsNotANumberSaysSo() {
        #expect(ImportText.decimal("") == nil && ImportText.decimal("12 kr") == nil && ImportText.decimal("1,2,3.4.5") == nil)
        #expect(ImportText.minorUnits("1 234,50") == 123_450 && ImportText.minorUnits("0,005") == nil, "no rounding away")
    }

    @Test func datesISOAndDotted() throws {
        #expect(ImportText.date("2026-11-20") == (try LocalDate(year: 2026, month: 11, day: 20)))
        #expect(ImportText.date("2026-11-20T09:30:00Z") == (try LocalDate(year: 2026, month: 11, day: 20)))
        #expect(ImportText.date("20.11.2026") == (try LocalDate(year: 2026, month: 11, day: 20)))
        #expect(ImportText.date("31.02.2026") == nil && ImportText.date("20/11/2026") == nil && ImportText.date("20.11.26") == nil)
        #expect(ImportText.date("2024-02-29") == (try LocalDate(year: 2024, month: 2, day: 29)) && ImportText.date("2026-02-29") == nil)
        #expect(ImportText.date("2026-13-01") == nil && ImportText.date("2026-1a-01") == nil && ImportText.date("20.11.2O26") == nil)
        #expect(ImportText.date(" 20.11.2026") == (try LocalDate(year: 2026, month: 11, day: 20)), "spaces around, read the long way")
        #expect(ImportText.date("2.11.2026") == (try LocalDate(year: 2026, month: 11, day: 2)), "a day of one digit")
        #expect(ImportText.bool("Да") == true && ImportText.bool("nej") == false && ImportText.bool("maybe") == nil)
    }
}
