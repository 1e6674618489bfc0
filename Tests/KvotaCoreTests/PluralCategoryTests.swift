import Testing
import KvotaCore

struct PluralCategoryTests {
    @Test(arguments: [Language.ru, .uk])
    func eastSlavicCountsTakeOneFewOrMany(language: Language) {
        let expected: [(Int, PluralCategory)] = [
            (0, .many), (1, .one), (2, .few), (4, .few), (5, .many), (11, .many), (12, .many), (14, .many), (21, .one),
            (22, .few), (25, .many), (101, .one), (111, .many), (112, .many), (1_000_001, .one), (-3, .few),
        ]
        for (count, category) in expected {
            #expect(language.pluralCategory(count) == category, "\(count) in \(language)")
        }
    }

    @Test(arguments: [Language.en, .sv])
    func englishAndSwedishTellOneFromTheRest(language: Language) {
        #expect(language.pluralCategory(1) == .one)
        for count in [0, 2, 5, 11, 21, 101] { #expect(language.pluralCategory(count) == .other, "\(count)") }
    }

    @Test func everyCategoryALanguageUsesIsOneItDeclares() {
        for language in Language.allCases {
            let used = Set((0...200).map(language.pluralCategory))
            #expect(used == Set(language.pluralCategories), "\(language)")
        }
    }
}
