import Foundation
import KvotaCore

/// The UI's words in every language, read once from `Resources/i18n/LANG.json`: a flat object from `UIKey` raw values
/// to a text, or, for a count, to an object of CLDR plural categories (`{"one": "{n} deal", "other": "{n} deals"}`).
/// Translators edit the JSON; `CatalogTests` fails when a key is missing, extra or lacks a plural form.
struct Catalog: Sendable {
    enum Entry: Sendable, Equatable {
        case text(String)
        case plural([PluralCategory: String])
    }

    let entries: [Language: [String: Entry]]

    static let shared: Catalog = {
        do {
            return try load()
        } catch {
            // The catalogs ship inside the binary's resource bundle; without them no page can be drawn.
            fatalError("the UI catalogs cannot be read: \(error)")
        }
    }()

    static func load() throws -> Catalog {
        var entries: [Language: [String: Entry]] = [:]
        for language in Language.allCases {
            guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "i18n") else {
                throw CatalogError("i18n/\(language.rawValue).json is not in the resource bundle")
            }
            entries[language] = try parse(Data(contentsOf: url), language: language)
        }
        return Catalog(entries: entries)
    }

    static func parse(_ data: Data, language: Language) throws -> [String: Entry] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CatalogError("\(language).json: expected one JSON object")
        }
        var entries: [String: Entry] = [:]
        for (key, value) in object {
            if let text = value as? String {
                entries[key] = .text(text)
            } else if let forms = value as? [String: String] {
                var plural: [PluralCategory: String] = [:]
                for (name, text) in forms {
                    guard let category = PluralCategory(rawValue: name) else {
                        throw CatalogError("\(language).json: \(key): '\(name)' is not a plural category")
                    }
                    plural[category] = text
                }
                entries[key] = .plural(plural)
            } else {
                throw CatalogError("\(language).json: \(key): expected a text or an object of plural forms")
            }
        }
        return entries
    }

    /// The text of `key` in `language`; English when the language lacks it (the tests see that it never does).
    func text(_ key: UIKey, in language: Language) -> String {
        switch entries[language]?[key.rawValue] ?? entries[.en]?[key.rawValue] {
        case .text(let text): text
        case .plural(let forms): forms[.other] ?? forms[.many] ?? key.rawValue
        case nil: key.rawValue
        }
    }

    /// The form of `key` for `count` in `language`.
    func plural(_ key: UIKey, _ count: Int, in language: Language) -> String {
        if case .plural(let forms) = entries[language]?[key.rawValue], let form = forms[language.pluralCategory(count)] {
            return form
        }
        if case .plural(let forms) = entries[.en]?[key.rawValue], let form = forms[Language.en.pluralCategory(count)] {
            return form
        }
        return text(key, in: language)
    }
}

struct CatalogError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
