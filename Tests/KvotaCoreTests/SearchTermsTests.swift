import KvotaCore
import Testing

@Suite struct SearchTermsTests {
    @Test func wordsAreFoldedAndSplit() {
        #expect(SearchTerms.words("Göteborgs Verktyg & Co. AB") == ["goteborgs", "verktyg", "co", "ab"])
        #expect(SearchTerms.words("ООО «Ромашка-Трейд»") == ["ооо", "ромашка", "треид"], "й folds like the query folds it")
        #expect(SearchTerms.words(nil).isEmpty)
    }

    @Test func aQueryIsWordsAPhoneAnEmailOrALegalID() {
        #expect(SearchTerms.query("  nordic TOOLS ", country: "SE") == SearchQuery(prefixes: ["nordic", "tools"], matchAll: true))
        #expect(SearchTerms.query("070-123 45 67", country: "SE") == SearchQuery(prefixes: ["0701234567", "46701234567"], matchAll: false))
        #expect(SearchTerms.query("+46 70 123", country: "SE") == SearchQuery(prefixes: ["4670123"], matchAll: false))
        #expect(SearchTerms.query("Karin@Nordic.example", country: "SE") == SearchQuery(prefixes: ["karin@nordic.example"], matchAll: true))
        #expect(SearchTerms.query("556677-8899", country: "SE").prefixes.first == "5566778899")
        #expect(SearchTerms.query(" - ", country: "SE").prefixes.isEmpty)
    }

    @Test func aRecordIsFoundByItsPhoneDigitsAndWholeEmail() {
        let terms = SearchTerms.person(name: "Karin Holm", company: "Nordic Tools", phone: "+46701234567", email: "Karin@Nordic.example")
        #expect(terms == ["karin", "holm", "nordic", "tools", "46701234567", "karin@nordic.example"])
        #expect(SearchTerms.upperBound(of: "ab") > "abzzzz" && SearchTerms.upperBound(of: "ab") < "ac")
    }
}
