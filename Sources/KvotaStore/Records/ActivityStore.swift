import Foundation
import KvotaCore
import SQLKit

public struct ActivityFilter: Hashable, PagedFilter {
    public var kind: ActivityKind?
    public var ownerID: User.ID?
    public var accountID: Account.ID?
    public var dealID: Deal.ID?
    public var contactID: Contact.ID?
    public var leadID: Lead.ID?
    /// Tasks and meetings still to do (`false`) or done (`true`).
    public var done: Bool?
    /// Only what happened before this moment: a record page's older window of its timeline.
    public var occurredBefore: Date?
    public var custom: [CustomCondition] = []
    public var limit: Int = PageSize.standard
    public var cursor: String?
    public var sort: ListSort?

    public init(kind: ActivityKind? = nil, ownerID: User.ID? = nil, accountID: Account.ID? = nil, dealID: Deal.ID? = nil,
                leadID: Lead.ID? = nil, done: Bool? = nil) {
        self.kind = kind; self.ownerID = ownerID; self.accountID = accountID; self.dealID = dealID; self.leadID = leadID
        self.done = done
    }
}

/// Activities: calls, meetings, tasks, notes and messages, newest first. The first outbound call, message or meeting
/// on a lead sets the lead's first-response time, in the same transaction.
extension Database {
    public func activities(_ filter: ActivityFilter, for actor: Actor, action: AccessAction = .list) async throws -> RecordPage<Activity> {
        var filters: [SQLQueryString] = []
        if let kind = filter.kind { filters.append("r.kind = \(bind: kind.rawValue)") }
        if let contact = filter.contactID { filters.append("r.contact_id = \(bind: contact.rawValue)") }
        if let owner = filter.ownerID { filters.append("r.owner_id = \(bind: owner.rawValue)") }
        if let account = filter.accountID { filters.append("r.account_id = \(bind: account.rawValue)") }
        if let deal = filter.dealID { filters.append("r.deal_id = \(bind: deal.rawValue)") }
        if let lead = filter.leadID { filters.append("r.lead_id = \(bind: lead.rawValue)") }
        if let before = filter.occurredBefore { filters.append("r.occurred_at < \(bind: before.epochMilliseconds)") }
        if let done = filter.done { filters.append(done ? "r.done_at IS NOT NULL" : "(r.done_at IS NULL AND r.kind IN ('task', 'meeting'))") }
        filters += try await Self.customConditions(.activity, filter.custom, in: self)
        var page = try await page(Self.activityList, filters: filters, paging: filter, for: actor, action: action, decode: Self.activity(from:))
        page.items = try await read { sql in
            try await Self.withCustom(page.items, .activity, id: \.id.rawValue, set: { $0.custom = $1 }, in: sql)
        }
        return page
    }

    public func activity(_ id: Activity.ID, for actor: Actor) async throws -> Activity {
        try await requireAccess(actor, .read, .activity, id: id.rawValue)
        return try await read { sql in try await Self.activity(id, in: sql) }
    }

    public func addActivity(_ patch: ActivityPatch, problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                            address: String? = nil) async throws -> Activity {
        _ = try AccessPolicy.require(actor, .create, .activity)
        let country = try await defaultCountry()
        let zone = try await companyTimeZone()
        return try await write { sql in
            let activity = try await Self.insertActivity(patch, problems: problems, country: country, zone: zone, by: actor, at: now,
                                                         address: address, in: sql)
            try await Self.recheckAlerts(after: activity, at: now, zone: zone, in: sql)
            return activity
        }
    }

