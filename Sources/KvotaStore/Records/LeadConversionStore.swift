import Foundation
import KvotaCore
import SQLKit

/// Converting a qualified lead: the account, contact and deal it becomes, created or linked in one transaction with
/// the lead marked converted. A failure anywhere leaves nothing behind; its fields are named under `account.`,
/// `contact.` or `deal.`.
extension Database {
    public func convertLead(_ id: Lead.ID, _ conversion: LeadConversion, problems: ValidationFailure.Collector = .init(),
                            expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws -> ConvertedLead {
        try await requireAccess(actor, .update, .lead, id: id.rawValue)
        let country = try await defaultCountry()
        return try await write { sql in
            try await sql.lockForChange("leads", id: id.rawValue)
            let old = try await Self.lead(id, in: sql)
            try VersionConflict.check(.lead, id: id.rawValue, expected: expectedVersion, current: old.version)
            var errors = problems
            errors.check(old.status != .converted, "status", "lead \(id) is already converted")
            errors.check(old.status != .disqualified, "status", "lead \(id) is disqualified; put it back in work first")
            errors.check(conversion.accountID == nil || conversion.account == nil, "account", "give accountId or account, not both")
            try errors.finish()
            // The work follows the lead's owner; an unassigned lead becomes the converting rep's.
            let owner = old.ownerID ?? ([.rep, .head].contains(actor.role) ? actor.userID : nil)

            var accountID = conversion.accountID ?? (conversion.account == nil ? old.accountID : nil)
            var accountCreated = false
            if let given = accountID {
                let row = try await sql.raw("SELECT owner_id FROM accounts WHERE id = \(bind: given.rawValue)").first()
                let accountOwner = try row?.decode(column: "owner_id", as: Int64?.self).map { User.ID($0) }
                guard row != nil, AccessPolicy.allows(actor, .read, .account, owner: accountOwner) else {
                    throw ValidationFailure([.invalid(field: "accountId", reason: "no account \(given)")])
                }
            } else {
                var draft = conversion.account ?? AccountDraft(name: "")
                if draft.name.trimmingCharacters(in: .whitespaces).isEmpty { draft.name = old.companyName ?? old.name }
                if draft.ownerID == nil { draft.ownerID = owner }
                do {
                    accountID = try await Self.insertAccount(draft, by: actor, at: now, address: address, in: sql).id
                } catch let failure as ValidationFailure { throw failure.prefixed("account.") }
                accountCreated = true
            }
            let account = accountID!

            var contactID = conversion.contactID ?? old.contactID
            var contactCreated = false
            if let given = contactID {
                let belongs = try await Self.count(sql, """
                    SELECT COUNT(*) AS n FROM contacts WHERE id = \(bind: given.rawValue) AND account_id = \(bind: account.rawValue)
                    """) == 1
                guard belongs else { throw ValidationFailure([.invalid(field: "contactId", reason: "contact \(given) is not at account \(account)")]) }
            } else if let known = try await Self.sameContact(as: old, at: account, in: sql) {
                contactID = known
            } else if old.companyName != nil || old.phone != nil || old.email != nil {
                // The person who wrote in; a lead that is only a company name has no one to add.
                let patch = ContactPatch(accountID: account, name: old.name, phone: .some(old.phone), email: .some(old.email))
                do {
                    contactID = try await Self.insertContact(patch, country: country, by: actor, at: now, address: address, in: sql).id
                } catch let failure as ValidationFailure { throw failure.prefixed("contact.") }
                contactCreated = true
            }

            var deal: Deal?
            if conversion.createDeal {
                var patch = conversion.deal
                patch.accountID = account
                if patch.contactID == nil { patch.contactID = .some(contactID) }
                if patch.title == nil { patch.title = Self.dealTitle(for: old) }
                if patch.ownerID == nil, let owner { patch.ownerID = owner }
                do {
                    deal = try await Self.insertDeal(patch, problems: .init(), lead: id, by: actor, at: now, address: address, in: sql)
                } catch let failure as ValidationFailure { throw failure.prefixed("deal.") }
            }

            var new = old
            new.status = .converted
            new.accountID = account
            new.contactID = contactID
            if new.ownerID == nil { new.ownerID = owner }
            new.version = old.version + 1
            try await sql.raw("""
                UPDATE leads SET status = 'converted', account_id = \(bind: account.rawValue), contact_id = \(bind: contactID?.rawValue),
                    owner_id = \(bind: new.ownerID?.rawValue), version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            let zone = try await Self.timeZone(in: sql)
            try await Self.markQualified(id, on: LocalDate(now, in: zone), in: sql)
            try await Self.recheckAlerts(.leadUnanswered, subjects: [id.rawValue], at: now, zone: zone, in: sql)
            var changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            changes.append(.init("converted", old: nil, new: "account \(account)" + (contactID.map { ", contact \($0)" } ?? "")
                                 + (deal.map { ", deal \($0.id)" } ?? "")))
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "lead", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            return ConvertedLead(lead: new, accountID: account, accountCreated: accountCreated, contactID: contactID,
                                 contactCreated: contactCreated, deal: deal)
        }
    }

    /// A contact of the account with the lead's phone or email: the same person writing in again.
    private static func sameContact(as lead: Lead, at account: Account.ID, in sql: any SQLDatabase) async throws -> Contact.ID? {
        guard lead.phone != nil || lead.email != nil else { return nil }
        let row = try await sql.raw("""
            SELECT c.id AS id FROM contacts c JOIN contact_channels ch ON ch.contact_id = c.id
            WHERE c.account_id = \(bind: account.rawValue)
                AND ((ch.kind = 'phone' AND ch.value = \(bind: lead.phone)) OR (ch.kind = 'email' AND ch.value = \(bind: lead.email?.lowercased())))
            ORDER BY c.id LIMIT 1
            """).first()
        return try row.map { Contact.ID(try $0.decode(column: "id", as: Int64.self)) }
    }

    private static func dealTitle(for lead: Lead) -> String {
        let who = lead.companyName ?? lead.name
        guard let message = lead.message?.trimmingCharacters(in: .whitespacesAndNewlines), !message.isEmpty else { return who }
        let first = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? message
        return "\(who): \(first.count > 80 ? first.prefix(80) + "…" : first)"
    }
}
