import Foundation

/// A change to a contact (or, applied to an empty one, a new contact): nil leaves a field; `.some(nil)` clears it.
public struct ContactPatch: Hashable, Sendable {
    public var accountID: Account.ID?
    public var name: String?
    public var position: String??
    public var phone: String??
    public var email: String??

    public init(accountID: Account.ID? = nil, name: String? = nil, position: String?? = nil, phone: String?? = nil,
                email: String?? = nil) {
        self.accountID = accountID; self.name = name; self.position = position; self.phone = phone; self.email = email
    }

    /// The contact after the change, normalised (the phone in E.164 for `country`), with every problem collected.
    public func applied(to contact: Contact, country: String, into errors: inout ValidationFailure.Collector) -> Contact {
        var changed = contact
        if let accountID { changed.accountID = accountID }
        if let name { changed.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let position { changed.position = position.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } }
        if let email { changed.email = email.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } }
        if let phone {
            let text = phone.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            if let text {
                do throws(ValueError) { changed.phone = try PhoneNumber.e164(text, country: country) } catch {
                    errors.check(false, error.field, error.reason)
                }
            } else {
                changed.phone = nil
            }
        }
        errors.check(!changed.name.isEmpty, "name", "must not be empty")
        errors.check(changed.name.count <= 300, "name", "must be at most 300 characters")
        errors.check(changed.accountID != nil, "accountId", "is required")
        if let email = changed.email {
            errors.check(UserDraft.looksLikeEmail(email), "email", "expected an address like name@example.com, got '\(email)'")
        }
        return changed
    }
}
