/// The CLDR plural category a whole number takes in a language: English and Swedish tell one from the rest
/// (1 deal, 2 deals; 1 affär, 2 affärer), Russian and Ukrainian also a "few" for 2–4 (1 сделка, 2 сделки, 5 сделок;
/// 21 сделка, 11 сделок). Only counts are pluralised, so fractions are not handled.
public enum PluralCategory: String, CaseIterable, Sendable {
    case one, few, many, other
}

extension Language {
    /// The categories a catalog entry in this language must give.
    public var pluralCategories: [PluralCategory] {
        switch self {
        case .en, .sv: [.one, .other]
        case .ru, .uk: [.one, .few, .many]
        }
    }

    /// The category of `count` (CLDR rules for integers).
    public func pluralCategory(_ count: Int) -> PluralCategory {
        let n = count.magnitude
        switch self {
        case .en, .sv:
            return n == 1 ? .one : .other
        case .ru, .uk:
            let lastDigit = n % 10, lastTwo = n % 100
            if lastDigit == 1 && lastTwo != 11 { return .one }
            if (2...4).contains(lastDigit) && !(12...14).contains(lastTwo) { return .few }
            return .many
        }
    }
}
