import Foundation
import KvotaCore
import SQLKit

public struct LeadFilter: Hashable, PagedFilter {
    public var ownerID: User.ID?
    public var status: LeadStatus?
    public var source: LeadSource?
    /// Part of the name or company (any case), an email, or a phone number in any format.
    public var text: String?
    public var custom: [CustomCondition] = []
    public var limit: Int = PageSize.standard
    public var cursor: String?
    public var sort: ListSort?

    public init(ownerID: User.ID? = nil, status: LeadStatus? = nil, source: LeadSource? = nil, text: String? = nil) {
        self.ownerID = ownerID; self.status = status; self.source = source; self.text = text
    }
}

/// Leads: inbound requests, newest first. A lead without an owner is unassigned and visible to those who see
/// everything (a head assigns it).
extension Database {
    public func leads(_ filter: LeadFilter, for actor: Actor, action: AccessAction = .list) async throws -> RecordPage<Lead> {
        var filters: [SQLQueryString] = []
        if let owner = filter.ownerID { filters.append("r.owner_id = \(bind: owner.rawValue)") }
        if let status = filter.status { filters.append("r.status = \(bind: status.rawValue)") }
        if let source = filter.source { filters.append("r.source = \(bind: source.rawValue)") }
        if let text = filter.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let pattern = text.containsPattern
            var match: SQLQueryString = lowered("r.name", for: text) + " LIKE \(bind: pattern) ESCAPE '\\' OR "
                + lowered("r.company_name", for: text) + " LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(r.email) = \(bind: text.lowercased())"
            if let phone = try? PhoneNumber.e164(text, country: try await defaultCountry()) { match = match + " OR r.phone = \(bind: phone)" }
            filters.append("(" + match + ")")
        }
        filters += try await Self.customConditions(.lead, filter.custom, in: self)
        var page = try await page(Self.leadList, filters: filters, paging: filter, for: actor, action: action, decode: Self.lead(from:))
        page.items = try await read { sql in try await Self.withCustom(page.items, .lead, id: \.id.rawValue, set: { $0.custom = $1 }, in: sql) }
        return page
    }

    public func lead(_ id: Lead.ID, for actor: Actor) async throws -> Lead {
        try await requireAccess(actor, .read, .lead, id: id.rawValue)
        return try await read { sql in try await Self.lead(id, in: sql) }
    }

    /// Adds a lead; without an owner (and without a source time) it is the actor's, received now. `problems` are
    /// those found while reading the request, reported together with the rest.
    public func addLead(_ patch: LeadPatch, problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                        address: String? = nil) async throws -> Lead {
        let country = try await defaultCountry()
        let zone = try await companyTimeZone()
        return try await write { sql in
            try await Self.insertLead(patch, problems: problems, country: country, zone: zone, by: actor, at: now, address: address, in: sql)
        }
    }

    /// `addLead` inside a transaction that may write more (a call from an unknown number).
    static func insertLead(_ patch: LeadPatch, problems: ValidationFailure.Collector, country: String, zone: TimeZone, by actor: Actor,
                           at now: Date, address: String?, in sql: any SQLDatabase) async throws -> Lead {
        let scope = try AccessPolicy.require(actor, .create, .lead)
        var patch = patch
        if patch.ownerID == nil, [.rep, .head].contains(actor.role) { patch.ownerID = .some(actor.userID) }
        var errors = problems
        if !errors.errors.contains(where: { $0.field == "source" }) { errors.check(patch.source != nil, "source", "is required") }
        let blank = Lead(id: 0, source: .other, receivedAt: now, firstResponseAt: nil, status: .new, disqualifyReason: nil,
                         ownerID: nil, name: "", companyName: nil, phone: nil, email: nil, message: nil, utmSource: nil,
                         utmCampaign: nil, accountID: nil, contactID: nil)
        var lead = patch.applied(to: blank, country: country, now: now, into: &errors)
        if !scope.allows(owner: lead.ownerID) { errors.check(false, "ownerId", "you may not add leads for this owner") }
        try await Self.checkOwner(lead.ownerID, changedFrom: nil, in: sql, into: &errors)
        if patch.source != nil { try await Self.checkSource(lead.source, in: sql, into: &errors) }
        lead.disqualifyReason = try await Self.lossReason(lead.disqualifyReason, for: .lead, field: "disqualifyReason", in: sql,
                                                          into: &errors)
        lead.custom = try await Self.customValues(.lead, applying: patch.custom, to: [:], isNew: true, in: sql, into: &errors)
        try errors.finish()
        let row = try await sql.raw("""
            INSERT INTO leads (source, received_at, received_on, status, disqualify_reason, owner_id, name, company_name,
                               phone, email, message, utm_source, utm_campaign, qualified_on)
            VALUES (\(bind: lead.source.rawValue), \(bind: lead.receivedAt.epochMilliseconds),
                    \(bind: LocalDate(lead.receivedAt, in: zone).key), \(bind: lead.status.rawValue), \(bind: lead.disqualifyReason),
                    \(bind: lead.ownerID?.rawValue), \(bind: lead.name), \(bind: lead.companyName), \(bind: lead.phone),
                    \(bind: lead.email), \(bind: lead.message), \(bind: lead.utmSource), \(bind: lead.utmCampaign),
                    \(bind: lead.status.isQualified ? LocalDate(now, in: zone).key : nil))
            RETURNING id
            """).first()
        var added = lead
        added.id = Lead.ID(try row!.decode(column: "id", as: Int64.self))
        try await Self.writeCustomValues(.lead, id: added.id.rawValue, values: added.custom, old: [:], in: sql)
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "lead", entityID: added.id.rawValue,
                                        changes: AuditLog.created(Self.fields(of: added)) + Self.customChanges([:], added.custom),
                                        address: address), in: sql)
        try await SearchIndex.update(.lead, id: added.id.rawValue, terms: SearchTerms.person(name: added.name, company: added.companyName,
                                                                                      phone: added.phone, email: added.email), in: sql)
        try await WebhookOutbox.leadChanged(from: nil, to: added, by: actor.userID, at: now, in: sql)
        return added
    }

    public func updateLead(_ id: Lead.ID, _ patch: LeadPatch, problems: ValidationFailure.Collector = .init(),
                           expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws -> Lead {
        try await requireAccess(actor, .update, .lead, id: id.rawValue)
        let country = try await defaultCountry()
        let zone = try await companyTimeZone()
        return try await write { sql in
            try await Self.changeLead(id, patch, problems: problems, expectedVersion: expectedVersion, country: country, zone: zone,
                                      by: actor, at: now, address: address, in: sql)
        }
    }

    /// `updateLead` inside a transaction that may write more (an import); the caller checked the access.
    static func changeLead(_ id: Lead.ID, _ patch: LeadPatch, problems: ValidationFailure.Collector, expectedVersion: Int64?,
                           country: String, zone: TimeZone, by actor: Actor, at now: Date, address: String?,
                           in sql: any SQLDatabase) async throws -> Lead {
        try await sql.lockForChange("leads", id: id.rawValue)
        let old = try await Self.lead(id, in: sql)
        try VersionConflict.check(.lead, id: id.rawValue, expected: expectedVersion, current: old.version)
        var errors = problems
        var new = patch.applied(to: old, country: country, now: now, into: &errors)
        if new.ownerID != old.ownerID, !AccessPolicy.allows(actor, .update, .lead, owner: new.ownerID) {
            errors.check(false, "ownerId", "you may not give leads to this owner")
        }
        try await Self.checkOwner(new.ownerID, changedFrom: old.ownerID, in: sql, into: &errors)
        if new.source != old.source { try await Self.checkSource(new.source, in: sql, into: &errors) }
        if new.disqualifyReason != old.disqualifyReason {
            new.disqualifyReason = try await Self.lossReason(new.disqualifyReason, for: .lead, field: "disqualifyReason", in: sql,
                                                             into: &errors)
        }
        new.custom = try await Self.customValues(.lead, applying: patch.custom, to: old.custom, isNew: false, in: sql, into: &errors)
        try errors.finish()
        let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new)) + Self.customChanges(old.custom, new.custom)
        guard !changes.isEmpty else { return old }
        new.version = old.version + 1
        try await sql.raw("""
            UPDATE leads SET source = \(bind: new.source.rawValue), received_at = \(bind: new.receivedAt.epochMilliseconds),
                received_on = \(bind: LocalDate(new.receivedAt, in: zone).key), status = \(bind: new.status.rawValue),
                disqualify_reason = \(bind: new.disqualifyReason), owner_id = \(bind: new.ownerID?.rawValue), name = \(bind: new.name),
                company_name = \(bind: new.companyName), phone = \(bind: new.phone), email = \(bind: new.email),
                message = \(bind: new.message), utm_source = \(bind: new.utmSource), utm_campaign = \(bind: new.utmCampaign),
                version = version + 1
            WHERE id = \(bind: id.rawValue)
            """).run()
        if new.status.isQualified && !old.status.isQualified { try await Self.markQualified(id, on: LocalDate(now, in: zone), in: sql) }
        try await Self.recheckAlerts(.leadUnanswered, subjects: [id.rawValue], at: now, zone: zone, in: sql)
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "lead", entityID: id.rawValue,
                                        changes: changes, address: address), in: sql)
        try await Self.writeCustomValues(.lead, id: id.rawValue, values: new.custom, old: old.custom, in: sql)
        try await SearchIndex.update(.lead, id: id.rawValue, terms: SearchTerms.person(name: new.name, company: new.companyName, phone: new.phone,
                                                                                 email: new.email), in: sql)
        try await WebhookOutbox.leadChanged(from: old, to: new, by: actor.userID, at: now, in: sql)
        return new
    }

    /// Deletes a lead nothing came of; one that became a deal, has activities, came from a request or rang in keeps
    /// its history.
    public func deleteLead(_ id: Lead.ID, expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws {
        try await requireAccess(actor, .delete, .lead, id: id.rawValue)
        try await write { sql in
            try await sql.lockForChange("leads", id: id.rawValue)
            let old = try await Self.lead(id, in: sql)
            try VersionConflict.check(.lead, id: id.rawValue, expected: expectedVersion, current: old.version)
            try await DeletionRules.clear("leads", id: id.rawValue, kind: "lead", in: sql)
            try await Self.deleteCustomValues(.lead, id: id.rawValue, in: sql)
            try await sql.raw("DELETE FROM leads WHERE id = \(bind: id.rawValue)").run()
            try await SearchIndex.remove(.lead, id: id.rawValue, in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "lead", entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)), address: address), in: sql)
        }
    }

    /// The company's time zone, which cuts instants into days (`company.time_zone`, Europe/Stockholm unless set).
    public func companyTimeZone() async throws -> TimeZone {
        try await read { sql in try await Self.timeZone(in: sql) }
    }

    // MARK: - Rows

    static let leadColumns = """
        r.id, r.source, r.received_at, r.first_response_at, r.status, r.disqualify_reason, r.owner_id, r.name, r.company_name, \
        r.phone, r.email, r.message, r.utm_source, r.utm_campaign, r.account_id, r.contact_id, r.version, r.utm_medium, r.utm_term, \
        r.utm_content, r.page_url, r.channel, r.region_id, r.score_detail
        """
    static let leadList = RecordList(kind: .lead, table: "leads", columns: leadColumns, sorts: [
        ("received", .number("received_at")), ("score", .number("score", missing: -1))], defaultSort: ListSort("received", descending: true))

    static func lead(from row: any SQLRow) throws -> Lead {
        let sourceKey = try row.decode(column: "source", as: String.self)
        let statusKey = try row.decode(column: "status", as: String.self)
        guard let status = LeadStatus(rawValue: statusKey) else { throw StoreError.query("leads.status: unknown status '\(statusKey)'") }
        func date(_ column: String) throws -> Date? { try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:)) }
        func text(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        var lead = Lead(id: .init(try row.decode(column: "id", as: Int64.self)), source: LeadSource(rawValue: sourceKey),
                    receivedAt: try date("received_at")!, firstResponseAt: try date("first_response_at"), status: status,
                    disqualifyReason: try text("disqualify_reason"),
                    ownerID: try row.decode(column: "owner_id", as: Int64?.self).map { User.ID($0) },
                    name: try row.decode(column: "name", as: String.self), companyName: try text("company_name"),
                    phone: try text("phone"), email: try text("email"), message: try text("message"),
                    utmSource: try text("utm_source"), utmCampaign: try text("utm_campaign"),
                    accountID: try row.decode(column: "account_id", as: Int64?.self).map { Account.ID($0) },
                    contactID: try row.decode(column: "contact_id", as: Int64?.self).map { Contact.ID($0) },
                    version: try row.decode(column: "version", as: Int64.self))
        lead.utmMedium = try text("utm_medium")
        lead.utmTerm = try text("utm_term")
        lead.utmContent = try text("utm_content")
        lead.pageURL = try text("page_url")
        lead.channel = try text("channel")
        lead.regionID = try row.decode(column: "region_id", as: Int64?.self).map { Region.ID($0) }
        lead.score = try scoreDetail(row)
        return lead
    }

    static func lead(_ id: Lead.ID, in sql: any SQLDatabase) async throws -> Lead {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: leadColumns) FROM leads AS r WHERE r.id = \(bind: id.rawValue)").first()
        else { throw AccessDenied.notFound(.lead, id: id.rawValue) }
        return try await withCustom([try lead(from: row)], .lead, id: \.id.rawValue, set: { $0.custom = $1 }, in: sql)[0]
    }

    static func fields(of lead: Lead) -> [(String, String?)] {
        [("source", lead.source.rawValue), ("receivedAt", String(lead.receivedAt.epochMilliseconds)), ("status", lead.status.rawValue),
         ("disqualifyReason", lead.disqualifyReason), ("owner", lead.ownerID?.description), ("name", lead.name),
         ("companyName", lead.companyName), ("phone", lead.phone), ("email", lead.email), ("message", lead.message),
         ("utmSource", lead.utmSource), ("utmCampaign", lead.utmCampaign)]
    }

    /// A (new) owner must be an active user.
    static func checkOwner(_ owner: User.ID?, changedFrom old: User.ID?, in sql: any SQLDatabase,
                           into errors: inout ValidationFailure.Collector) async throws {
        guard let owner, owner != old else { return }
        errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: owner.rawValue) AND active = \(bind: true)") == 1,
                     "ownerId", "no active user \(owner)")
    }
}

extension Database {
    /// Dates a lead's first qualification (a lead qualified, put back in work and qualified again keeps its first day).
    static func markQualified(_ id: Lead.ID, on day: LocalDate, in sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE leads SET qualified_on = \(bind: day.key) WHERE id = \(bind: id.rawValue) AND qualified_on IS NULL").run()
    }
}

extension LeadStatus {
    /// Qualified, or past it: a converted lead was qualified on the way (METRICS.md "qualified leads").
    var isQualified: Bool { self == .qualified || self == .converted }
}
