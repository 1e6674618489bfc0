import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The intake's settings (issue 9): web forms (`/api/v1/web-forms`), assignment rules (`/api/v1/assignment-rules`)
/// and who is on shift (`/api/v1/users/{id}/shift`).
struct IntakeSetupAPI {
    let database: Database
    let config: AppConfig

    struct WebFormDTO: Encodable {
        let id: Int64
        let key: String
        /// Where the form posts (and a hosted copy of it opens).
        let url: String
        let name: String
        let source: String
        let regionId: Int64?
        let redirectUrl: String?
        let active: Bool
        let createdAt: Date
        let version: Int64

        init(_ form: WebForm, base: String) {
            id = form.id.rawValue; key = form.key; url = base + SiteURL.webForm(key: form.key).path; name = form.name
            source = form.source.rawValue; regionId = form.regionID?.rawValue; redirectUrl = form.redirectURL; active = form.active
            createdAt = form.createdAt; version = form.version
        }
    }

    struct WebFormBody: Decodable {
        var patch = WebFormPatch()
        enum CodingKeys: String, CodingKey { case name, source, regionId, redirectUrl, active }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            patch.name = try c.decodeIfPresent(String.self, forKey: .name)
            patch.source = try c.decodeIfPresent(String.self, forKey: .source).map(LeadSource.init(rawValue:))
            if c.contains(.regionId) { patch.regionID = .some(try c.decodeIfPresent(Int64.self, forKey: .regionId).map { Region.ID($0) }) }
            if c.contains(.redirectUrl) { patch.redirectURL = .some(try c.decodeIfPresent(String.self, forKey: .redirectUrl)) }
            patch.active = try c.decodeIfPresent(Bool.self, forKey: .active)
        }
    }

    struct RuleDTO: Encodable {
        let id: Int64
        let kind: String
        let position: Int
        let regionId: Int64?
        let source: String?
        let channel: String?
        let userId: Int64?
        let teamId: Int64?
        let active: Bool
        let lastUserId: Int64?
        let version: Int64

        init(_ rule: AssignmentRule) {
            id = rule.id.rawValue; kind = rule.kind.rawValue; position = rule.position; regionId = rule.regionID?.rawValue
            source = rule.source?.rawValue; channel = rule.channel; userId = rule.userID?.rawValue; teamId = rule.teamID?.rawValue
            active = rule.active; lastUserId = rule.lastUserID?.rawValue; version = rule.version
        }
    }

    struct RuleBody: Decodable {
        var patch = AssignmentRulePatch()
        var kindKey: String?
        enum CodingKeys: String, CodingKey { case kind, position, regionId, source, channel, userId, teamId, active }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kindKey = try c.decodeIfPresent(String.self, forKey: .kind)
            patch.position = try c.decodeIfPresent(Int.self, forKey: .position)
            if c.contains(.regionId) { patch.regionID = .some(try c.decodeIfPresent(Int64.self, forKey: .regionId).map { Region.ID($0) }) }
            if c.contains(.source) { patch.source = .some(try c.decodeIfPresent(String.self, forKey: .source).map(LeadSource.init(rawValue:))) }
            if c.contains(.channel) { patch.channel = .some(try c.decodeIfPresent(String.self, forKey: .channel)) }
            if c.contains(.userId) { patch.userID = .some(try c.decodeIfPresent(Int64.self, forKey: .userId).map { User.ID($0) }) }
            if c.contains(.teamId) { patch.teamID = .some(try c.decodeIfPresent(Int64.self, forKey: .teamId).map { Team.ID($0) }) }
            patch.active = try c.decodeIfPresent(Bool.self, forKey: .active)
        }

        func checked() throws -> AssignmentRulePatch {
            var errors = ValidationFailure.Collector()
            var patch = patch
            patch.kind = decodeKey(kindKey, as: AssignmentRule.Kind.self, field: "kind", into: &errors)
            try errors.finish()
            return patch
        }
    }

    struct Shift: Codable { let userId: Int64?; let onShift: Bool? }
    struct Items<T: Encodable>: Encodable { let items: [T] }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/web-forms") { request, context -> Response in
            let base = config.publicBase(for: request)
            return try JSONBody.response(Items(items: try await database.webForms(for: context.actor).map { WebFormDTO($0, base: base) }))
        }
        api.post("/web-forms") { request, context -> Response in
            let body = try await JSONBody.decode(WebFormBody.self, from: request)
            let form = try await database.addWebForm(body.patch, key: Self.newFormKey(), by: context.actor, at: config.now(), address: context.address)
            return try Versioning.response(WebFormDTO(form, base: config.publicBase(for: request)), version: form.version, status: .created)
        }
        api.get("/web-forms/:id") { request, context -> Response in
            let form = try await database.webForm(WebForm.ID(try request.id(.webForm, context: context)), for: context.actor)
            return try Versioning.response(WebFormDTO(form, base: config.publicBase(for: request)), version: form.version)
        }
        api.patch("/web-forms/:id") { request, context -> Response in
            let id = WebForm.ID(try request.id(.webForm, context: context))
            let body = try await JSONBody.decode(WebFormBody.self, from: request)
            let form = try await database.updateWebForm(id, body.patch, expectedVersion: try Versioning.expectedVersion(request), by: context.actor,
                                                        at: config.now(), address: context.address)
            return try Versioning.response(WebFormDTO(form, base: config.publicBase(for: request)), version: form.version)
        }
        api.get("/assignment-rules") { _, context -> Response in
            try JSONBody.response(Items(items: try await database.assignmentRules(for: context.actor).map(RuleDTO.init)))
        }
        api.post("/assignment-rules") { request, context -> Response in
            let patch = try await JSONBody.decode(RuleBody.self, from: request).checked()
            let rule = try await database.addAssignmentRule(patch, by: context.actor, at: config.now(), address: context.address)
            return try Versioning.response(RuleDTO(rule), version: rule.version, status: .created)
        }
        api.patch("/assignment-rules/:id") { request, context -> Response in
            let id = AssignmentRule.ID(try request.id(.assignmentRule, context: context))
            let patch = try await JSONBody.decode(RuleBody.self, from: request).checked()
            let rule = try await database.updateAssignmentRule(id, patch, expectedVersion: try Versioning.expectedVersion(request), by: context.actor,
                                                               at: config.now(), address: context.address)
            return try Versioning.response(RuleDTO(rule), version: rule.version)
        }
        api.delete("/assignment-rules/:id") { request, context -> Response in
            try await database.deleteAssignmentRule(AssignmentRule.ID(try request.id(.assignmentRule, context: context)),
                                                    expectedVersion: try Versioning.expectedVersion(request), by: context.actor, at: config.now(),
                                                    address: context.address)
            return Response(status: .noContent)
        }
        api.get("/users/:id/shift") { request, context -> Response in
            let user = User.ID(try request.id(.shift, context: context))
            return try JSONBody.response(Shift(userId: user.rawValue, onShift: try await database.isOnShift(user, for: context.actor)))
        }
        api.put("/users/:id/shift") { request, context -> Response in
            let user = User.ID(try request.id(.shift, context: context))
            let body = try await JSONBody.decode(Shift.self, from: request)
            guard let onShift = body.onShift else { throw ValidationFailure([.invalid(field: "onShift", reason: "is required (true or false)")]) }
            try await database.setOnShift(user, onShift, by: context.actor, at: config.now(), address: context.address)
            return try JSONBody.response(Shift(userId: user.rawValue, onShift: onShift))
        }
    }

    /// A form's key is public (it sits in the site's HTML) but not guessable, so nobody posts to forms they were not shown.
    static func newFormKey() -> String { String(Secrets.generate(prefix: "").prefix(24)) }
}
