import Foundation
import KvotaCore

/// A problem's title, detail and field reasons in the caller's language: their profile's when signed in, else the
/// first of Accept-Language that Kvota speaks, else English. The code writes every message in English; this turns a
/// finished message into another language by its wording (`ProblemCatalog.swift`), so no call site changes and a
/// message without an entry stays readable in English.
enum ProblemTexts {
    private struct Entry: Sendable {
        let pattern: NSRegularExpression
        /// Which captures are record kinds, in order.
        let kindSlots: [Bool]
        let texts: [Language: String]
    }

    /// Most specific first (the most wording outside the placeholders), so "expected an ISO week like 2026-W47, got
    /// '{}'" wins over "expected {}, got '{}'" wherever either stands in the catalog.
    private static let entries: [Entry] = catalog.enumerated()
        .sorted { (literal($0.element.0), -$0.offset) > (literal($1.element.0), -$1.offset) }.map(\.element).map { en, ru, uk, sv in
        var regex = "^"
        var slots: [Bool] = []
        var rest = Substring(en)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            regex += NSRegularExpression.escapedPattern(for: String(rest[..<open]))
            let name = rest[rest.index(after: open)..<close]
            // A placeholder may hold nothing: "got ''" for `owner=` must match its own entry, not fall through to
            // "expected {}" and leave ", got ''" in English.
            regex += name == "kind" ? "([a-z ]+?)" : "(.*?)"
            slots.append(name == "kind")
            rest = rest[rest.index(after: close)...]
        }
        regex += NSRegularExpression.escapedPattern(for: String(rest)) + "$"
        // The catalog is written here; a pattern that does not compile is a programming error found by the tests.
        return Entry(pattern: try! NSRegularExpression(pattern: regex, options: [.dotMatchesLineSeparators]), kindSlots: slots,
                     texts: [.en: en, .ru: ru, .uk: uk, .sv: sv])
    }

    /// The wording of a catalog entry without its placeholders.
    private static func literal(_ english: String) -> Int {
        english.replacingOccurrences(of: "\\{[a-z]*\\}", with: "", options: .regularExpression).count
    }

    /// An import's problems with their reasons in `language`. A file repeats the same few reasons, so each is looked
    /// up once.
    static func translate(_ problems: some Sequence<ImportProblem>, to language: Language) -> [ImportProblem] {
        var translated: [String: String] = [:]
        return problems.map { problem in
            let reason = translated[problem.reason] ?? translate(problem.reason, to: language)
            translated[problem.reason] = reason
            return ImportProblem(row: problem.row, column: problem.column, value: problem.value, reason: reason)
        }
    }

    /// `text` in `language`; unchanged for English or a message without an entry.
    static func translate(_ text: String, to language: Language) -> String {
        guard language != .en, let (entry, parts) = said(text), let target = entry.texts[language] else { return text }
        return fill(target, with: parts.map { $0.isKind ? kindName($0.value, in: language) : $0.value })
    }

    static var entryCount: Int { entries.count }

    /// The parts of `text` that its entry copies as they are (its `{}`s), for the completeness test: English words
    /// there reach a Russian, Ukrainian or Swedish reader untranslated. Nil without an entry.
    static func copiedParts(of text: String) -> [String]? {
        said(text).map { $0.parts.filter { !$0.isKind }.map(\.value) }
    }

    /// The entry `text` is said by (the first that matches, most specific first) and what its placeholders captured.
    private static func said(_ text: String) -> (entry: Entry, parts: [(value: String, isKind: Bool)])? {
        let range = NSRange(text.startIndex..., in: text)
        for entry in entries {
            guard let match = entry.pattern.firstMatch(in: text, range: range) else { continue }
            var parts: [(value: String, isKind: Bool)] = []
            for (index, isKind) in entry.kindSlots.enumerated() {
                guard let captured = Range(match.range(at: index + 1), in: text) else { return nil }
                parts.append((String(text[captured]), isKind))
            }
            return (entry, parts)
        }
        return nil
    }

    private static func kindName(_ english: String, in language: Language) -> String {
        guard let names = kinds[english] else { return english }
        switch language {
        case .en: return english
        case .ru: return names.ru
        case .uk: return names.uk
        case .sv: return names.sv
        }
    }

    /// The target text with its placeholders (`{}` and `{kind}`, in order) replaced by `parts`.
    private static func fill(_ template: String, with parts: [String]) -> String {
        var result = ""
        var rest = Substring(template)
        var next = parts.makeIterator()
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}"),
              rest[rest.index(after: open)..<close].allSatisfy({ $0.isLetter }) {
            result += rest[..<open]
            result += next.next() ?? ""
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// The language of a request from its Accept-Language header (`sv-SE,sv;q=0.9,en;q=0.8`): the supported one
    /// with the highest weight; English when none is.
    static func language(acceptLanguage header: String?) -> Language {
        guard let header else { return .en }
        var best: (Language, Double)?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased(), let code = tag.split(separator: "-").first,
                  let language = Language(rawValue: String(code)) else { continue }
            let weight = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if weight > 0, weight > (best?.1 ?? 0) { best = (language, weight) }
        }
        return best?.0 ?? .en
    }
}

/// An error on its way out of a signed-in route, with the language of the user who made the request: the error
/// middleware runs before sign-in is known, so the signed-in group hands the language up with the error.
struct ErrorInLanguage: Error {
    let error: any Error
    let language: Language
}
