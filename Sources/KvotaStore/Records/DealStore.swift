import Foundation
import KvotaCore
import SQLKit

public struct DealFilter: Hashable, PagedFilter {
    public var ownerID: User.ID?
    public var accountID: Account.ID?
    public var pipelineID: Pipeline.ID?
    public var stageID: Stage.ID?
    public var status: StageOutcome?
    /// Part of the title, any case.
    public var text: String?
    /// Created on these days (company time zone, both inclusive): a funnel's cohort.
    public var createdFrom: LocalDate?
    public var createdThrough: LocalDate?
    /// Closed (won or lost) on these days.
    public var closedFrom: LocalDate?
    public var closedThrough: LocalDate?
    /// Entered this stage at some time, by the stage history (where it is now does not matter).
    public var reachedStageID: Stage.ID?
    public var custom: [CustomCondition] = []
    public var limit: Int = PageSize.standard
    public var cursor: String?
    public var sort: ListSort?

    public init(ownerID: User.ID? = nil, accountID: Account.ID? = nil, pipelineID: Pipeline.ID? = nil, stageID: Stage.ID? = nil,
                status: StageOutcome? = nil, text: String? = nil) {
        self.ownerID = ownerID; self.accountID = accountID; self.pipelineID = pipelineID; self.stageID = stageID
        self.status = status; self.text = text
    }
}

