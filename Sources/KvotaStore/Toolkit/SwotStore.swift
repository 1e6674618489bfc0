import Foundation
import KvotaCore
import SQLKit

/// SWOT boards and their items. Who reads and keeps which board is `AccessPolicy`'s `.swot` reach, by the board's
/// scope (a team's board is the team's; company and product-line boards the company's).
extension Database {
    /// The boards the actor may read, newest period first, without their items (`items` empty).
    public func swotBoards(for actor: Actor, scope: SwotBoard.Scope? = nil) async throws -> [SwotBoard] {
        let reach = try AccessPolicy.require(actor, .list, .swot)
        return try await read { sql in
            try await Self.swotBoards(in: sql).filter { reach.allows($0.scope.planSubject) && (scope == nil || $0.scope == scope) }
        }
    }

    /// One board with its items, and the board of the same scope for the period just before it (for comparison).
    public func swotBoard(_ id: SwotBoard.ID, for actor: Actor) async throws -> (board: SwotBoard, previous: SwotBoard?) {
        try await read { sql in
            let board = try await Self.readableBoard(id, for: actor, in: sql)
            let previous = try await Self.swotBoards(in: sql).filter { $0.scope == board.scope && $0.period.start < board.period.start }
                .max { $0.period.start < $1.period.start }
            return (board, try await previous.asyncMap { try await Self.withItems($0, in: sql) })
        }
    }

