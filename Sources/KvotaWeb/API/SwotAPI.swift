import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/swot` (issue 8, the manager's toolkit): SWOT boards per scope and period with their items, the board of
/// the period before for comparison, and tasks spawned from items.
struct SwotAPI {
    let database: Database
    let config: AppConfig

    struct ItemDTO: Encodable {
        let id: Int64
        let quadrant: String
        let text: String
        let impact: Int
        let ownerId: Int64?
        let taskIds: [Int64]
        let version: Int64

        init(_ item: SwotBoard.Item) {
            id = item.id.rawValue; quadrant = item.quadrant.rawValue; text = item.text; impact = item.impact; ownerId = item.ownerID?.rawValue
            taskIds = item.taskIDs; version = item.version
        }

        enum CodingKeys: String, CodingKey { case id, quadrant, text, impact, ownerId, taskIds, version }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(quadrant, forKey: .quadrant); try c.encode(text, forKey: .text)
            try c.encode(impact, forKey: .impact); try c.encode(ownerId, forKey: .ownerId); try c.encode(taskIds, forKey: .taskIds)
            try c.encode(version, forKey: .version)
        }
    }

    struct Summary: Encodable {
        let id: Int64
        let scope: String
        let period: String
        let title: String
        let createdAt: Date

        init(_ board: SwotBoard) {
            id = board.id.rawValue; scope = board.scope.description; period = board.period.label; title = board.title; createdAt = board.createdAt
        }
    }

    struct BoardDTO: Encodable {
        let summary: Summary
        let items: [ItemDTO]
        let previousId: Int64?

        init(_ board: SwotBoard, previous: SwotBoard? = nil) {
            summary = Summary(board); items = board.items.map(ItemDTO.init); previousId = previous?.id.rawValue
        }

        enum CodingKeys: String, CodingKey { case items, previousId }

        func encode(to encoder: any Encoder) throws {
            try summary.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(items, forKey: .items); try c.encode(previousId, forKey: .previousId)
        }
    }

    struct Answer: Encodable {
        let board: BoardDTO
        let previous: BoardDTO?

        enum CodingKeys: String, CodingKey { case board, previous }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(board, forKey: .board); try c.encode(previous, forKey: .previous)
        }
    }

    struct Page: Encodable { let items: [Summary] }

    struct NewBoard: Decodable { let scope: String?; let period: String?; let title: String? }

    struct ItemBody: Decodable {
        let quadrant: String?
        let text: String?
        let impact: Int?
        let ownerId: Int64??

        enum CodingKeys: String, CodingKey { case quadrant, text, impact, ownerId }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            quadrant = try c.decodeIfPresent(String.self, forKey: .quadrant)
            text = try c.decodeIfPresent(String.self, forKey: .text)
            impact = try c.decodeIfPresent(Int.self, forKey: .impact)
            // Present and null clears the owner; absent leaves it.
            ownerId = c.contains(.ownerId) ? .some(try c.decodeIfPresent(Int64.self, forKey: .ownerId)) : nil
        }
    }

    struct TaskBody: Decodable { let ownerId: Int64?; let subject: String?; let dueAt: Date? }
    struct Spawned: Encodable { let activityId: Int64; let ownerId: Int64; let subject: String; let dueAt: Date? }

    static func scope(_ text: String?, into errors: inout ValidationFailure.Collector) -> SwotBoard.Scope? {
        guard let text else { return nil }
        do throws(ValueError) { return try SwotBoard.Scope(text) } catch { errors.check(false, "scope", error.reason); return nil }
    }

    static func period(_ text: String?, into errors: inout ValidationFailure.Collector) -> Period? {
        guard let text else { return nil }
        do throws(ValueError) { return try Period(label: text) } catch { errors.check(false, "period", error.reason); return nil }
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/swot") { request, context -> Response in
            var errors = ValidationFailure.Collector()
            let scope = Self.scope(request.uri.queryParameters["scope"].map(String.init), into: &errors)
            try errors.finish()
            let boards = try await database.swotBoards(for: context.actor, scope: scope)
            return try JSONBody.response(Page(items: boards.map(Summary.init)))
        }
        api.post("/swot") { request, context -> Response in
            let body = try await JSONBody.decode(NewBoard.self, from: request)
            var errors = ValidationFailure.Collector()
            let scope = Self.scope(body.scope, into: &errors), period = Self.period(body.period, into: &errors)
            let board = try await database.addSwotBoard(scope: scope, period: period, title: body.title, problems: errors, by: context.actor,
                                                        at: config.now(), address: context.address)
            return try JSONBody.response(BoardDTO(board), status: .created)
        }
        api.get("/swot/:id") { request, context -> Response in
            let (board, previous) = try await database.swotBoard(SwotBoard.ID(try request.id(.swot, context: context)), for: context.actor)
            return try JSONBody.response(Answer(board: BoardDTO(board, previous: previous), previous: previous.map { BoardDTO($0) }))
        }
        api.post("/swot/:id/items") { request, context -> Response in
            let board = SwotBoard.ID(try request.id(.swot, context: context))
            let body = try await JSONBody.decode(ItemBody.self, from: request)
            var errors = ValidationFailure.Collector()
            let quadrant = decodeKey(body.quadrant, as: SwotBoard.Quadrant.self, field: "quadrant", into: &errors)
            let item = try await database.addSwotItem(to: board, quadrant: quadrant, text: body.text, impact: body.impact,
                                                      owner: (body.ownerId ?? nil).map { User.ID($0) }, problems: errors, by: context.actor,
                                                      at: config.now(), address: context.address)
            return try Versioning.response(ItemDTO(item), version: item.version, status: .created)
        }
        api.patch("/swot/items/:id") { request, context -> Response in
            let id = SwotBoard.Item.ID(try request.id(.swot, context: context))
            let body = try await JSONBody.decode(ItemBody.self, from: request)
            var errors = ValidationFailure.Collector()
            let quadrant = decodeKey(body.quadrant, as: SwotBoard.Quadrant.self, field: "quadrant", into: &errors)
            let item = try await database.updateSwotItem(id, quadrant: quadrant, text: body.text, impact: body.impact,
                                                         owner: body.ownerId.map { $0.map { User.ID($0) } }, problems: errors,
                                                         expectedVersion: try Versioning.expectedVersion(request), by: context.actor,
                                                         at: config.now(), address: context.address)
            return try Versioning.response(ItemDTO(item), version: item.version)
        }
        api.delete("/swot/items/:id") { request, context -> Response in
            try await database.deleteSwotItem(SwotBoard.Item.ID(try request.id(.swot, context: context)), by: context.actor, at: config.now(),
                                              address: context.address)
            return Response(status: .noContent)
        }
        api.post("/swot/items/:id/tasks") { request, context -> Response in
            let id = SwotBoard.Item.ID(try request.id(.swot, context: context))
            let body = try await JSONBody.decode(TaskBody.self, from: request)
            let task = try await database.spawnSwotTask(from: id, owner: body.ownerId.map { User.ID($0) }, subject: body.subject, due: body.dueAt,
                                                        by: context.actor, at: config.now(), address: context.address)
            return try JSONBody.response(Spawned(activityId: task.id.rawValue, ownerId: task.ownerID.rawValue, subject: task.subject, dueAt: task.dueAt),
                                         status: .created)
        }
    }
}
