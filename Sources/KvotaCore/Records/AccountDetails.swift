import Foundation

/// A postal address of an account; the kind says what it is for (the legal seat on invoices, where goods go).
public struct Address: Hashable, Sendable, Codable {
    public enum Kind: String, CaseIterable, Sendable, Codable { case legal, billing, shipping, office, other }

    public var kind: Kind
    public var street: String?
    public var postcode: String?
    public var city: String?
    /// ISO 3166-1 alpha-2, upper case.
    public var country: String?

    public init(kind: Kind, street: String? = nil, postcode: String? = nil, city: String? = nil, country: String? = nil) {
        self.kind = kind; self.street = street; self.postcode = postcode; self.city = city; self.country = country
    }

    func normalised() -> Address {
        func clean(_ text: String?) -> String? {
            text.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        return Address(kind: kind, street: clean(street), postcode: clean(postcode), city: clean(city), country: clean(country)?.uppercased())
    }

    func check(_ field: String, into errors: inout ValidationFailure.Collector) {
        errors.check(street != nil || city != nil, field, "needs a street or a city")
        for (name, value) in [("street", street), ("postcode", postcode), ("city", city)] {
            errors.check((value?.count ?? 0) <= 200, "\(field).\(name)", "must be at most 200 characters")
        }
        if let country {
            errors.check(country.count == 2 && country.allSatisfy { $0.isASCII && $0.isLetter }, "\(field).country",
                         "expected a two-letter country code (ISO 3166-1), got '\(country)'")
        }
    }
}

/// Tags, notes and addresses as an account carries them, normalised and checked in one place.
public enum AccountDetails {
    /// Lower case, trimmed, each once, sorted: tags are for grouping, so "VIP" and "vip " are one tag.
    public static func tags(_ tags: [String]) -> [String] {
        Array(Set(tags.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }.filter { !$0.isEmpty })).sorted()
    }

    public static func check(tags: [String], notes: String?, addresses: [Address], into errors: inout ValidationFailure.Collector) {
        errors.check(tags.count <= 20, "tags", "at most 20 tags")
        errors.check(tags.allSatisfy { $0.count <= 50 }, "tags", "each at most 50 characters")
        errors.check((notes?.count ?? 0) <= 10_000, "notes", "must be at most 10 000 characters")
        errors.check(addresses.count <= 10, "addresses", "at most 10 addresses")
        for (index, address) in addresses.enumerated() { address.check("addresses[\(index)]", into: &errors) }
    }

    public static func addresses(_ addresses: [Address]) -> [Address] { addresses.map { $0.normalised() } }

    public static func notes(_ notes: String?) -> String? {
        notes.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
    }
}
