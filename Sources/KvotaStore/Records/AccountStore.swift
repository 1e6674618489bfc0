import Foundation
import KvotaCore
import SQLKit

/// Which accounts a list shows. Every filter narrows what the access policy already allows.
public struct AccountFilter: Hashable, PagedFilter {
    public var ownerID: User.ID?
    public var regionID: Region.ID?
    public var channelID: Channel.ID?
    /// Accounts with this tag (any case).
    public var tag: String?
    public var custom: [CustomCondition] = []
    /// Part of the name (any case), or the legal id.
    public var text: String?
    public var limit: Int = PageSize.standard
    public var cursor: String?
    public var sort: ListSort?

    public init(ownerID: User.ID? = nil, regionID: Region.ID? = nil, channelID: Channel.ID? = nil, text: String? = nil,
                limit: Int = PageSize.standard, cursor: String? = nil) {
        self.ownerID = ownerID; self.regionID = regionID; self.channelID = channelID; self.text = text
        self.limit = limit; self.cursor = cursor
    }
}

/// Accounts: lists, one record, adding, changing, deleting, each through the access policy and with its audit line.
extension Database {
    /// A page of the accounts the actor may list (or export), by name in any case.
    public func accounts(_ filter: AccountFilter, for actor: Actor, action: AccessAction = .list) async throws -> RecordPage<Account> {
        var filters: [SQLQueryString] = []
        if let owner = filter.ownerID { filters.append("r.owner_id = \(bind: owner.rawValue)") }
        if let region = filter.regionID { filters.append("r.region_id IN (\(Self.regionSubtree(region)))") }
        if let channel = filter.channelID { filters.append("r.channel_id = \(bind: channel.rawValue)") }
        if let tag = filter.tag.map({ AccountDetails.tags([$0]) })?.first {
            filters.append("r.id IN (SELECT account_id FROM account_tags WHERE tag = \(bind: tag))")
        }
        filters += try await Self.customConditions(.account, filter.custom, in: self)
        if let text = filter.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            filters.append("(" + lowered("r.name", for: text) + " LIKE \(bind: text.containsPattern) ESCAPE '\\' OR r.legal_id = \(bind: text))")
        }
        var page = try await page(Self.accountList, filters: filters, paging: filter, for: actor, action: action, decode: Self.account(from:))
        page.items = try await read { sql in try await Self.withDetails(page.items, in: sql) }
        return page
    }

    /// One account, if the actor may read it.
    public func account(_ id: Account.ID, for actor: Actor) async throws -> Account {
        try await requireAccess(actor, .read, .account, id: id.rawValue)
        return try await read { sql in try await Self.account(id, in: sql) }
    }

    /// Adds an account. Without an owner it belongs to the actor; a rep may only add their own, a head only their
    /// team's.
    public func addAccount(_ draft: AccountDraft, problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                           address: String? = nil) async throws -> Account {
        try await write { sql in try await Self.insertAccount(draft, problems: problems, by: actor, at: now, address: address, in: sql) }
    }

    /// `addAccount` inside a transaction that may write more (lead conversion, import).
    static func insertAccount(_ draft: AccountDraft, problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                              address: String?, in sql: any SQLDatabase) async throws -> Account {
        var draft = draft
        if draft.ownerID == nil, [.rep, .head].contains(actor.role) { draft.ownerID = actor.userID }
        let scope = try AccessPolicy.require(actor, .create, .account)
        var errors = problems
        if !scope.allows(owner: draft.ownerID) { errors.check(false, "ownerId", "you may not add accounts for this owner") }
        var proposed = draft.account(id: 0, at: now).normalised()
        proposed.check(into: &errors)
        try await Self.checkReferences(of: proposed, changedFrom: nil, in: sql, into: &errors)
        proposed.custom = try await Self.customValues(.account, applying: draft.custom, to: [:], isNew: true, in: sql, into: &errors)
        try errors.finish()
        let at = now.epochMilliseconds
        let row = try await sql.raw("""
            INSERT INTO accounts (name, legal_id, region_id, channel_id, owner_id, segment, notes, external_id, created_at, updated_at)
            VALUES (\(bind: proposed.name), \(bind: proposed.legalID), \(bind: proposed.regionID?.rawValue),
                    \(bind: proposed.channelID?.rawValue), \(bind: proposed.ownerID?.rawValue), \(bind: proposed.segment),
                    \(bind: proposed.notes), \(bind: proposed.externalID), \(bind: at), \(bind: at))
            RETURNING id
            """).first()
        var account = proposed
        account.id = Account.ID(try row!.decode(column: "id", as: Int64.self))
        try await Self.writeDetails(of: account, replacing: nil, in: sql)
        try await Self.writeCustomValues(.account, id: account.id.rawValue, values: account.custom, old: [:], in: sql)
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "account",
                                        entityID: account.id.rawValue,
                                        changes: AuditLog.created(Self.fields(of: account)) + Self.customChanges([:], account.custom),
                                        address: address), in: sql)
        try await SearchIndex.update(.account, id: account.id.rawValue, terms: SearchTerms.account(name: account.name, legalID: account.legalID),
                               in: sql)
        return account
    }

    /// Changes an account the actor may change; a new owner must be one the actor may give records to.
    public func updateAccount(_ id: Account.ID, _ patch: AccountPatch, problems: ValidationFailure.Collector = .init(),
                              expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws -> Account {
        try await requireAccess(actor, .update, .account, id: id.rawValue)
        return try await write { sql in
            try await Self.changeAccount(id, patch, problems: problems, expectedVersion: expectedVersion, by: actor, at: now,
                                         address: address, in: sql)
        }
    }

    /// `updateAccount` inside a transaction that may write more (import), once access is checked.
    static func changeAccount(_ id: Account.ID, _ patch: AccountPatch, problems: ValidationFailure.Collector, expectedVersion: Int64?,
                              by actor: Actor, at now: Date, address: String?, in sql: any SQLDatabase) async throws -> Account {
        try await sql.lockForChange("accounts", id: id.rawValue)
        let old = try await Self.account(id, in: sql)
        try VersionConflict.check(.account, id: id.rawValue, expected: expectedVersion, current: old.version)
        var new = patch.applied(to: old)
        var errors = problems
        new.check(into: &errors)
        if new.ownerID != old.ownerID, !AccessPolicy.allows(actor, .update, .account, owner: new.ownerID) {
            errors.check(false, "ownerId", "you may not give accounts to this owner")
        }
        try await Self.checkReferences(of: new, changedFrom: old, in: sql, into: &errors)
        new.custom = try await Self.customValues(.account, applying: patch.custom, to: old.custom, isNew: false, in: sql, into: &errors)
        try errors.finish()
        let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new)) + Self.customChanges(old.custom, new.custom)
        guard !changes.isEmpty else { return old }
        new.version = old.version + 1
        new.updatedAt = now
        try await sql.raw("""
            UPDATE accounts SET name = \(bind: new.name), legal_id = \(bind: new.legalID), region_id = \(bind: new.regionID?.rawValue),
                channel_id = \(bind: new.channelID?.rawValue), owner_id = \(bind: new.ownerID?.rawValue),
                segment = \(bind: new.segment), notes = \(bind: new.notes), external_id = \(bind: new.externalID),
                updated_at = \(bind: now.epochMilliseconds),
                version = version + 1
            WHERE id = \(bind: id.rawValue)
            """).run()
        try await Self.writeDetails(of: new, replacing: old, in: sql)
        try await Self.writeCustomValues(.account, id: id.rawValue, values: new.custom, old: old.custom, in: sql)
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "account",
                                        entityID: id.rawValue, changes: changes, address: address), in: sql)
        try await SearchIndex.update(.account, id: id.rawValue, terms: SearchTerms.account(name: new.name, legalID: new.legalID), in: sql)
        return new
    }

    /// Deletes an account nobody has worked with yet. One with contacts, leads, deals, orders or activities keeps its
    /// history: the answer names what holds it.
    public func deleteAccount(_ id: Account.ID, expectedVersion: Int64?, by actor: Actor, at now: Date,
                              address: String? = nil) async throws {
        try await requireAccess(actor, .delete, .account, id: id.rawValue)
        try await write { sql in
            try await sql.lockForChange("accounts", id: id.rawValue)
            let old = try await Self.account(id, in: sql)
            try VersionConflict.check(.account, id: id.rawValue, expected: expectedVersion, current: old.version)
            try await DeletionRules.clear("accounts", id: id.rawValue, kind: "account", in: sql)
            try await Self.deleteCustomValues(.account, id: id.rawValue, in: sql)
            try await sql.raw("DELETE FROM accounts WHERE id = \(bind: id.rawValue)").run()
            try await SearchIndex.remove(.account, id: id.rawValue, in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "account",
                                            entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)),
                                            address: address), in: sql)
        }
    }

    // MARK: - Rows

    static let accountColumns = """
        r.id, r.name, r.legal_id, r.region_id, r.channel_id, r.owner_id, r.segment, r.notes, r.external_id, r.created_at, r.updated_at, \
        r.version
        """
    static let accountList = RecordList(kind: .account, table: "accounts", columns: accountColumns, sorts: [
        ("name", .text("name")), ("created", .number("created_at"))], defaultSort: ListSort("name"))

    static func account(from row: any SQLRow) throws -> Account {
        var account = Account(id: .init(try row.decode(column: "id", as: Int64.self)), name: try row.decode(column: "name", as: String.self),
                              legalID: try row.decode(column: "legal_id", as: String?.self),
                              regionID: try row.decode(column: "region_id", as: Int64?.self).map { Region.ID($0) },
                              channelID: try row.decode(column: "channel_id", as: Int64?.self).map { Channel.ID($0) },
                              ownerID: try row.decode(column: "owner_id", as: Int64?.self).map { User.ID($0) },
                              segment: try row.decode(column: "segment", as: String?.self), notes: try row.decode(column: "notes", as: String?.self),
                              createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                              updatedAt: Date(epochMilliseconds: try row.decode(column: "updated_at", as: Int64.self)),
                              version: try row.decode(column: "version", as: Int64.self))
        account.externalID = try row.decode(column: "external_id", as: String?.self)
        return account
    }

    static func account(_ id: Account.ID, in sql: any SQLDatabase) async throws -> Account {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: accountColumns) FROM accounts AS r WHERE r.id = \(bind: id.rawValue)").first()
        else { throw AccessDenied.notFound(.account, id: id.rawValue) }
        return try await withDetails([try account(from: row)], in: sql)[0]
    }

    /// The accounts with their tags and addresses: two queries for a whole page.
    static func withDetails(_ accounts: [Account], in sql: any SQLDatabase) async throws -> [Account] {
        guard !accounts.isEmpty else { return accounts }
        let ids = SQLGroupExpression(SQLList(accounts.map { SQLBind($0.id.rawValue) }))
        var tags: [Int64: [String]] = [:]
        for row in try await sql.raw("SELECT account_id, tag FROM account_tags WHERE account_id IN \(ids) ORDER BY account_id, tag").all() {
            tags[try row.decode(column: "account_id", as: Int64.self), default: []].append(try row.decode(column: "tag", as: String.self))
        }
        var addresses: [Int64: [Address]] = [:]
        for row in try await sql.raw("""
            SELECT account_id, kind, street, postcode, city, country FROM account_addresses WHERE account_id IN \(ids)
            ORDER BY account_id, position
            """).all() {
            let kind = try row.decode(column: "kind", as: String.self)
            addresses[try row.decode(column: "account_id", as: Int64.self), default: []].append(
                Address(kind: Address.Kind(rawValue: kind) ?? .other, street: try row.decode(column: "street", as: String?.self),
                        postcode: try row.decode(column: "postcode", as: String?.self), city: try row.decode(column: "city", as: String?.self),
                        country: try row.decode(column: "country", as: String?.self)))
        }
        let detailed = accounts.map { account in
            var account = account
            account.tags = tags[account.id.rawValue] ?? []
            account.addresses = addresses[account.id.rawValue] ?? []
            return account
        }
        return try await withCustom(detailed, .account, id: \.id.rawValue, set: { $0.custom = $1 }, in: sql)
    }

    /// Writes an account's tags and addresses where they differ from `old`'s.
    static func writeDetails(of account: Account, replacing old: Account?, in sql: any SQLDatabase) async throws {
        let id = account.id.rawValue
        if account.tags != old?.tags ?? [] {
            try await sql.raw("DELETE FROM account_tags WHERE account_id = \(bind: id)").run()
            for tag in account.tags {
                try await sql.raw("INSERT INTO account_tags (account_id, tag) VALUES (\(bind: id), \(bind: tag))").run()
            }
        }
        if account.addresses != old?.addresses ?? [] {
            try await sql.raw("DELETE FROM account_addresses WHERE account_id = \(bind: id)").run()
            for (position, a) in account.addresses.enumerated() {
                try await sql.raw("""
                    INSERT INTO account_addresses (account_id, position, kind, street, postcode, city, country)
                    VALUES (\(bind: id), \(bind: position), \(bind: a.kind.rawValue), \(bind: a.street), \(bind: a.postcode),
                            \(bind: a.city), \(bind: a.country))
                    """).run()
            }
        }
    }

    static func fields(of account: Account) -> [(String, String?)] {
        [("name", account.name), ("legalId", account.legalID), ("externalId", account.externalID), ("region", account.regionID?.description),
         ("channel", account.channelID?.description), ("owner", account.ownerID?.description), ("segment", account.segment),
         ("tags", account.tags.isEmpty ? nil : account.tags.joined(separator: ", ")), ("notes", account.notes),
         ("addresses", account.addresses.isEmpty ? nil : account.addresses.map {
             [$0.kind.rawValue + ":", $0.street, $0.postcode, $0.city, $0.country].compactMap { $0 }.joined(separator: " ")
         }.joined(separator: "; "))]
    }

    /// What only the database knows: the legal id is free, and region, channel and owner exist (checked when changed).
    private static func checkReferences(of account: Account, changedFrom old: Account?, in sql: any SQLDatabase,
                                        into errors: inout ValidationFailure.Collector) async throws {
        if let external = account.externalID, external != old?.externalID {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM accounts WHERE external_id = \(bind: external)") == 0,
                         "externalId", "'\(external)' is already another account's external id")
        }
        if let legal = account.legalID, legal != old?.legalID {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM accounts WHERE legal_id = \(bind: legal)") == 0,
                         "legalId", "'\(legal)' is already another account's legal id")
        }
        if let region = account.regionID, region != old?.regionID {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM regions WHERE id = \(bind: region.rawValue)") == 1,
                         "regionId", "no region \(region)")
        }
        if let channel = account.channelID, channel != old?.channelID {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM channels WHERE id = \(bind: channel.rawValue)") == 1,
                         "channelId", "no channel \(channel)")
        }
        if let owner = account.ownerID, owner != old?.ownerID {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: owner.rawValue) AND active = \(bind: true)") == 1,
                         "ownerId", "no active user \(owner)")
        }
    }
}
