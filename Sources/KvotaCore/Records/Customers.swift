import Foundation

/// A counterparty: a customer company (or a person buying as one).
public struct Account: Hashable, Sendable, Codable {
    public typealias ID = Identifier<Account>
    public var id: ID
    public var name: String
    /// Tax or organisation number; unique when given.
    public var legalID: String?
    public var regionID: Region.ID?
    public var channelID: Channel.ID?
    public var ownerID: User.ID?
    public var segment: String?
    /// Lower case, sorted (`AccountDetails.tags`).
    public var tags: [String]
    public var notes: String?
    public var addresses: [Address]
    /// The values of the fields admins added to accounts, by key.
    public var custom: [String: CustomValue] = [:]
    /// Its id in the system it was imported from; unique when given.
    public var externalID: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Bumped by every change, for optimistic concurrency.
    public var version: Int64

    public init(id: ID, name: String, legalID: String?, regionID: Region.ID?, channelID: Channel.ID?,
                ownerID: User.ID?, segment: String?, tags: [String] = [], notes: String? = nil, addresses: [Address] = [],
                createdAt: Date, updatedAt: Date? = nil, version: Int64 = 1) {
        self.tags = tags; self.notes = notes; self.addresses = addresses
        self.id = id; self.name = name; self.legalID = legalID; self.regionID = regionID
        self.channelID = channelID; self.ownerID = ownerID; self.segment = segment; self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt; self.version = version
    }
}

/// A person at an account. Phones are E.164 (`+46701234567`).
public struct Contact: Hashable, Sendable, Codable {
    public typealias ID = Identifier<Contact>
    public var id: ID
    public var accountID: Account.ID?
    public var name: String
    public var position: String?
    /// The first phone and the first email of `channels`.
    public var phone: String?
    public var email: String?
    /// Every phone, email and messenger handle, in the order the rep put them.
    public var channels: [ContactChannel]
    public var custom: [String: CustomValue] = [:]
    public var createdAt: Date
    public var updatedAt: Date
    /// Bumped by every change, for optimistic concurrency.
    public var version: Int64

    /// Without `channels`, the contact's phone and email are its channels.
    public init(id: ID, accountID: Account.ID?, name: String, position: String?, phone: String?, email: String?,
                channels: [ContactChannel]? = nil, createdAt: Date, updatedAt: Date? = nil, version: Int64 = 1) {
        self.channels = channels ?? [phone.map { ContactChannel(kind: .phone, value: $0) }, email.map { ContactChannel(kind: .email, value: $0) }]
            .compactMap { $0 }
        self.id = id; self.accountID = accountID; self.name = name; self.position = position
        self.phone = phone; self.email = email; self.createdAt = createdAt; self.updatedAt = updatedAt ?? createdAt
        self.version = version
    }
}
