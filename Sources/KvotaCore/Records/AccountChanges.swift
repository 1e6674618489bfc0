import Foundation

/// What it takes to add an account; the store adds the checks that need the database (a free legal id, an existing
/// region, channel and owner).
public struct AccountDraft: Hashable, Sendable {
    public var name: String
    public var legalID: String?
    public var regionID: Region.ID?
    public var channelID: Channel.ID?
    /// Nil: the person adding it, when they own records themselves.
    public var ownerID: User.ID?
    public var segment: String?
    public var tags: [String]
    public var notes: String?
    public var addresses: [Address]
    public var custom: [String: JSONValue]?
    public var externalID: String?

    public init(name: String, legalID: String? = nil, regionID: Region.ID? = nil, channelID: Channel.ID? = nil,
                ownerID: User.ID? = nil, segment: String? = nil, tags: [String] = [], notes: String? = nil, addresses: [Address] = []) {
        self.name = name; self.legalID = legalID; self.regionID = regionID; self.channelID = channelID
        self.ownerID = ownerID; self.segment = segment; self.tags = tags; self.notes = notes; self.addresses = addresses
    }

    /// The account this draft describes, before it has an id.
    public func account(id: Account.ID, at now: Date) -> Account {
        var account = Account(id: id, name: name, legalID: legalID, regionID: regionID, channelID: channelID, ownerID: ownerID,
                              segment: segment, tags: tags, notes: notes, addresses: addresses, createdAt: now)
        account.externalID = externalID
        return account
    }
}

/// A change to an account: nil leaves a field; `.some(nil)` clears an optional one.
public struct AccountPatch: Hashable, Sendable {
    public var name: String?
    public var legalID: String??
    public var regionID: Region.ID??
    public var channelID: Channel.ID??
    public var ownerID: User.ID??
    public var segment: String??
    /// Given: replace them all.
    public var tags: [String]?
    public var notes: String??
    public var addresses: [Address]?
    /// The custom fields to set (null clears one); others stay.
    public var custom: [String: JSONValue]?
    public var externalID: String??

    public init(name: String? = nil, legalID: String?? = nil, regionID: Region.ID?? = nil, channelID: Channel.ID?? = nil,
                ownerID: User.ID?? = nil, segment: String?? = nil) {
        self.name = name; self.legalID = legalID; self.regionID = regionID; self.channelID = channelID
        self.ownerID = ownerID; self.segment = segment
    }

    public func applied(to account: Account) -> Account {
        var changed = account
        if let name { changed.name = name }
        if let legalID { changed.legalID = legalID }
        if let regionID { changed.regionID = regionID }
        if let channelID { changed.channelID = channelID }
        if let ownerID { changed.ownerID = ownerID }
        if let segment { changed.segment = segment }
        if let tags { changed.tags = tags }
        if let notes { changed.notes = notes }
        if let addresses { changed.addresses = addresses }
        if let externalID { changed.externalID = externalID }
        return changed.normalised()
    }
}

extension Account {
    /// Surrounding blanks trimmed; an empty legal id or segment is none. Legal ids lose inner spaces and dashes, so
    /// `556 123-4567` and `5561234567` are one company.
    public func normalised() -> Account {
        var account = self
        account.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        account.legalID = legalID.map(Self.normalisedLegalID).flatMap { $0.isEmpty ? nil : $0 }
        account.segment = segment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if account.segment == "" { account.segment = nil }
        account.externalID = externalID?.trimmingCharacters(in: .whitespaces)
        if account.externalID == "" { account.externalID = nil }
        account.tags = AccountDetails.tags(tags)
        account.notes = AccountDetails.notes(notes)
        account.addresses = AccountDetails.addresses(addresses)
        return account
    }

    /// A legal id as stored and compared: `556 123-4567` is `5561234567`.
    public static func normalisedLegalID(_ text: String) -> String {
        text.filter { !$0.isWhitespace && $0 != "-" }
    }

    /// The problems that need no database.
    public func check(into errors: inout ValidationFailure.Collector) {
        errors.check(!name.isEmpty, "name", "is required")
        errors.check(name.count <= 300, "name", "must be at most 300 characters")
        if let legalID { errors.check(legalID.count <= 40, "legalId", "must be at most 40 characters") }
        if let segment { errors.check(segment.count <= 100, "segment", "must be at most 100 characters") }
        AccountDetails.check(tags: tags, notes: notes, addresses: addresses, into: &errors)
        errors.check((externalID?.count ?? 0) <= 100, "externalId", "must be at most 100 characters")
    }
}
