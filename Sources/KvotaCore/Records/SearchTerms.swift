import Foundation

/// The words a record is found by, and how a query becomes the prefixes to look for. One definition for indexing
/// and searching, so they cannot disagree: lower case, accents folded ("Göteborg" is found by "goteborg"), split
/// at anything that is not a letter or digit; phones as the digits of their E.164 form; emails whole.
public enum SearchTerms {
    /// Longer words are cut: nobody types 60 characters to find a record.
    static let maximumLength = 40

    public static func words(_ text: String?) -> Set<String> {
        guard let text else { return [] }
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        return Set(folded.split { !$0.isLetter && !$0.isNumber }.map { String($0.prefix(maximumLength)) })
    }

    public static func phone(_ e164: String?) -> Set<String> {
        guard let digits = e164?.filter(\.isNumber), !digits.isEmpty else { return [] }
        return [digits]
    }

    public static func email(_ email: String?) -> Set<String> {
        guard let email = email?.lowercased(), !email.isEmpty else { return [] }
        return [String(email.prefix(maximumLength * 2))]
    }

    /// What a typed query looks for. A phone number in any format (read with the company's `country`) or a legal id
    /// is digits, matched as either; an email is one prefix; other text matches when every word is the start of one
    /// of the record's words.
    public static func query(_ text: String, country: String) -> SearchQuery {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.contains("@") { return SearchQuery(prefixes: Array(email(trimmed)), matchAll: true) }
        let digits = trimmed.filter(\.isNumber)
        if digits.count >= 5, trimmed.allSatisfy({ $0.isNumber || " +-()./".contains($0) }) {
            // "556677-8899" and "070-123 45 67" look alike: look for the digits as typed and as an E.164 number.
            var prefixes = [digits]
            if let e164 = try? PhoneNumber.e164(trimmed, country: country), e164.filter(\.isNumber) != digits {
                prefixes.append(e164.filter(\.isNumber))
            }
            return SearchQuery(prefixes: prefixes, matchAll: false)
        }
        return SearchQuery(prefixes: words(trimmed).sorted { ($0.count, $0) > ($1.count, $1) }, matchAll: true)
    }

    /// The smallest string after every string that starts with `prefix`, for an index range scan.
    public static func upperBound(of prefix: String) -> String {
        prefix + "\u{10FFFF}"
    }
}

/// Prefixes to look up, all of which (or any of which) must start one of a record's terms.
public struct SearchQuery: Hashable, Sendable {
    public let prefixes: [String]
    public let matchAll: Bool

    public init(prefixes: [String], matchAll: Bool) {
        self.prefixes = prefixes; self.matchAll = matchAll
    }
}

extension SearchTerms {
    public static func account(name: String, legalID: String?) -> Set<String> { words(name).union(words(legalID)) }

    public static func person(name: String, company: String? = nil, phone e164: String?, email address: String?) -> Set<String> {
        words(name).union(words(company)).union(phone(e164)).union(email(address))
    }

    public static func deal(title: String) -> Set<String> { words(title) }

    /// A contact by name and every phone and email it has.
    public static func contact(name: String, channels: [ContactChannel]) -> Set<String> {
        channels.reduce(words(name)) { terms, channel in
            switch channel.kind {
            case .phone: terms.union(phone(channel.value))
            case .email: terms.union(email(channel.value))
            default: terms
            }
        }
    }
}
