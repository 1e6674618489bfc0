import Foundation
import KvotaCore
import SQLKit

public struct ContactFilter: Hashable, PagedFilter {
    public var accountID: Account.ID?
    /// Part of the name or email (any case), or a phone number in any format.
    public var text: String?
    public var custom: [CustomCondition] = []
    public var limit: Int = PageSize.standard
    public var cursor: String?
    public var sort: ListSort?

    public init(accountID: Account.ID? = nil, text: String? = nil, limit: Int = PageSize.standard, cursor: String? = nil) {
        self.accountID = accountID; self.text = text; self.limit = limit; self.cursor = cursor
    }
}

/// Contacts: the people at accounts. A contact is its account owner's, so whoever may see the account sees them.
extension Database {
    public func contacts(_ filter: ContactFilter, for actor: Actor, action: AccessAction = .list) async throws -> RecordPage<Contact> {
        var filters: [SQLQueryString] = []
        if let account = filter.accountID { filters.append("r.account_id = \(bind: account.rawValue)") }
        filters += try await Self.customConditions(.contact, filter.custom, in: self)
        if let text = filter.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            // Any of the contact's emails and phones, not only the first.
            var match: SQLQueryString = lowered("r.name", for: text) + """
                 LIKE \(bind: text.containsPattern) ESCAPE '\\'
                OR r.id IN (SELECT contact_id FROM contact_channels WHERE kind = 'email' AND value = \(bind: text.lowercased()))
                """
            if let phone = try? PhoneNumber.e164(text, country: try await defaultCountry()) {
                match = match + " OR r.id IN (SELECT contact_id FROM contact_channels WHERE kind = 'phone' AND value = \(bind: phone))"
            }
            filters.append("(" + match + ")")
        }
        var page = try await page(Self.contactList, filters: filters, paging: filter, for: actor, action: action, decode: Self.contact(from:))
        page.items = try await read { sql in try await Self.withChannels(page.items, in: sql) }
        return page
    }

    public func contact(_ id: Contact.ID, for actor: Actor) async throws -> Contact {
        try await requireAccess(actor, .read, .contact, id: id.rawValue)
        return try await read { sql in try await Self.contact(id, in: sql) }
    }

    /// Adds a contact to an account the actor may add contacts to.
    public func addContact(_ patch: ContactPatch, problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                           address: String? = nil) async throws -> Contact {
        let country = try await defaultCountry()
        return try await write { sql in
            try await Self.insertContact(patch, problems: problems, country: country, by: actor, at: now, address: address, in: sql)
        }
    }

    /// `addContact` inside a transaction that may write more (lead conversion, import).
    static func insertContact(_ patch: ContactPatch, problems: ValidationFailure.Collector = .init(), country: String, by actor: Actor,
                              at now: Date, address: String?, in sql: any SQLDatabase) async throws -> Contact {
        _ = try AccessPolicy.require(actor, .create, .contact)
        var errors = problems
        let blank = Contact(id: 0, accountID: nil, name: "", position: nil, phone: nil, email: nil, createdAt: now)
        var contact = patch.applied(to: blank, country: country, into: &errors)
        try await Self.checkAccount(of: contact, changedFrom: nil, for: actor, action: .create, in: sql, into: &errors)
        contact.custom = try await Self.customValues(.contact, applying: patch.custom, to: [:], isNew: true, in: sql, into: &errors)
        try errors.finish()
        let at = now.epochMilliseconds
        let row = try await sql.raw("""
            INSERT INTO contacts (account_id, name, position, phone, email, created_at, updated_at)
            VALUES (\(bind: contact.accountID?.rawValue), \(bind: contact.name), \(bind: contact.position), \(bind: contact.phone),
                    \(bind: contact.email), \(bind: at), \(bind: at))
            RETURNING id
            """).first()
        var added = contact
        added.id = Contact.ID(try row!.decode(column: "id", as: Int64.self))
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "contact",
                                        entityID: added.id.rawValue,
                                        changes: AuditLog.created(Self.fields(of: added)) + Self.customChanges([:], added.custom),
                                        address: address), in: sql)
        try await Self.writeChannels(of: added, replacing: nil, in: sql)
        try await Self.writeCustomValues(.contact, id: added.id.rawValue, values: added.custom, old: [:], in: sql)
        try await SearchIndex.update(.contact, id: added.id.rawValue, terms: SearchTerms.contact(name: added.name, channels: added.channels),
                                     in: sql)
        return added
    }

    public func updateContact(_ id: Contact.ID, _ patch: ContactPatch, problems: ValidationFailure.Collector = .init(),
                              expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws -> Contact {
        try await requireAccess(actor, .update, .contact, id: id.rawValue)
        let country = try await defaultCountry()
        return try await write { sql in
            try await Self.changeContact(id, patch, problems: problems, country: country, expectedVersion: expectedVersion, by: actor, at: now,
                                         address: address, in: sql)
        }
    }

    /// `updateContact` inside a transaction that may write more (import), once access is checked.
    static func changeContact(_ id: Contact.ID, _ patch: ContactPatch, problems: ValidationFailure.Collector, country: String,
                              expectedVersion: Int64?, by actor: Actor, at now: Date, address: String?, in sql: any SQLDatabase) async throws -> Contact {
        try await sql.lockForChange("contacts", id: id.rawValue)
        let old = try await Self.contact(id, in: sql)
        try VersionConflict.check(.contact, id: id.rawValue, expected: expectedVersion, current: old.version)
        var errors = problems
        var new = patch.applied(to: old, country: country, into: &errors)
        try await Self.checkAccount(of: new, changedFrom: old, for: actor, action: .update, in: sql, into: &errors)
        new.custom = try await Self.customValues(.contact, applying: patch.custom, to: old.custom, isNew: false, in: sql, into: &errors)
        try errors.finish()
        let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new)) + Self.customChanges(old.custom, new.custom)
        guard !changes.isEmpty else { return old }
        new.version = old.version + 1
        new.updatedAt = now
        try await sql.raw("""
            UPDATE contacts SET account_id = \(bind: new.accountID?.rawValue), name = \(bind: new.name),
                position = \(bind: new.position), phone = \(bind: new.phone), email = \(bind: new.email),
                updated_at = \(bind: now.epochMilliseconds), version = version + 1
            WHERE id = \(bind: id.rawValue)
            """).run()
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "contact",
                                        entityID: id.rawValue, changes: changes, address: address), in: sql)
        try await Self.writeChannels(of: new, replacing: old, in: sql)
        try await Self.writeCustomValues(.contact, id: id.rawValue, values: new.custom, old: old.custom, in: sql)
        try await SearchIndex.update(.contact, id: id.rawValue, terms: SearchTerms.contact(name: new.name, channels: new.channels), in: sql)
        return new
    }

    /// Deletes a contact nobody has worked with; one on leads, deals or activities keeps its history.
    public func deleteContact(_ id: Contact.ID, expectedVersion: Int64?, by actor: Actor, at now: Date,
                              address: String? = nil) async throws {
        try await requireAccess(actor, .delete, .contact, id: id.rawValue)
        try await write { sql in
            try await sql.lockForChange("contacts", id: id.rawValue)
            let old = try await Self.contact(id, in: sql)
            try VersionConflict.check(.contact, id: id.rawValue, expected: expectedVersion, current: old.version)
            try await DeletionRules.clear("contacts", id: id.rawValue, kind: "contact", in: sql)
            try await Self.deleteCustomValues(.contact, id: id.rawValue, in: sql)
            try await sql.raw("DELETE FROM contacts WHERE id = \(bind: id.rawValue)").run()
            try await SearchIndex.remove(.contact, id: id.rawValue, in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "contact",
                                            entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)),
                                            address: address), in: sql)
        }
    }

    /// The company's country for reading national phone numbers (`company.default_country`, Sweden unless set).
    public func defaultCountry() async throws -> String {
        try await Settings.get("company.default_country", in: self) ?? "SE"
    }

    // MARK: - Rows

    static let contactColumns = "r.id, r.account_id, r.name, r.position, r.phone, r.email, r.created_at, r.updated_at, r.version"
    static let contactList = RecordList(kind: .contact, table: "contacts", columns: contactColumns, sorts: [
        ("name", .text("name")), ("created", .number("created_at"))], defaultSort: ListSort("name"))

    static func contact(from row: any SQLRow) throws -> Contact {
        Contact(id: .init(try row.decode(column: "id", as: Int64.self)),
                accountID: try row.decode(column: "account_id", as: Int64?.self).map { Account.ID($0) },
                name: try row.decode(column: "name", as: String.self), position: try row.decode(column: "position", as: String?.self),
                phone: try row.decode(column: "phone", as: String?.self), email: try row.decode(column: "email", as: String?.self),
                createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                updatedAt: Date(epochMilliseconds: try row.decode(column: "updated_at", as: Int64.self)),
                version: try row.decode(column: "version", as: Int64.self))
    }

    static func contact(_ id: Contact.ID, in sql: any SQLDatabase) async throws -> Contact {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: contactColumns) FROM contacts AS r WHERE r.id = \(bind: id.rawValue)").first()
        else { throw AccessDenied.notFound(.contact, id: id.rawValue) }
        return try await withChannels([try contact(from: row)], in: sql)[0]
    }

    /// The contacts with all their phones, emails and handles: one query for a whole page.
    static func withChannels(_ contacts: [Contact], in sql: any SQLDatabase) async throws -> [Contact] {
        guard !contacts.isEmpty else { return contacts }
        let ids = SQLGroupExpression(SQLList(contacts.map { SQLBind($0.id.rawValue) }))
        var channels: [Int64: [ContactChannel]] = [:]
        for row in try await sql.raw("""
            SELECT contact_id, kind, value, label FROM contact_channels WHERE contact_id IN \(ids) ORDER BY contact_id, position
            """).all() {
            let kind = ContactChannel.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other
            channels[try row.decode(column: "contact_id", as: Int64.self), default: []].append(
                ContactChannel(kind: kind, value: try row.decode(column: "value", as: String.self),
                               label: try row.decode(column: "label", as: String?.self)))
        }
        let reachable = contacts.map { contact in
            var contact = contact
            contact.channels = channels[contact.id.rawValue] ?? []
            return contact
        }
        return try await withCustom(reachable, .contact, id: \.id.rawValue, set: { $0.custom = $1 }, in: sql)
    }

    static func writeChannels(of contact: Contact, replacing old: Contact?, in sql: any SQLDatabase) async throws {
        guard contact.channels != old?.channels ?? [] else { return }
        try await sql.raw("DELETE FROM contact_channels WHERE contact_id = \(bind: contact.id.rawValue)").run()
        for (position, channel) in contact.channels.enumerated() {
            try await sql.raw("""
                INSERT INTO contact_channels (contact_id, position, kind, value, label)
                VALUES (\(bind: contact.id.rawValue), \(bind: position), \(bind: channel.kind.rawValue), \(bind: channel.value),
                        \(bind: channel.label))
                """).run()
        }
    }

    static func fields(of contact: Contact) -> [(String, String?)] {
        let others = contact.channels.filter { !($0.kind == .phone && $0.value == contact.phone) && !($0.kind == .email && $0.value == contact.email) }
        return [("account", contact.accountID?.description), ("name", contact.name), ("position", contact.position),
                ("phone", contact.phone), ("email", contact.email),
                ("otherChannels", others.isEmpty ? nil : others.map { "\($0.kind.rawValue) \($0.value)" }.joined(separator: ", "))]
    }

    /// The contact's (new) account must exist, be visible, and belong to someone the actor may give contacts to; an
    /// account the actor cannot see reads as missing.
    private static func checkAccount(of contact: Contact, changedFrom old: Contact?, for actor: Actor, action: AccessAction,
                                     in sql: any SQLDatabase, into errors: inout ValidationFailure.Collector) async throws {
        guard let account = contact.accountID, account != old?.accountID else { return }
        let row = try await sql.raw("SELECT owner_id FROM accounts WHERE id = \(bind: account.rawValue)").first()
        let owner = try row?.decode(column: "owner_id", as: Int64?.self).map { User.ID($0) }
        guard row != nil, AccessPolicy.allows(actor, .read, .account, owner: owner) else {
            errors.check(false, "accountId", "no account \(account)")
            return
        }
        errors.check(AccessPolicy.allows(actor, action, .contact, owner: owner), "accountId",
                     "you may not add contacts to account \(account)")
    }
}