    public func addSwotBoard(scope: SwotBoard.Scope?, period: Period?, title: String?, problems: ValidationFailure.Collector = .init(),
                             by actor: Actor, at now: Date, address: String? = nil) async throws -> SwotBoard {
        var errors = problems
        errors.check(scope != nil || problems.has("scope"), "scope", "is required (company, team:ID or category:ID)")
        errors.check(period != nil || problems.has("period"), "period", "is required (e.g. 2026-Q4)")
        let title = title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        errors.check(title.count <= 200, "title", "expected at most 200 characters")
        if let scope { try Self.requireKeeping(scope, actor, .create) }
        return try await write { sql in
            switch scope {
            case .team(let id): errors.check(try await Self.exists("teams", id.rawValue, in: sql), "scope", "no team \(id)")
            case .category(let id): errors.check(try await Self.exists("product_categories", id, in: sql), "scope", "no product category \(id)")
            case .company, nil: break
            }
            if let scope, let period, try await Self.swotBoards(in: sql).contains(where: { $0.scope == scope && $0.period == period }) {
                errors.check(false, "period", "\(scope) already has a SWOT board for \(period.label)")
            }
            try errors.finish()
            let (kind, team, category): (String, Int64?, Int64?) = switch scope! {
            case .company: ("company", nil, nil)
            case .team(let id): ("team", id.rawValue, nil)
            case .category(let id): ("category", nil, id)
            }
            let row = try await sql.raw("""
                INSERT INTO swot_boards (scope_kind, team_id, category_id, grain, starts_on, title, created_at, created_by)
                VALUES (\(bind: kind), \(bind: team), \(bind: category), \(bind: period!.grain.rawValue), \(bind: period!.start.key), \(bind: title),
                        \(bind: now.epochMilliseconds), \(bind: actor.userID.rawValue))
                RETURNING id
                """).first()
            let board = SwotBoard(id: .init(try row!.decode(column: "id", as: Int64.self)), scope: scope!, period: period!, title: title, createdAt: now)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "SWOT board", entityID: board.id.rawValue,
                                            changes: AuditLog.created([("scope", scope!.description), ("period", period!.label), ("title", title)]),
                                            address: address), in: sql)
            return board
        }
    }

    public func addSwotItem(to id: SwotBoard.ID, quadrant: SwotBoard.Quadrant?, text: String?, impact: Int?, owner: User.ID?,
                            problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                            address: String? = nil) async throws -> SwotBoard.Item {
        try await write { sql in
            let board = try await Self.readableBoard(id, for: actor, in: sql)
            try Self.requireKeeping(board.scope, actor, .update)
            var errors = problems
            let text = text?.trimmingCharacters(in: .whitespacesAndNewlines)
            errors.check(quadrant != nil || problems.has("quadrant"), "quadrant", "is required (strengths, weaknesses, opportunities or threats)")
            errors.check(text != nil, "text", "is required")
            SwotBoard.Item.check(text: text, impact: impact ?? 3, into: &errors)
            if let owner { errors.check(try await Self.exists("users", owner.rawValue, in: sql), "ownerId", "no user \(owner)") }
            try errors.finish()
            let row = try await sql.raw("""
                INSERT INTO swot_items (board_id, quadrant, text, impact, owner_id, created_at)
                VALUES (\(bind: id.rawValue), \(bind: quadrant!.rawValue), \(bind: text!), \(bind: impact ?? 3), \(bind: owner?.rawValue),
                        \(bind: now.epochMilliseconds))
                RETURNING id
                """).first()
            let item = SwotBoard.Item(id: .init(try row!.decode(column: "id", as: Int64.self)), quadrant: quadrant!, text: text!, impact: impact ?? 3,
                                      ownerID: owner)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "SWOT item", entityID: item.id.rawValue,
                                            changes: AuditLog.created([("board", String(id.rawValue)), ("quadrant", quadrant!.rawValue),
                                                                       ("text", text!), ("impact", String(impact ?? 3))]),
                                            address: address), in: sql)
            return item
        }
    }

    /// Changes an item's quadrant, text, impact or owner (`owner: .some(nil)` clears it).
    public func updateSwotItem(_ id: SwotBoard.Item.ID, quadrant: SwotBoard.Quadrant?, text: String?, impact: Int?, owner: User.ID??,
                               problems: ValidationFailure.Collector = .init(), expectedVersion: Int64?, by actor: Actor, at now: Date,
                               address: String? = nil) async throws -> SwotBoard.Item {
        try await write { sql in
            try await sql.lockForChange("swot_items", id: id.rawValue)
            let (boardID, old) = try await Self.item(id, for: actor, in: sql)
            try VersionConflict.check(.swot, id: id.rawValue, expected: expectedVersion, current: old.version)
            var errors = problems
            var new = old
            if let quadrant { new.quadrant = quadrant }
            if let text { new.text = text.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let impact { new.impact = impact }
            if let owner { new.ownerID = owner }
            SwotBoard.Item.check(text: new.text, impact: new.impact, into: &errors)
            if let owner = new.ownerID, owner != old.ownerID {
                errors.check(try await Self.exists("users", owner.rawValue, in: sql), "ownerId", "no user \(owner)")
            }
            try errors.finish()
            let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            guard !changes.isEmpty else { return old }
            new.version = old.version + 1
            try await sql.raw("""
                UPDATE swot_items SET quadrant = \(bind: new.quadrant.rawValue), text = \(bind: new.text), impact = \(bind: new.impact),
                    owner_id = \(bind: new.ownerID?.rawValue), version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "SWOT item", entityID: id.rawValue,
                                            changes: changes, detail: "board \(boardID)", address: address), in: sql)
            return new
        }
    }

    /// Deletes an item; the tasks it spawned stay with their owners.
    public func deleteSwotItem(_ id: SwotBoard.Item.ID, by actor: Actor, at now: Date, address: String? = nil) async throws {
        try await write { sql in
            let (_, old) = try await Self.item(id, for: actor, in: sql)
            try await DeletionRules.clear("swot_items", id: id.rawValue, kind: "SWOT item", in: sql)
            try await sql.raw("DELETE FROM swot_items WHERE id = \(bind: id.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "SWOT item", entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)), address: address), in: sql)
        }
    }

    /// A task from an item, for its owner (default the item's owner, else the actor), due on `due` (default in a week);
    /// it stands in the owner's day like any task, and the item lists it.
    public func spawnSwotTask(from id: SwotBoard.Item.ID, owner: User.ID?, subject: String?, due: Date?, by actor: Actor, at now: Date,
                              address: String? = nil) async throws -> Activity {
        let zone = try await companyTimeZone()
        let country = try await defaultCountry()
        return try await write { sql in
            let (_, item) = try await Self.item(id, for: actor, in: sql)
            var patch = ActivityPatch()
            patch.kind = .task
            patch.ownerID = owner ?? item.ownerID ?? actor.userID
            patch.subject = subject ?? "SWOT: \(item.text.prefix(480))"
            patch.dueAt = .some(due ?? now.addingTimeInterval(7 * 86_400))
            let task = try await Self.insertActivity(patch, problems: .init(), country: country, zone: zone, by: actor, at: now,
                                                     address: address, in: sql)
            try await sql.raw("INSERT INTO swot_item_tasks (item_id, activity_id) VALUES (\(bind: id.rawValue), \(bind: task.id.rawValue))").run()
            return task
        }
    }

    /// The board an item is on (nil: no such item); says nothing the item's page would not.
    public func swotBoardID(of item: SwotBoard.Item.ID) async throws -> SwotBoard.ID? {
        try await read { sql in
            try await sql.raw("SELECT board_id FROM swot_items WHERE id = \(bind: item.rawValue)").first()
                .map { SwotBoard.ID(try $0.decode(column: "board_id", as: Int64.self)) }
        }
    }

    private static func requireKeeping(_ scope: SwotBoard.Scope, _ actor: Actor, _ action: AccessAction) throws(AccessDenied) {
        guard AccessPolicy.scope(actor, action, .swot).allows(scope.planSubject) else {
            throw AccessDenied.forbidden(action, .swot)
        }
    }

    private static func readableBoard(_ id: SwotBoard.ID, for actor: Actor, in sql: any SQLDatabase) async throws -> SwotBoard {
        guard let board = try await swotBoards(in: sql, id: id).first,
              AccessPolicy.scope(actor, .read, .swot).allows(board.scope.planSubject) else {
            throw AccessDenied.notFound(.swot, id: id.rawValue)
        }
        return try await withItems(board, in: sql)
    }

    /// An item the actor may change, with its board's id.
    private static func item(_ id: SwotBoard.Item.ID, for actor: Actor, in sql: any SQLDatabase) async throws -> (SwotBoard.ID, SwotBoard.Item) {
        guard let row = try await sql.raw("SELECT board_id FROM swot_items WHERE id = \(bind: id.rawValue)").first() else {
            throw AccessDenied.notFound(.swot, id: id.rawValue)
        }
        let boardID = SwotBoard.ID(try row.decode(column: "board_id", as: Int64.self))
        let board = try await readableBoard(boardID, for: actor, in: sql)
        try requireKeeping(board.scope, actor, .update)
        return (boardID, board.items.first { $0.id == id }!)
    }

    private static func fields(of item: SwotBoard.Item) -> [(String, String?)] {
        [("quadrant", item.quadrant.rawValue), ("text", item.text), ("impact", String(item.impact)), ("ownerId", item.ownerID.map { String($0.rawValue) })]
    }

    private static func withItems(_ board: SwotBoard, in sql: any SQLDatabase) async throws -> SwotBoard {
        var board = board
        var tasks: [Int64: [Int64]] = [:]
        for row in try await sql.raw("""
            SELECT t.item_id, t.activity_id FROM swot_item_tasks t JOIN swot_items i ON i.id = t.item_id
            WHERE i.board_id = \(bind: board.id.rawValue) ORDER BY t.activity_id
            """).all() {
            tasks[try row.decode(column: "item_id", as: Int64.self), default: []].append(try row.decode(column: "activity_id", as: Int64.self))
        }
        board.items = try await sql.raw("""
            SELECT id, quadrant, text, impact, owner_id, version FROM swot_items WHERE board_id = \(bind: board.id.rawValue) ORDER BY id
            """).all().map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            let key = try row.decode(column: "quadrant", as: String.self)
            guard let quadrant = SwotBoard.Quadrant(rawValue: key) else { throw StoreError.query("swot_items.quadrant: unknown '\(key)'") }
            return SwotBoard.Item(id: .init(id), quadrant: quadrant, text: try row.decode(column: "text", as: String.self),
                                  impact: try row.decode(column: "impact", as: Int.self),
                                  ownerID: try row.decode(column: "owner_id", as: Int64?.self).map { User.ID($0) }, taskIDs: tasks[id] ?? [],
                                  version: try row.decode(column: "version", as: Int64.self))
        }
        return board
    }

    static func swotBoards(in sql: any SQLDatabase, id: SwotBoard.ID? = nil) async throws -> [SwotBoard] {
        let condition: SQLQueryString = id.map { "WHERE id = \(bind: $0.rawValue)" } ?? ""
        return try await sql.raw("""
            SELECT id, scope_kind, team_id, category_id, grain, starts_on, title, created_at FROM swot_boards \(condition)
            ORDER BY starts_on DESC, id DESC
            """).all().map { row in
            let scope: SwotBoard.Scope = switch try row.decode(column: "scope_kind", as: String.self) {
            case "team": .team(Team.ID(try row.decode(column: "team_id", as: Int64.self)))
            case "category": .category(try row.decode(column: "category_id", as: Int64.self))
            default: .company
            }
            let grainKey = try row.decode(column: "grain", as: String.self)
            guard let grain = PeriodGrain(rawValue: grainKey) else { throw StoreError.query("swot_boards.grain: unknown '\(grainKey)'") }
            return SwotBoard(id: .init(try row.decode(column: "id", as: Int64.self)), scope: scope,
                             period: Period(grain, from: try LocalDate(key: try row.decode(column: "starts_on", as: Int.self))),
                             title: try row.decode(column: "title", as: String.self),
                             createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
        }
    }
}
