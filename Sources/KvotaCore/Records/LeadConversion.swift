import Foundation

/// What converting a lead should make of it: the account (an existing one, or a new one from these fields, named
/// after the lead's company by default), the contact (an existing one, or the lead's person), and a deal unless
/// `createDeal` is false. Everything happens in one transaction, or nothing does.
public struct LeadConversion: Hashable, Sendable {
    public var accountID: Account.ID?
    public var account: AccountDraft?
    public var contactID: Contact.ID?
    public var createDeal = true
    /// The new deal's fields; the account, contact, owner and title default from the lead.
    public var deal = DealPatch()

    public init() {}
}

/// What a conversion made or linked.
public struct ConvertedLead: Hashable, Sendable {
    public let lead: Lead
    public let accountID: Account.ID
    public let accountCreated: Bool
    public let contactID: Contact.ID?
    public let contactCreated: Bool
    public let deal: Deal?

    public init(lead: Lead, accountID: Account.ID, accountCreated: Bool, contactID: Contact.ID?, contactCreated: Bool, deal: Deal?) {
        self.lead = lead; self.accountID = accountID; self.accountCreated = accountCreated; self.contactID = contactID
        self.contactCreated = contactCreated; self.deal = deal
    }
}