    /// `addActivity` inside a transaction that may write more (import).
    static func insertActivity(_ patch: ActivityPatch, problems: ValidationFailure.Collector, country: String, zone: TimeZone,
                               by actor: Actor, at now: Date, address: String?, in sql: any SQLDatabase) async throws -> Activity {
        let scope = try AccessPolicy.require(actor, .create, .activity)
        var patch = patch
        if patch.ownerID == nil { patch.ownerID = actor.userID }
        var errors = problems
        if !errors.errors.contains(where: { $0.field == "kind" }) { errors.check(patch.kind != nil, "kind", "is required") }
        let blank = Activity(id: 0, kind: patch.kind ?? .note, ownerID: actor.userID, accountID: nil, contactID: nil, dealID: nil,
                             leadID: nil, subject: "", occurredAt: now, dueAt: nil, doneAt: nil, call: nil)
        var activity = patch.applied(to: blank, country: country, now: now, into: &errors)
        if !scope.allows(owner: activity.ownerID) { errors.check(false, "ownerId", "you may not add activities for this owner") }
        try await Self.checkLinks(of: activity, changedFrom: nil, for: actor, in: sql, into: &errors)
        try await Self.checkOwner(activity.ownerID, changedFrom: actor.userID, in: sql, into: &errors)
        activity.custom = try await Self.customValues(.activity, applying: patch.custom, to: [:], isNew: true, in: sql, into: &errors)
        try errors.finish()
        let row = try await sql.raw("""
            INSERT INTO activities (kind, owner_id, account_id, contact_id, deal_id, lead_id, subject, occurred_at, occurred_on,
                                    due_at, done_at, call_direction, call_disposition, external_number, talk_seconds)
            VALUES (\(bind: activity.kind.rawValue), \(bind: activity.ownerID.rawValue), \(bind: activity.accountID?.rawValue),
                    \(bind: activity.contactID?.rawValue), \(bind: activity.dealID?.rawValue), \(bind: activity.leadID?.rawValue),
                    \(bind: activity.subject), \(bind: activity.occurredAt.epochMilliseconds),
                    \(bind: LocalDate(activity.occurredAt, in: zone).key), \(bind: activity.dueAt?.epochMilliseconds),
                    \(bind: activity.doneAt?.epochMilliseconds), \(bind: activity.call?.direction.rawValue),
                    \(bind: activity.call?.disposition.rawValue), \(bind: activity.call?.externalNumber),
                    \(bind: activity.call?.talkSeconds))
            RETURNING id
            """).first()
        activity.id = Activity.ID(try row!.decode(column: "id", as: Int64.self))
        try await Self.noteFirstResponse(activity, in: sql)
        try await Self.writeCustomValues(.activity, id: activity.id.rawValue, values: activity.custom, old: [:], in: sql)
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "activity",
                                        entityID: activity.id.rawValue,
                                        changes: AuditLog.created(Self.fields(of: activity)) + Self.customChanges([:], activity.custom),
                                        address: address), in: sql)
        return activity
    }

    public func updateActivity(_ id: Activity.ID, _ patch: ActivityPatch, problems: ValidationFailure.Collector = .init(),
                               expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws -> Activity {
        try await requireAccess(actor, .update, .activity, id: id.rawValue)
        let country = try await defaultCountry()
        let zone = try await companyTimeZone()
        return try await write { sql in
            let activity = try await Self.changeActivity(id, patch, problems: problems, country: country, zone: zone,
                                                         expectedVersion: expectedVersion, by: actor, at: now, address: address, in: sql)
            try await Self.recheckAlerts(after: activity, at: now, zone: zone, in: sql)
            return activity
        }
    }

    /// `updateActivity` inside a transaction that may write more (import), once access is checked.
    static func changeActivity(_ id: Activity.ID, _ patch: ActivityPatch, problems: ValidationFailure.Collector, country: String, zone: TimeZone,
                               expectedVersion: Int64?, by actor: Actor, at now: Date, address: String?, in sql: any SQLDatabase) async throws -> Activity {
        try await sql.lockForChange("activities", id: id.rawValue)
        let old = try await Self.activity(id, in: sql)
        try VersionConflict.check(.activity, id: id.rawValue, expected: expectedVersion, current: old.version)
        var errors = problems
        errors.check(patch.kind == nil || patch.kind == old.kind, "kind", "an activity keeps its kind; add a new one instead")
        var new = patch.applied(to: old, country: country, now: now, into: &errors)
        if new.ownerID != old.ownerID, !AccessPolicy.allows(actor, .update, .activity, owner: new.ownerID) {
            errors.check(false, "ownerId", "you may not give activities to this owner")
        }
        try await Self.checkLinks(of: new, changedFrom: old, for: actor, in: sql, into: &errors)
        try await Self.checkOwner(new.ownerID, changedFrom: old.ownerID, in: sql, into: &errors)
        new.custom = try await Self.customValues(.activity, applying: patch.custom, to: old.custom, isNew: false, in: sql, into: &errors)
        try errors.finish()
        let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new)) + Self.customChanges(old.custom, new.custom)
        guard !changes.isEmpty else { return old }
        new.version = old.version + 1
        try await sql.raw("""
            UPDATE activities SET owner_id = \(bind: new.ownerID.rawValue), account_id = \(bind: new.accountID?.rawValue),
                contact_id = \(bind: new.contactID?.rawValue), deal_id = \(bind: new.dealID?.rawValue),
                lead_id = \(bind: new.leadID?.rawValue), subject = \(bind: new.subject),
                occurred_at = \(bind: new.occurredAt.epochMilliseconds), occurred_on = \(bind: LocalDate(new.occurredAt, in: zone).key),
                due_at = \(bind: new.dueAt?.epochMilliseconds), done_at = \(bind: new.doneAt?.epochMilliseconds),
                call_direction = \(bind: new.call?.direction.rawValue), call_disposition = \(bind: new.call?.disposition.rawValue),
                external_number = \(bind: new.call?.externalNumber), talk_seconds = \(bind: new.call?.talkSeconds),
                version = version + 1
            WHERE id = \(bind: id.rawValue)
            """).run()
        try await Self.noteFirstResponse(new, in: sql)
        try await Self.writeCustomValues(.activity, id: id.rawValue, values: new.custom, old: old.custom, in: sql)
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "activity", entityID: id.rawValue,
                                        changes: changes, address: address), in: sql)
        return new
    }

    public func deleteActivity(_ id: Activity.ID, expectedVersion: Int64?, by actor: Actor, at now: Date,
                               address: String? = nil) async throws {
        try await requireAccess(actor, .delete, .activity, id: id.rawValue)
        try await write { sql in
            try await sql.lockForChange("activities", id: id.rawValue)
            let old = try await Self.activity(id, in: sql)
            try VersionConflict.check(.activity, id: id.rawValue, expected: expectedVersion, current: old.version)
            try await Self.deleteCustomValues(.activity, id: id.rawValue, in: sql)
            try await DeletionRules.clear("activities", id: id.rawValue, kind: "activity", in: sql)
            try await sql.raw("DELETE FROM activities WHERE id = \(bind: id.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "activity", entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)), address: address), in: sql)
        }
    }

    // MARK: - Rows

    static let activityColumns = """
        r.id, r.kind, r.owner_id, r.account_id, r.contact_id, r.deal_id, r.lead_id, r.subject, r.occurred_at, r.due_at, r.done_at, \
        r.call_direction, r.call_disposition, r.external_number, r.talk_seconds, r.version
        """
    static let activityList = RecordList(kind: .activity, table: "activities", columns: activityColumns, sorts: [
        ("occurred", .number("occurred_at"))], defaultSort: ListSort("occurred", descending: true))

    static func activity(from row: any SQLRow) throws -> Activity {
        let kindKey = try row.decode(column: "kind", as: String.self)
        guard let kind = ActivityKind(rawValue: kindKey) else { throw StoreError.query("activities.kind: unknown kind '\(kindKey)'") }
        func id(_ column: String) throws -> Int64? { try row.decode(column: column, as: Int64?.self) }
        var call: CallDetails?
        if let direction = try row.decode(column: "call_direction", as: String?.self).flatMap(CallDirection.init(rawValue:)),
           let disposition = try row.decode(column: "call_disposition", as: String?.self).flatMap(CallDisposition.init(rawValue:)) {
            call = CallDetails(direction: direction, disposition: disposition,
                               externalNumber: try row.decode(column: "external_number", as: String?.self),
                               talkSeconds: try row.decode(column: "talk_seconds", as: Int?.self) ?? 0)
        }
        return Activity(id: .init(try id("id")!), kind: kind, ownerID: .init(try id("owner_id")!),
                        accountID: try id("account_id").map { Account.ID($0) }, contactID: try id("contact_id").map { Contact.ID($0) },
                        dealID: try id("deal_id").map { Deal.ID($0) }, leadID: try id("lead_id").map { Lead.ID($0) },
                        subject: try row.decode(column: "subject", as: String.self),
                        occurredAt: Date(epochMilliseconds: try id("occurred_at")!), dueAt: try id("due_at").map(Date.init(epochMilliseconds:)),
                        doneAt: try id("done_at").map(Date.init(epochMilliseconds:)), call: call,
                        version: try row.decode(column: "version", as: Int64.self))
    }

    static func activity(_ id: Activity.ID, in sql: any SQLDatabase) async throws -> Activity {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: activityColumns) FROM activities AS r WHERE r.id = \(bind: id.rawValue)").first()
        else { throw AccessDenied.notFound(.activity, id: id.rawValue) }
        return try await withCustom([try activity(from: row)], .activity, id: \.id.rawValue, set: { $0.custom = $1 }, in: sql)[0]
    }

    static func fields(of a: Activity) -> [(String, String?)] {
        [("kind", a.kind.rawValue), ("owner", a.ownerID.description), ("account", a.accountID?.description),
         ("contact", a.contactID?.description), ("deal", a.dealID?.description), ("lead", a.leadID?.description),
         ("subject", a.subject), ("occurredAt", String(a.occurredAt.epochMilliseconds)),
         ("dueAt", a.dueAt.map { String($0.epochMilliseconds) }), ("doneAt", a.doneAt.map { String($0.epochMilliseconds) }),
         ("callDirection", a.call?.direction.rawValue), ("callDisposition", a.call?.disposition.rawValue),
         ("externalNumber", a.call?.externalNumber), ("talkSeconds", a.call.map { String($0.talkSeconds) })]
    }

    /// Every record an activity is linked to must be one the actor can see; one they cannot reads as missing.
    private static func checkLinks(of activity: Activity, changedFrom old: Activity?, for actor: Actor, in sql: any SQLDatabase,
                                   into errors: inout ValidationFailure.Collector) async throws {
        let links: [(RecordKind, Int64?, Int64?, String)] = [
            (.account, activity.accountID?.rawValue, old?.accountID?.rawValue, "accountId"),
            (.contact, activity.contactID?.rawValue, old?.contactID?.rawValue, "contactId"),
            (.deal, activity.dealID?.rawValue, old?.dealID?.rawValue, "dealId"),
            (.lead, activity.leadID?.rawValue, old?.leadID?.rawValue, "leadId"),
        ]
        for (kind, id, previous, field) in links {
            guard let id, id != previous, let table = RecordAccess.table(kind) else { continue }
            let row = try await sql.raw("""
                SELECT \(RecordAccess.ownerExpression(kind, row: "r")) AS owner FROM \(ident: table) AS r WHERE r.id = \(bind: id)
                """).first()
            let owner = try row?.decode(column: "owner", as: Int64?.self).map { User.ID($0) }
            errors.check(row != nil && AccessPolicy.allows(actor, .read, kind, owner: owner), field, "no \(kind) \(id)")
        }
    }

    private static func noteFirstResponse(_ activity: Activity, in sql: any SQLDatabase) async throws {
        guard let lead = activity.leadID, ActivityPatch.respondsToLead(activity) else { return }
        let at = activity.occurredAt.epochMilliseconds
        try await sql.raw("""
            UPDATE leads SET first_response_at = \(bind: at), version = version + 1
            WHERE id = \(bind: lead.rawValue) AND received_at <= \(bind: at) AND (first_response_at IS NULL OR first_response_at > \(bind: at))
            """).run()
    }
}
