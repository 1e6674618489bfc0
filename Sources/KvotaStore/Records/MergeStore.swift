import Foundation
import KvotaCore
import SQLKit

/// Merging a duplicate into the record that stays: everything that pointed at the duplicate (people, deals, leads,
/// orders, activities) points at the survivor, what the survivor lacked is taken from the duplicate, and the
/// duplicate is deleted — in one transaction, with an audit line on both. The duplicate's own audit history stays
/// under its id, and the survivor's line names it.
extension Database {
    public func mergeContact(_ duplicate: Contact.ID, into survivor: Contact.ID, expectedVersion: Int64?, by actor: Actor, at now: Date,
                             address: String? = nil) async throws -> Contact {
        try await checkMerge(.contact, duplicate.rawValue, into: survivor.rawValue, by: actor)
        return try await write { sql in
            // Both rows, in id order, so that two merges of the same pair cannot wait for each other.
            for id in [survivor.rawValue, duplicate.rawValue].sorted() { try await sql.lockForChange("contacts", id: id) }
            let keep = try await Self.contact(survivor, in: sql)
            let gone = try await Self.contact(duplicate, in: sql)
            try VersionConflict.check(.contact, id: survivor.rawValue, expected: expectedVersion, current: keep.version)
            guard keep.accountID == gone.accountID else {
                throw ValidationFailure([.invalid(field: "from", reason: "contact \(duplicate) is at another account; merge the accounts first")])
            }
            try await Self.moveHistory(of: "contacts", from: duplicate.rawValue, to: survivor.rawValue, in: sql)
            var merged = keep
            if merged.position == nil { merged.position = gone.position }
            for channel in gone.channels where !merged.channels.contains(where: { $0.kind == channel.kind && $0.value == channel.value }) {
                merged.channels.append(channel)
            }
            merged.channels = Array(merged.channels.prefix(20))
            merged.custom = keep.custom.merging(gone.custom) { kept, _ in kept }
            merged.syncPrimary()
            merged.version = keep.version + 1
            merged.updatedAt = now
            try await sql.raw("""
                UPDATE contacts SET position = \(bind: merged.position), phone = \(bind: merged.phone), email = \(bind: merged.email),
                    updated_at = \(bind: now.epochMilliseconds), version = version + 1
                WHERE id = \(bind: survivor.rawValue)
                """).run()
            try await Self.writeChannels(of: merged, replacing: keep, in: sql)
            try await Self.deleteCustomValues(.contact, id: duplicate.rawValue, in: sql)
            try await Self.writeCustomValues(.contact, id: survivor.rawValue, values: merged.custom, old: keep.custom, in: sql)
            try await sql.raw("DELETE FROM contact_channels WHERE contact_id = \(bind: duplicate.rawValue)").run()
            try await sql.raw("DELETE FROM contacts WHERE id = \(bind: duplicate.rawValue)").run()
            try await SearchIndex.remove(.contact, id: duplicate.rawValue, in: sql)
            try await SearchIndex.update(.contact, id: survivor.rawValue, terms: SearchTerms.contact(name: merged.name, channels: merged.channels),
                                         in: sql)
            try await Self.auditMerge(entity: "contact", gone: duplicate.rawValue, goneFields: Self.fields(of: gone), keep: survivor.rawValue,
                                      changes: AuditLog.diff(Self.fields(of: keep), Self.fields(of: merged))
                                          + Self.customChanges(keep.custom, merged.custom), by: actor, at: now, address: address, in: sql)
            return merged
        }
    }

