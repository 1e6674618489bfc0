import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import NIOPosix

/// `/api/v1/users`: admins manage people; heads, directors and analysts read them (docs/access.md).
struct UsersAPI {
    let database: Database
    let config: AppConfig

    struct NewUser: Decodable {
        let email: String
        let name: String
        let role: String
        let teamId: Int64?
        let managerId: Int64?
        let language: String?
        let extension_: String?
        /// Without one, Kvota generates a password and returns it once.
        let password: String?

        enum CodingKeys: String, CodingKey {
            case email, name, role, teamId, managerId, language, extension_ = "extension", password
        }
    }

    struct Created: Encodable {
        let user: UserDTO
        let password: String?
    }

    /// Absent fields stay as they are; `null` clears team, manager or extension.
    struct Change: Decodable {
        var patch = UserPatch()
        var version: Int64?
        var roleKey: String?
        var languageKey: String?

        enum CodingKeys: String, CodingKey {
            case name, role, teamId, managerId, language, extension_ = "extension", active, version
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            patch.name = try c.decodeIfPresent(String.self, forKey: .name)
            roleKey = try c.decodeIfPresent(String.self, forKey: .role)
            languageKey = try c.decodeIfPresent(String.self, forKey: .language)
            if c.contains(.teamId) { patch.teamID = .some(try c.decodeIfPresent(Int64.self, forKey: .teamId).map { Team.ID($0) }) }
            if c.contains(.managerId) {
                patch.managerID = .some(try c.decodeIfPresent(Int64.self, forKey: .managerId).map { User.ID($0) })
            }
            if c.contains(.extension_) { patch.phoneExtension = .some(try c.decodeIfPresent(String.self, forKey: .extension_)) }
            patch.active = try c.decodeIfPresent(Bool.self, forKey: .active)
            version = try c.decodeIfPresent(Int64.self, forKey: .version)
        }
    }

    struct HandOverRequest: Decodable {
        let toUserIds: [Int64]?
        let toTeamId: Int64?
    }

    struct Assignment: Encodable {
        let role: String
        let teamId: Int64?
        let managerId: Int64?
        let from: Date
        let to: Date?
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/users") { _, context -> Response in
            _ = try AccessPolicy.require(context.actor, .list, .user)
            return try JSONBody.response(Page(items: try await database.users().map(UserDTO.init)))
        }
        api.get("/users/:id") { request, context -> Response in
            try JSONBody.response(UserDTO(try await visibleUser(request, context, for: .read)))
        }
        api.get("/users/:id/assignments") { request, context -> Response in
            let user = try await visibleUser(request, context, for: .read)
            let rows = try await database.assignments(of: user.id).map {
                Assignment(role: $0.role.rawValue, teamId: $0.teamID?.rawValue, managerId: $0.managerID?.rawValue,
                           from: $0.from, to: $0.to)
            }
            return try JSONBody.response(Page(items: rows))
        }
        api.post("/users") { request, context -> Response in
            _ = try AccessPolicy.require(context.actor, .create, .user)
            return try await create(try await JSONBody.decode(NewUser.self, from: request), context)
        }
        api.patch("/users/:id") { request, context -> Response in
            let user = try await visibleUser(request, context, for: .update)
            let change = try await JSONBody.decode(Change.self, from: request)
            var errors = ValidationFailure.Collector()
            var patch = change.patch
            patch.role = decodeKey(change.roleKey, as: Role.self, field: "role", into: &errors)
            patch.language = decodeKey(change.languageKey, as: Language.self, field: "language", into: &errors)
            try errors.finish()
            let updated = try await database.updateUser(user.id, patch, expectedVersion: change.version,
                                                        by: context.user.id, at: config.now(), address: context.address)
            return try JSONBody.response(UserDTO(updated))
        }
        api.post("/users/:id/hand-over") { request, context -> Response in
            let user = try await visibleUser(request, context, for: .read)
            let body = try await JSONBody.decode(HandOverRequest.self, from: request)
            var receivers = (body.toUserIds ?? []).map { User.ID($0) }
            if let team = body.toTeamId {
                guard try await database.team(id: Team.ID(team)) != nil else {
                    throw ValidationFailure([.invalid(field: "toTeamId", reason: "no team \(team)")])
                }
                receivers += try await database.activeMembers(of: Team.ID(team), roles: [.rep])
            }
            let summary = try await database.handOver(from: user.id, to: receivers, by: context.actor, at: config.now(),
                                                      address: context.address)
            return try JSONBody.response(summary)
        }
    }

    private func visibleUser(_ request: Request, _ context: SignedInContext, for action: AccessAction) async throws -> User {
        let id = try request.id(.user, context: context)
        guard let user = try await database.user(id: User.ID(id)) else { throw AccessDenied.notFound(.user, id: id) }
        try AccessPolicy.require(context.actor, action, .user, id: id, owner: nil)
        return user
    }

    private func create(_ body: NewUser, _ context: SignedInContext) async throws -> Response {
        var errors = ValidationFailure.Collector()
        let role = decodeKey(body.role, as: Role.self, field: "role", into: &errors)
        let language = decodeKey(body.language, as: Language.self, field: "language", into: &errors) ?? .en
        let draft = UserDraft(name: body.name, email: body.email, role: role ?? .rep, teamID: body.teamId.map { Team.ID($0) },
                              managerID: body.managerId.map { User.ID($0) }, language: language,
                              phoneExtension: body.extension_)
        let (user, password) = try await Self.add(draft, password: body.password, problems: errors, database: database, context: context,
                                                  at: config.now())
        return try JSONBody.response(Created(user: UserDTO(user), password: body.password == nil ? password : nil), status: .created)
    }

    /// Adds a user with the password given or a generated one (returned, to be shown once); the API and the users
    /// page both add users here. The caller has checked that the actor may.
    static func add(_ draft: UserDraft, password given: String?, problems: ValidationFailure.Collector, database: Database,
                    context: SignedInContext, at now: Date) async throws -> (User, String) {
        var errors = problems
        if let given { Passwords.check(given, field: "password", into: &errors) }
        draft.normalised().check(into: &errors)
        try errors.finish()
        let password = given ?? Passwords.generate()
        let hash = try await NIOThreadPool.singleton.runIfActive { try Passwords.hash(password) }
        let user = try await database.addUser(draft, passwordHash: hash, by: context.user.id, at: now, address: context.address)
        return (user, password)
    }
}
