import Foundation

/// What it takes to add a user; `validated()` checks everything that needs no database.
public struct UserDraft: Hashable, Sendable {
    public var name: String
    public var email: String
    public var role: Role
    public var teamID: Team.ID?
    public var managerID: User.ID?
    public var language: Language
    public var phoneExtension: String?

    public init(name: String, email: String, role: Role, teamID: Team.ID? = nil, managerID: User.ID? = nil,
                language: Language = .en, phoneExtension: String? = nil) {
        self.name = name; self.email = email; self.role = role; self.teamID = teamID; self.managerID = managerID
        self.language = language; self.phoneExtension = phoneExtension
    }

    /// The draft with surrounding blanks trimmed, or every problem with it.
    public func validated() throws(ValidationFailure) -> UserDraft {
        let draft = normalised()
        var errors = ValidationFailure.Collector()
        draft.check(into: &errors)
        try errors.finish()
        return draft
    }

    /// Surrounding blanks trimmed; an empty extension is none.
    public func normalised() -> UserDraft {
        var draft = self
        draft.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        draft.email = email.trimmingCharacters(in: .whitespacesAndNewlines)
        draft.phoneExtension = phoneExtension?.trimmingCharacters(in: .whitespacesAndNewlines)
        if draft.phoneExtension == "" { draft.phoneExtension = nil }
        return draft
    }

    /// Adds the problems that need no database to `errors`; the store adds the rest, so all are reported at once.
    public func check(into errors: inout ValidationFailure.Collector) {
        errors.check(!name.isEmpty, "name", "must not be empty")
        errors.check(name.count <= 200, "name", "must be at most 200 characters")
        errors.check(Self.looksLikeEmail(email), "email", "expected an address like name@example.com, got '\(email)'")
        if let ext = phoneExtension {
            errors.check(ext.count <= 10 && ext.allSatisfy(\.isASCIIDigit), "extension",
                         "expected 1 to 10 digits, got '\(ext)'")
        }
    }

    /// Unique per company whatever the case: `Ann@Example.com` and `ann@example.com` are one person.
    public static func emailKey(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !text.contains(where: \.isWhitespace) && text.count <= 254
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