    public func mergeAccount(_ duplicate: Account.ID, into survivor: Account.ID, expectedVersion: Int64?, by actor: Actor, at now: Date,
                             address: String? = nil) async throws -> Account {
        try await checkMerge(.account, duplicate.rawValue, into: survivor.rawValue, by: actor)
        return try await write { sql in
            // Both rows, in id order, so that two merges of the same pair cannot wait for each other.
            for id in [survivor.rawValue, duplicate.rawValue].sorted() { try await sql.lockForChange("accounts", id: id) }
            let keep = try await Self.account(survivor, in: sql)
            let gone = try await Self.account(duplicate, in: sql)
            try VersionConflict.check(.account, id: survivor.rawValue, expected: expectedVersion, current: keep.version)
            let movedOrders = try await sql.raw("SELECT id FROM orders WHERE account_id = \(bind: duplicate.rawValue)").all()
                .map { try $0.decode(column: "id", as: Int64.self) }
            let change = try await SalesRollups.takeOff(orders: movedOrders, in: sql)
            try await Self.moveHistory(of: "accounts", from: duplicate.rawValue, to: survivor.rawValue, in: sql)
            try await SalesRollups.putOn(orders: movedOrders, after: change, in: sql)
            var merged = keep
            merged.legalID = keep.legalID ?? gone.legalID
            merged.externalID = keep.externalID ?? gone.externalID
            merged.regionID = keep.regionID ?? gone.regionID
            merged.channelID = keep.channelID ?? gone.channelID
            merged.segment = keep.segment ?? gone.segment
            merged.tags = AccountDetails.tags(keep.tags + gone.tags)
            merged.addresses = Array((keep.addresses + gone.addresses.filter { !keep.addresses.contains($0) }).prefix(10))
            merged.notes = [keep.notes, gone.notes].compactMap { $0 }.joined(separator: "\n\n")
            merged.custom = keep.custom.merging(gone.custom) { kept, _ in kept }
            merged = merged.normalised()
            merged.version = keep.version + 1
            merged.updatedAt = now
            try await sql.raw("DELETE FROM account_tags WHERE account_id = \(bind: duplicate.rawValue)").run()
            try await sql.raw("DELETE FROM account_addresses WHERE account_id = \(bind: duplicate.rawValue)").run()
            try await Self.deleteCustomValues(.account, id: duplicate.rawValue, in: sql)
            try await sql.raw("DELETE FROM accounts WHERE id = \(bind: duplicate.rawValue)").run()
            try await sql.raw("""
                UPDATE accounts SET legal_id = \(bind: merged.legalID), external_id = \(bind: merged.externalID),
                    region_id = \(bind: merged.regionID?.rawValue),
                    channel_id = \(bind: merged.channelID?.rawValue), segment = \(bind: merged.segment), notes = \(bind: merged.notes),
                    updated_at = \(bind: now.epochMilliseconds), version = version + 1
                WHERE id = \(bind: survivor.rawValue)
                """).run()
            try await Self.writeDetails(of: merged, replacing: keep, in: sql)
            try await Self.writeCustomValues(.account, id: survivor.rawValue, values: merged.custom, old: keep.custom, in: sql)
            try await SearchIndex.remove(.account, id: duplicate.rawValue, in: sql)
            try await SearchIndex.update(.account, id: survivor.rawValue, terms: SearchTerms.account(name: merged.name, legalID: merged.legalID),
                                         in: sql)
            try await Self.auditMerge(entity: "account", gone: duplicate.rawValue, goneFields: Self.fields(of: gone), keep: survivor.rawValue,
                                      changes: AuditLog.diff(Self.fields(of: keep), Self.fields(of: merged))
                                          + Self.customChanges(keep.custom, merged.custom), by: actor, at: now, address: address, in: sql)
            return merged
        }
    }

    /// Everything that keeps the duplicate's history (`DeletionRules`) now points at the record that stays.
    private static func moveHistory(of table: String, from duplicate: Int64, to survivor: Int64, in sql: any SQLDatabase) async throws {
        for (referrer, column) in DeletionRules.history(of: table) {
            try await sql.raw("UPDATE \(ident: referrer) SET \(ident: column) = \(bind: survivor) WHERE \(ident: column) = \(bind: duplicate)").run()
        }
    }

    /// Both records must be ones the actor may change, and two different ones.
    private func checkMerge(_ kind: RecordKind, _ duplicate: Int64, into survivor: Int64, by actor: Actor) async throws {
        try await requireAccess(actor, .update, kind, id: survivor)
        guard duplicate != survivor else { throw ValidationFailure([.invalid(field: "from", reason: "a record cannot be merged into itself")]) }
        do {
            try await requireAccess(actor, .update, kind, id: duplicate)
        } catch let denied as AccessDenied {
            // The duplicate is named in the body, not the path: an unknown or hidden one is a field problem.
            if case .notFound = denied { throw ValidationFailure([.invalid(field: "from", reason: "no \(kind) \(duplicate)")]) }
            throw denied
        }
    }

    private static func auditMerge(entity: String, gone: Int64, goneFields: [(String, String?)], keep: Int64, changes: [AuditEntry.FieldChange],
                                   by actor: Actor, at now: Date, address: String?, in sql: any SQLDatabase) async throws {
        var deleted = AuditLog.deleted(goneFields)
        deleted.append(.init("mergedInto", old: nil, new: "\(entity) \(keep)"))
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: entity, entityID: gone, changes: deleted,
                                        address: address), in: sql)
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: entity, entityID: keep,
                                        changes: changes + [.init("mergedFrom", old: nil, new: "\(entity) \(gone)")], address: address), in: sql)
    }
}
