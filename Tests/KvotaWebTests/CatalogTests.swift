import Foundation
import KvotaCore
import Testing
@testable import KvotaWeb

/// The UI catalogs: complete in every language, plural forms for each language's categories, the same placeholders
/// as English; and the numbers, money and dates of each locale.
@Suite struct CatalogTests {
    static let catalog = Catalog.shared

    @Test(arguments: Language.allCases)
    func everyKeyIsInTheCatalogAndNothingElse(language: Language) throws {
        let entries = try #require(Self.catalog.entries[language])
        let keys = Set(UIKey.allCases.map(\.rawValue))
        let missing = keys.subtracting(entries.keys).sorted()
        let extra = Set(entries.keys).subtracting(keys).sorted()
        #expect(missing.isEmpty, "\(language).json lacks \(missing)")
        #expect(extra.isEmpty, "\(language).json has keys no view uses: \(extra)")
    }

    @Test(arguments: Language.allCases)
    func countsHaveEveryPluralFormOfTheLanguageAndTextsHaveNone(language: Language) throws {
        let english = try #require(Self.catalog.entries[.en])
        let entries = try #require(Self.catalog.entries[language])
        for key in UIKey.allCases {
            switch (english[key.rawValue], entries[key.rawValue]) {
            case (.plural, .plural(let forms)?):
                #expect(Set(forms.keys) == Set(language.pluralCategories), "\(language) \(key.rawValue): \(forms.keys)")
                #expect(forms.values.allSatisfy { $0.contains("{n}") }, "\(language) \(key.rawValue) must show the count")
            case (.text, .text(let text)?):
                #expect(!text.trimmingCharacters(in: .whitespaces).isEmpty, "\(language) \(key.rawValue) is empty")
            default:
                Issue.record("\(language) \(key.rawValue): a text where English has plural forms, or the other way round")
            }
        }
    }

    @Test(arguments: [Language.ru, .uk, .sv])
    func translationsUseTheSamePlaceholdersAsEnglish(language: Language) throws {
        func placeholders(_ entry: Catalog.Entry?) -> Set<String> {
            let texts: [String] = switch entry {
            case .text(let text): [text]
            case .plural(let forms): Array(forms.values)
            case nil: []
            }
            let pattern = try! NSRegularExpression(pattern: #"\{[a-z]+\}"#)
            return Set(texts.flatMap { text in
                pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { (text as NSString).substring(with: $0.range) }
            })
        }
        for key in UIKey.allCases {
            #expect(placeholders(Self.catalog.entries[.en]?[key.rawValue]) == placeholders(Self.catalog.entries[language]?[key.rawValue]),
                    "\(language) \(key.rawValue)")
        }
    }

    @Test func countsTakeTheLanguagesPluralForms() {
        let expected: [(Language, Int, String)] = [
            (.ru, 1, "1 сделка"), (.ru, 2, "2 сделки"), (.ru, 5, "5 сделок"), (.ru, 21, "21 сделка"), (.ru, 11, "11 сделок"),
            (.uk, 1, "1 угода"), (.uk, 2, "2 угоди"), (.uk, 5, "5 угод"),
            (.sv, 1, "1 affär"), (.sv, 2, "2 affärer"), (.en, 1, "1 deal"), (.en, 0, "0 deals"),
        ]
        for (language, count, text) in expected {
            #expect(Localizer(language).count(.countDeals, count) == text)
        }
        #expect(Localizer(.ru).count(.countDeals, 1_234) == "1\u{A0}234 сделки", "the count as the locale writes numbers")
    }

    @Test func moneyNumbersAndDatesFollowTheLocale() throws {
        let amount = Money(minorUnits: 123_456_789, currency: .RUB)
        #expect(Localizer(.ru).money(amount) == "1\u{A0}234\u{A0}567,89\u{A0}₽")
        #expect(Localizer(.sv).money(Money(minorUnits: 123_456_789, currency: .SEK)) == "1\u{A0}234\u{A0}567,89\u{A0}kr")
        #expect(Localizer(.en).money(Money(minorUnits: 123_456_789, currency: .EUR)) == "€1,234,567.89")
        #expect(Localizer(.uk).money(Money(minorUnits: 123_456_789, currency: .UAH)) == "1\u{A0}234\u{A0}567,89\u{A0}₴")
        #expect(Localizer(.en).money(Money(minorUnits: 123_456_789, currency: .EUR), showMinorUnits: false) == "€1,234,568")
        #expect(Localizer(.en).number(1_234_567) == "1,234,567")
        #expect(Localizer(.sv).number(-1_234_567) == "−1\u{A0}234\u{A0}567")
        let day = try LocalDate(year: 2026, month: 9, day: 21)
        #expect(Localizer(.en).date(day) == "21 Sept 2026" || Localizer(.en).date(day) == "21 Sep 2026")
        #expect(Localizer(.ru).date(day).hasPrefix("21 сент. 2026"))
        #expect(Localizer(.sv).date(day).hasPrefix("21 sep. 2026"))
    }

    @Test func timesAreInTheCompanysZone() {
        let instant = Date(timeIntervalSince1970: 1_790_000_000) // 2026-09-21 14:13 UTC
        #expect(Localizer(.sv, timeZone: TimeZone(identifier: "Europe/Stockholm")!).time(instant) == "16:13")
        #expect(Localizer(.ru, timeZone: TimeZone(identifier: "Europe/Moscow")!).time(instant) == "17:13")
    }

    @Test func durationsShowTheirTwoLargestUnits() {
        #expect(Localizer(.en).duration(45 * 60) == "45 min")
        #expect(Localizer(.en).duration(2 * 3600 + 5 * 60) == "2 h 5 min")
        #expect(Localizer(.ru).duration(3 * 86_400 + 4 * 3600 + 59) == "3 д 4 ч")
        #expect(Localizer(.sv).duration(-10) == "0 min")
    }
}
