import Foundation

/// A change to a contact (or, applied to an empty one, a new contact): nil leaves a field; `.some(nil)` clears it.
public struct ContactPatch: Hashable, Sendable {
    public var accountID: Account.ID?
    public var name: String?
    public var position: String??
    public var phone: String??
    public var email: String??
    /// Given: every phone, email and handle, replacing the ones the contact had (and `phone` and `email`).
    public var channels: [ContactChannel]?
    /// The custom fields to set (null clears one); others stay.
    public var custom: [String: JSONValue]?

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
        if let channels {
            errors.check(channels.count <= 20, "channels", "at most 20 phones, emails and handles")
            changed.channels = channels.enumerated().map { index, channel in
                channel.normalised(country: country, field: "channels[\(index)].value", labelField: "channels[\(index)].label", into: &errors)
            }
        } else {
            // The single `phone` and `email` of older clients change the first of their kind and keep the rest.
            for (kind, value) in [(ContactChannel.Kind.phone, phone), (.email, email)] {
                guard let value else { continue }
                let text = value.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
                changed.setPrimary(kind, text.map {
                    ContactChannel(kind: kind, value: $0).normalised(country: country, field: kind.rawValue, into: &errors).value
                })
            }
        }
        changed.syncPrimary()
        errors.check(!changed.name.isEmpty, "name", "must not be empty")
        errors.check(changed.name.count <= 300, "name", "must be at most 300 characters")
        errors.check(changed.accountID != nil, "accountId", "is required")
        return changed
    }
}