/// Deals: the sales a team works on, most recently changed first. Every stage a deal enters is kept in its stage
/// history with who moved it.
extension Database {
    public func deals(_ filter: DealFilter, for actor: Actor, action: AccessAction = .list) async throws -> RecordPage<Deal> {
        var filters: [SQLQueryString] = []
        if let owner = filter.ownerID { filters.append("r.owner_id = \(bind: owner.rawValue)") }
        if let account = filter.accountID { filters.append("r.account_id = \(bind: account.rawValue)") }
        if let pipeline = filter.pipelineID { filters.append("r.pipeline_id = \(bind: pipeline.rawValue)") }
        if let stage = filter.stageID { filters.append("r.stage_id = \(bind: stage.rawValue)") }
        if let status = filter.status { filters.append("r.status = \(bind: status.rawValue)") }
        if filter.createdFrom != nil || filter.createdThrough != nil {
            let zone = try await read { sql in try await Self.timeZone(in: sql) }
            if let from = filter.createdFrom { filters.append("r.created_at >= \(bind: from.start(in: zone).epochMilliseconds)") }
            if let through = filter.createdThrough {
                filters.append("r.created_at < \(bind: through.adding(days: 1).start(in: zone).epochMilliseconds)")
            }
        }
        if filter.closedFrom != nil || filter.closedThrough != nil { filters.append("r.status <> 'open'") }
        if let from = filter.closedFrom { filters.append("r.closed_on >= \(bind: from.key)") }
        if let through = filter.closedThrough { filters.append("r.closed_on <= \(bind: through.key)") }
        if let stage = filter.reachedStageID {
            filters.append("EXISTS (SELECT 1 FROM deal_stage_history h WHERE h.deal_id = r.id AND h.stage_id = \(bind: stage.rawValue))")
        }
        if let text = filter.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            filters.append(lowered("r.title", for: text) + " LIKE \(bind: text.containsPattern) ESCAPE '\\'")
        }
        filters += try await Self.customConditions(.deal, filter.custom, in: self)
        var page = try await page(Self.dealList, filters: filters, paging: filter, for: actor, action: action, decode: Self.deal(from:))
        page.items = try await read { sql in try await Self.withCustom(page.items, .deal, id: \.id.rawValue, set: { $0.custom = $1 }, in: sql) }
        return page
    }

    public func deal(_ id: Deal.ID, for actor: Actor) async throws -> Deal {
        // The deal's row names its owner, so the check `requireAccess` makes is made on it: a statement fewer for the
        // read every deal page and the API's record start with.
        try await read { sql in
            try await Self.readDeal(id, in: sql) { try AccessPolicy.require(actor, .read, .deal, id: id.rawValue, owner: $0.ownerID) }.deal
        }
    }

    /// Adds a deal for an account the actor can see. Without a stage it starts in the first stage of its pipeline
    /// (the first pipeline when none is named); without an owner it is the actor's if they sell, else the account
    /// owner's.
    public func addDeal(_ patch: DealPatch, problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                        address: String? = nil) async throws -> Deal {
        try await write { sql in
            try await Self.insertDeal(patch, problems: problems, by: actor, at: now, address: address, in: sql)
        }
    }

    /// `addDeal` inside a transaction that may write more (lead conversion, import); `lead` is the request it came from.
    /// `draftOrder: false` (an import of history) wins a deal without a draft order: its orders come on their own.
    static func insertDeal(_ patch: DealPatch, problems: ValidationFailure.Collector, lead: Lead.ID? = nil, draftOrder: Bool = true,
                           by actor: Actor, at now: Date, address: String?, in sql: any SQLDatabase) async throws -> Deal {
        let scope = try AccessPolicy.require(actor, .create, .deal)
        var patch = patch
        if patch.ownerID == nil, [.rep, .head].contains(actor.role) { patch.ownerID = actor.userID }
        var errors = problems
        errors.check(patch.title != nil, "title", "is required")
        errors.check(patch.accountID != nil, "accountId", "is required")
        errors.check(patch.amountMinor == nil || patch.currency != nil, "currency", "is required with an amount")
        // Without a currency a deal is in the company's base currency.
        let blank = Deal(id: 0, title: "", accountID: 0, contactID: nil, pipelineID: 0, stageID: 0, amount: .zero(try await baseCurrency(in: sql)),
                         expectedClose: nil, forecastCategory: .pipeline, ownerID: 0, status: .open, createdAt: now,
                         closedAt: nil, lossReason: nil, leadID: lead)
        var deal = patch.applied(to: blank, into: &errors)
        if patch.ownerID == nil, let account = patch.accountID {
            let owner = try await sql.raw("SELECT owner_id FROM accounts WHERE id = \(bind: account.rawValue)").first()?
                .decode(column: "owner_id", as: Int64?.self)
            deal.ownerID = owner.map { User.ID($0) } ?? 0
        }
        errors.check(deal.ownerID.rawValue != 0, "ownerId", "is required when the account has no owner")
        if deal.ownerID.rawValue != 0, !scope.allows(owner: deal.ownerID) {
            errors.check(false, "ownerId", "you may not add deals for this owner")
        }
        let chosen = patch.forecastCategory != nil
        try await Self.placeInPipeline(&deal, patch: patch, previous: nil, categoryChosen: chosen, at: now, in: sql, into: &errors)
        try await Self.checkReferences(of: deal, changedFrom: nil, for: actor, in: sql, into: &errors)
        deal.custom = try await Self.customValues(.deal, applying: patch.custom, to: [:], isNew: true, in: sql, into: &errors)
        deal.lossReason = try await Self.lossReason(deal.lossReason, for: .deal, field: "lossReason", in: sql, into: &errors)
        try errors.finish()
        let at = now.epochMilliseconds
        let zone = try await Self.timeZone(in: sql)
        let row = try await sql.raw("""
            INSERT INTO deals (title, account_id, contact_id, pipeline_id, stage_id, amount_minor, currency, expected_close_on,
                               forecast_category, forecast_category_chosen, owner_id, status, created_at, closed_at, closed_on, loss_reason,
                               updated_at, lead_id)
            VALUES (\(bind: deal.title), \(bind: deal.accountID.rawValue), \(bind: deal.contactID?.rawValue),
                    \(bind: deal.pipelineID.rawValue), \(bind: deal.stageID.rawValue), \(bind: deal.amount.minorUnits),
                    \(bind: deal.amount.currency.code), \(bind: deal.expectedClose?.key), \(bind: deal.forecastCategory.rawValue),
                    \(bind: chosen), \(bind: deal.ownerID.rawValue), \(bind: deal.status.rawValue), \(bind: at),
                    \(bind: deal.closedAt?.epochMilliseconds), \(bind: deal.closedAt.map { LocalDate($0, in: zone).key }),
                    \(bind: deal.lossReason), \(bind: at), \(bind: deal.leadID?.rawValue))
            RETURNING id
            """).first()
        deal.id = Deal.ID(try row!.decode(column: "id", as: Int64.self))
        try await Self.enterStage(deal, by: actor.userID, at: now, in: sql)
        if deal.status != .open { try await StageOutcomes.putOn(deal: deal.id.rawValue, in: sql) }
        try await Self.writeCustomValues(.deal, id: deal.id.rawValue, values: deal.custom, old: [:], in: sql)
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "deal", entityID: deal.id.rawValue,
                                        changes: AuditLog.created(Self.fields(of: deal)) + Self.customChanges([:], deal.custom),
                                        address: address), in: sql)
        if deal.status == .won, draftOrder { try await Self.draftOrder(for: deal, by: actor, at: now, address: address, in: sql) }
        try await SearchIndex.update(.deal, id: deal.id.rawValue, terms: SearchTerms.deal(title: deal.title), in: sql)
        try await WebhookOutbox.dealChanged(from: nil, to: deal, by: actor.userID, at: now, in: sql)
        return deal
    }

    public func updateDeal(_ id: Deal.ID, _ patch: DealPatch, problems: ValidationFailure.Collector = .init(),
                           expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws -> Deal {
        try await requireAccess(actor, .update, .deal, id: id.rawValue)
        return try await write { sql in
            try await Self.changeDeal(id, patch, problems: problems, expectedVersion: expectedVersion, by: actor, at: now,
                                      address: address, in: sql)
        }
    }

    /// `updateDeal` inside a transaction that may write more (import), once access is checked.
    static func changeDeal(_ id: Deal.ID, _ patch: DealPatch, problems: ValidationFailure.Collector, draftOrder: Bool = true,
                           expectedVersion: Int64?, by actor: Actor, at now: Date, address: String?, in sql: any SQLDatabase) async throws -> Deal {
        try await sql.lockForChange("deals", id: id.rawValue)
        let (old, chosenBefore) = try await Self.readDeal(id, in: sql)
        try VersionConflict.check(.deal, id: id.rawValue, expected: expectedVersion, current: old.version)
        var errors = problems
        var new = patch.applied(to: old, into: &errors)
        if new.ownerID != old.ownerID, !AccessPolicy.allows(actor, .update, .deal, owner: new.ownerID) {
            errors.check(false, "ownerId", "you may not give deals to this owner")
        }
        let chosen = patch.forecastCategory != nil || chosenBefore
        try await Self.placeInPipeline(&new, patch: patch, previous: old, categoryChosen: chosen, at: now, in: sql, into: &errors)
        try await Self.checkReferences(of: new, changedFrom: old, for: actor, in: sql, into: &errors)
        if new.amount != old.amount,
           try await Self.count(sql, "SELECT COUNT(*) AS n FROM deal_lines WHERE deal_id = \(bind: id.rawValue)") > 0 {
            errors.check(false, new.amount.currency != old.amount.currency ? "currency" : "amountMinor",
                         "the deal's amount is the sum of its lines; change the lines (PUT /deals/\(id)/lines)")
        }
        if new.lossReason != old.lossReason {
            new.lossReason = try await Self.lossReason(new.lossReason, for: .deal, field: "lossReason", in: sql, into: &errors)
        }
        new.custom = try await Self.customValues(.deal, applying: patch.custom, to: old.custom, isNew: false, in: sql, into: &errors)
        try errors.finish()
        let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new)) + Self.customChanges(old.custom, new.custom)
        guard !changes.isEmpty else { return old }
        new.version = old.version + 1
        new.updatedAt = now
        // The company's zone names a closing day; a move between open stages has none and reads no zone.
        let zone: TimeZone? = new.closedAt == nil && new.status == .open ? nil : try await Self.timeZone(in: sql)
        if old.status != .open { try await StageOutcomes.takeOff(deal: id.rawValue, in: sql) }
        try await sql.raw("""
            UPDATE deals SET title = \(bind: new.title), account_id = \(bind: new.accountID.rawValue),
                contact_id = \(bind: new.contactID?.rawValue), pipeline_id = \(bind: new.pipelineID.rawValue),
                stage_id = \(bind: new.stageID.rawValue), amount_minor = \(bind: new.amount.minorUnits),
                currency = \(bind: new.amount.currency.code), expected_close_on = \(bind: new.expectedClose?.key),
                forecast_category = \(bind: new.forecastCategory.rawValue), forecast_category_chosen = \(bind: chosen),
                owner_id = \(bind: new.ownerID.rawValue),
                status = \(bind: new.status.rawValue), closed_at = \(bind: new.closedAt?.epochMilliseconds),
                closed_on = \(bind: zone.flatMap { zone in new.closedAt.map { LocalDate($0, in: zone).key } }),
                loss_reason = \(bind: new.lossReason), updated_at = \(bind: now.epochMilliseconds), version = version + 1
            WHERE id = \(bind: id.rawValue)
            """).run()
        if new.stageID != old.stageID { try await Self.enterStage(new, by: actor.userID, at: now, in: sql) }
        if new.status != .open, let zone {
            try await StageOutcomes.putOn(deal: id.rawValue, in: sql)
            try await Self.recheckAlerts(.dealStalled, subjects: [id.rawValue], at: now, zone: zone, in: sql)
        }
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "deal", entityID: id.rawValue,
                                        changes: changes, address: address), in: sql)
        if new.status == .won, old.status != .won, draftOrder {
            try await Self.draftOrder(for: new, by: actor, at: now, address: address, in: sql)
        }
        try await Self.writeCustomValues(.deal, id: id.rawValue, values: new.custom, old: old.custom, in: sql)
        if new.title != old.title {
            try await SearchIndex.update(.deal, id: id.rawValue, terms: SearchTerms.deal(title: new.title), in: sql)
        }
        try await WebhookOutbox.dealChanged(from: old, to: new, by: actor.userID, at: now, in: sql)
        return new
    }

    /// Deletes a deal with its lines and stage history; one that became an order or has activities keeps its history.
    public func deleteDeal(_ id: Deal.ID, expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws {
        try await requireAccess(actor, .delete, .deal, id: id.rawValue)
        try await write { sql in
            try await sql.lockForChange("deals", id: id.rawValue)
            let old = try await Self.deal(id, in: sql)
            try VersionConflict.check(.deal, id: id.rawValue, expected: expectedVersion, current: old.version)
            // Read from the stage history, so before it goes; a refusal below rolls this back with the rest.
            if old.status != .open { try await StageOutcomes.takeOff(deal: id.rawValue, in: sql) }
            try await DeletionRules.clear("deals", id: id.rawValue, kind: "deal", in: sql)
            try await Self.deleteCustomValues(.deal, id: id.rawValue, in: sql)
            try await sql.raw("DELETE FROM deals WHERE id = \(bind: id.rawValue)").run()
            try await SearchIndex.remove(.deal, id: id.rawValue, in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "deal", entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)), address: address), in: sql)
        }
    }

    /// A deal's stage history, oldest first: `limit` entries after `after`, the last entry of the page before (a deal
    /// moved back and forth for years has thousands); all of them without a limit.
    public func stageHistory(of id: Deal.ID, after: StageChange.Position? = nil, limit: Int? = nil,
                             for actor: Actor) async throws -> [StageChange] {
        try await requireAccess(actor, .read, .deal, id: id.rawValue)
        let later: SQLQueryString = after.map {
            "AND (entered_at > \(bind: $0.enteredAt) OR (entered_at = \(bind: $0.enteredAt) AND id > \(bind: $0.id)))"
        } ?? ""
        let page: SQLQueryString = limit.map { "LIMIT \(bind: $0)" } ?? ""
        return try await read { sql in
            try await sql.raw("""
                SELECT id, stage_id, entered_at, user_id FROM deal_stage_history WHERE deal_id = \(bind: id.rawValue) \(later)
                ORDER BY entered_at, id \(page)
                """).all().map { try Self.stageChange(from: $0, of: id) }
        }
    }

    /// The deal's latest `limit` stage changes before `before`, newest first: a deal moved back and forth for years
    /// has thousands, and its page shows a window of them.
    public func latestStageChanges(of id: Deal.ID, before: Date?, limit: Int, for actor: Actor) async throws -> [StageChange] {
        try await requireAccess(actor, .read, .deal, id: id.rawValue)
        let older: SQLQueryString = before.map { "AND entered_at < \(bind: $0.epochMilliseconds)" } ?? ""
        return try await read { sql in
            try await sql.raw("""
                SELECT id, stage_id, entered_at, user_id FROM deal_stage_history WHERE deal_id = \(bind: id.rawValue) \(older)
                ORDER BY entered_at DESC, id DESC LIMIT \(bind: limit)
                """).all().map { try Self.stageChange(from: $0, of: id) }
        }
    }

    static func stageChange(from row: any SQLRow, of deal: Deal.ID) throws -> StageChange {
        StageChange(id: .init(try row.decode(column: "id", as: Int64.self)), dealID: deal,
                    stageID: .init(try row.decode(column: "stage_id", as: Int64.self)),
                    enteredAt: Date(epochMilliseconds: try row.decode(column: "entered_at", as: Int64.self)),
                    userID: try row.decode(column: "user_id", as: Int64?.self).map { User.ID($0) })
    }

    // MARK: - Rows

    static let dealColumns = """
        r.id, r.title, r.account_id, r.contact_id, r.pipeline_id, r.stage_id, r.amount_minor, r.currency, r.expected_close_on, \
        r.forecast_category, r.owner_id, r.status, r.created_at, r.closed_at, r.loss_reason, r.lead_id, r.updated_at, r.version, \
        r.score_detail
        """
    /// Since when the deal in `row` has been in its stage: its last entry into it. The newest entry first from the
    /// history's index by deal and time, which is the current stage's as a rule, instead of `MAX` over all the deal's
    /// entries: a deal moved back and forth 270 times read all 270 (a team's board at scale L spent 28 of its 34 ms
    /// of PostgreSQL on it).
    static func inStageSince(_ row: String) -> String {
        """
        (SELECT h.entered_at FROM deal_stage_history AS h WHERE h.deal_id = \(row).id AND h.stage_id = \(row).stage_id \
        ORDER BY h.entered_at DESC LIMIT 1)
        """
    }

    static let dealList = RecordList(kind: .deal, table: "deals", columns: dealColumns, sorts: [
        ("updated", .number("updated_at")), ("title", .text("title")), ("amount", .number("amount_minor")),
        ("close", .number("expected_close_on", missing: Int64(Int32.max))), ("score", .number("score", missing: -1)),
    ], defaultSort: ListSort("updated", descending: true))

    static func deal(from row: any SQLRow) throws -> Deal {
        let statusKey = try row.decode(column: "status", as: String.self)
        let forecastKey = try row.decode(column: "forecast_category", as: String.self)
        guard let status = StageOutcome(rawValue: statusKey), let forecast = ForecastCategory(rawValue: forecastKey) else {
            throw StoreError.query("deals: unknown status '\(statusKey)' or forecast category '\(forecastKey)'")
        }
        let currency = try Currency(try row.decode(column: "currency", as: String.self))
        var deal = Deal(id: .init(try row.decode(column: "id", as: Int64.self)), title: try row.decode(column: "title", as: String.self),
                    accountID: .init(try row.decode(column: "account_id", as: Int64.self)),
                    contactID: try row.decode(column: "contact_id", as: Int64?.self).map { Contact.ID($0) },
                    pipelineID: .init(try row.decode(column: "pipeline_id", as: Int64.self)),
                    stageID: .init(try row.decode(column: "stage_id", as: Int64.self)),
                    amount: Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self), currency: currency),
                    expectedClose: try row.decode(column: "expected_close_on", as: Int?.self).map { try LocalDate(key: $0) },
                    forecastCategory: forecast, ownerID: .init(try row.decode(column: "owner_id", as: Int64.self)), status: status,
                    createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                    closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
                    lossReason: try row.decode(column: "loss_reason", as: String?.self),
                    leadID: try row.decode(column: "lead_id", as: Int64?.self).map { Lead.ID($0) },
                    updatedAt: Date(epochMilliseconds: try row.decode(column: "updated_at", as: Int64.self)),
                    version: try row.decode(column: "version", as: Int64.self))
        deal.score = try scoreDetail(row)
        return deal
    }

    static func deal(_ id: Deal.ID, in sql: any SQLDatabase) async throws -> Deal {
        try await readDeal(id, in: sql).deal
    }

    static func fields(of deal: Deal) -> [(String, String?)] {
        [("title", deal.title), ("account", deal.accountID.description), ("contact", deal.contactID?.description),
         ("pipeline", deal.pipelineID.description), ("stage", deal.stageID.description), ("amount", deal.amount.description),
         ("expectedClose", deal.expectedClose?.iso), ("forecastCategory", deal.forecastCategory.rawValue),
         ("owner", deal.ownerID.description), ("status", deal.status.rawValue), ("lossReason", deal.lossReason)]
    }

    /// The deal, and whether its rep chose its forecast category (else it follows its stage), which only a change needs.
    /// `check` sees the deal before its custom values are read (a read's access check). The row says whether the deal
    /// has custom values, which are read only then: a deal without is one statement, not two (each a round trip to
    /// PostgreSQL, and the statements, not the rows, were a deal record's cost at scale L).
    static func readDeal(_ id: Deal.ID, in sql: any SQLDatabase,
                         check: (Deal) throws -> Void = { _ in }) async throws -> (deal: Deal, categoryChosen: Bool) {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: dealColumns), r.forecast_category_chosen AS chosen,
                   EXISTS (SELECT 1 FROM custom_values v WHERE v.record_id = r.id
                           AND v.field_id IN (SELECT id FROM custom_fields WHERE kind = 'deal')) AS has_custom
            FROM deals AS r WHERE r.id = \(bind: id.rawValue)
            """).first()
        else { throw AccessDenied.notFound(.deal, id: id.rawValue) }
        var deal = try deal(from: row)
        try check(deal)
        if try row.decode(column: "has_custom", as: Bool.self) {
            deal = try await withCustom([deal], .deal, id: \.id.rawValue, set: { $0.custom = $1 }, in: sql)[0]
        }
        return (deal, try row.decode(column: "chosen", as: Bool.self))
    }

    /// Finds the stage (the named one, or the first of the named or first pipeline), checks it belongs to the
    /// pipeline, and settles status and closing from its outcome; a deal entering a stage takes its forecast category
    /// unless its rep chose one (`categoryChosen`, now or before).
    private static func placeInPipeline(_ deal: inout Deal, patch: DealPatch, previous: Deal?, categoryChosen: Bool, at now: Date,
                                        in sql: any SQLDatabase, into errors: inout ValidationFailure.Collector) async throws {
        var stageID = patch.stageID
        if stageID == nil, previous == nil || patch.pipelineID != nil {
            var pipeline = patch.pipelineID?.rawValue
            if pipeline == nil {
                pipeline = try await sql.raw("SELECT MIN(id) AS id FROM pipelines WHERE active = \(bind: true)").first()?.decode(column: "id", as: Int64?.self)
            }
            if let pipeline {
                stageID = try await sql.raw("""
                    SELECT id FROM stages WHERE pipeline_id = \(bind: pipeline) AND outcome = 'open' ORDER BY position LIMIT 1
                    """).first().map { Stage.ID(try $0.decode(column: "id", as: Int64.self)) }
            }
            if stageID == nil {
                errors.check(false, "pipelineId", patch.pipelineID.map { "no pipeline \($0) with stages" } ?? "no pipeline exists yet")
            }
        }
        guard let stageID = stageID ?? previous?.stageID else { return }
        // The stage and its pipeline's regulations in one read: moving a deal is the commonest write, and on SQLite's
        // one writer each statement of it holds up every other write.
        let stages = try await stages(inPipelineOf: stageID, in: sql)
        guard let target = stages.first(where: { $0.id == stageID }) else {
            errors.check(false, "stageId", "no stage \(stageID)")
            return
        }
        let pipelineID = target.pipelineID
        if let named = patch.pipelineID, named != pipelineID {
            errors.check(false, "stageId", "stage \(stageID) is not in pipeline \(named)")
        }
        deal.stageID = stageID
        deal.pipelineID = pipelineID
        DealPatch.settle(&deal, stageOutcome: target.outcome, previous: previous, at: now, into: &errors)
        if pipelineID != previous?.pipelineID {
            let active = try await sql.raw("SELECT active FROM pipelines WHERE id = \(bind: pipelineID.rawValue)").first()?
                .decode(column: "active", as: Bool.self)
            errors.check(active != false, "pipelineId", "pipeline \(pipelineID) is retired")
        }
        // The stage's regulations: what a deal must have to be here. Checked on entering, so a later change to the
        // rules does not lock deals already past it.
        if stageID != previous?.stageID {
            deal.forecastCategory = ForecastCategories.entering(target, current: deal.forecastCategory, chosenByRep: categoryChosen)
            let requires = Stage.requirements(entering: target, in: stages)
            // The lines are counted only for a stage that asks for products.
            var hasLines = false
            if requires.contains(.products), deal.id.rawValue != 0 {
                hasLines = try await count(sql, "SELECT COUNT(*) AS n FROM deal_lines WHERE deal_id = \(bind: deal.id.rawValue)") > 0
            }
            DealRequirement.check(deal, hasLines: hasLines, entering: target.name, requires: requires, into: &errors)
        }
    }

    /// The account must be one the actor sees, the contact one of the account's people, the owner an active user.
    private static func checkReferences(of deal: Deal, changedFrom old: Deal?, for actor: Actor, in sql: any SQLDatabase,
                                        into errors: inout ValidationFailure.Collector) async throws {
        // 0 is "not given" only on a new deal (already refused as missing); a change to 0 names no account.
        if deal.accountID != old?.accountID, deal.accountID.rawValue != 0 || old != nil {
            let row = try await sql.raw("SELECT owner_id FROM accounts WHERE id = \(bind: deal.accountID.rawValue)").first()
            let owner = try row?.decode(column: "owner_id", as: Int64?.self).map { User.ID($0) }
            errors.check(row != nil && AccessPolicy.allows(actor, .read, .account, owner: owner), "accountId", "no account \(deal.accountID)")
        }
        if let contact = deal.contactID, deal.contactID != old?.contactID || deal.accountID != old?.accountID {
            errors.check(try await count(sql, """
                SELECT COUNT(*) AS n FROM contacts WHERE id = \(bind: contact.rawValue) AND account_id = \(bind: deal.accountID.rawValue)
                """) == 1, "contactId", "contact \(contact) is not one of account \(deal.accountID)'s people")
        }
        if deal.ownerID.rawValue != 0 || old != nil {
            try await checkOwner(deal.ownerID, changedFrom: old?.ownerID, in: sql, into: &errors)
        }
    }

    private static func enterStage(_ deal: Deal, by user: User.ID, at now: Date, in sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO deal_stage_history (deal_id, stage_id, entered_at, user_id)
            VALUES (\(bind: deal.id.rawValue), \(bind: deal.stageID.rawValue), \(bind: now.epochMilliseconds), \(bind: user.rawValue))
            """).run()
    }

    static func timeZone(in sql: any SQLDatabase) async throws -> TimeZone {
        let name = try await sql.raw("SELECT value FROM settings WHERE key = 'company.time_zone'").first()?
            .decode(column: "value", as: String.self)
        return name.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Europe/Stockholm")!
    }
}
