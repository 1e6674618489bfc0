import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/alerts` (issue 8): one's own alerts with the bell's unread count, marking them seen, resolving one, and
/// (admins) a round of evaluation now. Who sees which alert is `AccessPolicy`'s `.alert` reach: its recipients.
struct AlertsAPI {
    let database: Database
    let config: AppConfig

    struct Item: Encodable {
        let id: Int64
        let rule: String
        let subject: String
        let subjectId: Int64
        let episode: String
        let ownerId: Int64?
        let title: String
        let since: Date?
        let value: Double?
        let state: String
        let raisedAt: Date
        let seenAt: Date?
        let resolvedAt: Date?
        let resolvedBy: Int64?
        let clearedAt: Date?
        let link: String?

        init(_ alert: Alert) {
            id = alert.id.rawValue; rule = alert.rule.rawValue; subject = alert.rule.subject.rawValue; subjectId = alert.subjectID
            episode = alert.episode; ownerId = alert.ownerID?.rawValue; title = alert.title; since = alert.since; value = alert.value
            state = alert.state.rawValue; raisedAt = alert.raisedAt; seenAt = alert.seenAt; resolvedAt = alert.resolvedAt
            resolvedBy = alert.resolvedBy?.rawValue; clearedAt = alert.clearedAt; link = AlertsAPI.link(alert)?.path
        }

        enum CodingKeys: String, CodingKey {
            case id, rule, subject, subjectId, episode, ownerId, title, since, value, state, raisedAt, seenAt, resolvedAt, resolvedBy, clearedAt, link
        }

        /// Every field present, null where there is nothing, so a client sees the whole shape.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(rule, forKey: .rule); try c.encode(subject, forKey: .subject)
            try c.encode(subjectId, forKey: .subjectId); try c.encode(episode, forKey: .episode); try c.encode(ownerId, forKey: .ownerId)
            try c.encode(title, forKey: .title); try c.encode(since, forKey: .since); try c.encode(value, forKey: .value)
            try c.encode(state, forKey: .state); try c.encode(raisedAt, forKey: .raisedAt); try c.encode(seenAt, forKey: .seenAt)
            try c.encode(resolvedAt, forKey: .resolvedAt); try c.encode(resolvedBy, forKey: .resolvedBy)
            try c.encode(clearedAt, forKey: .clearedAt); try c.encode(link, forKey: .link)
        }
    }

    struct Page: Encodable {
        let items: [Item]
        let unread: Int
        let next: String?

        enum CodingKeys: String, CodingKey { case items, unread, next }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(items, forKey: .items); try c.encode(unread, forKey: .unread); try c.encode(next, forKey: .next)
        }
    }

    struct SeenBody: Decodable {
        let ids: [Int64]?
        let all: Bool?
    }

    struct Seen: Encodable {
        let marked: Int
        let unread: Int
    }

    struct ResolveBody: Decodable {
        let note: String?
    }

    struct Round: Encodable {
        let checked: [String]
        let raised: [String: Int]
        let cleared: [String: Int]
    }

    /// The page the alert is about, where there is one.
    static func link(_ alert: Alert) -> SiteURL? {
        switch alert.rule.subject {
        case .lead: .lead(id: alert.subjectID)
        case .deal: .deal(id: alert.subjectID)
        case .account: .account(id: alert.subjectID)
        case .plan: .plan(id: alert.subjectID)
        case .company: .analysis(.concentration, query: "")
        case .webhook: .adminWebhooks
        // A call has no page of its own.
        case .call: nil
        }
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/alerts") { request, context -> Response in
            let parameters = request.uri.queryParameters
            var errors = ValidationFailure.Collector()
            var query = AlertQuery()
            if let show = decodeKey(parameters["show"].map(String.init), as: AlertQuery.Show.self, field: "show", into: &errors) { query.show = show }
            query.rule = decodeKey(parameters["rule"].map(String.init), as: AlertRule.self, field: "rule", into: &errors)
            query.limit = ListParameters.number(parameters, "limit", query.limit, in: 1...500, into: &errors)
            query.before = ListParameters.id(parameters, "cursor", into: &errors).map { Alert.ID($0) }
            try errors.finish()
            let alerts = try await database.alerts(for: context.actor, query)
            let unread = try await database.unreadAlertCount(for: context.actor)
            let next = alerts.count == query.limit ? alerts.last.map { String($0.id.rawValue) } : nil
            return try JSONBody.response(Page(items: alerts.map(Item.init), unread: unread, next: next))
        }
        api.get("/alerts/:id") { request, context -> Response in
            try JSONBody.response(Item(try await database.alert(Alert.ID(try request.id(.alert, context: context)), for: context.actor)))
        }
        api.post("/alerts/seen") { request, context -> Response in
            let body = try await JSONBody.decode(SeenBody.self, from: request)
            var errors = ValidationFailure.Collector()
            errors.check((body.ids != nil) != (body.all == true), "ids", "give the ids of the alerts seen, or \"all\": true")
            try errors.finish()
            let marked = try await database.markAlertsSeen(body.ids?.map { Alert.ID($0) }, by: context.actor, at: config.now())
            return try JSONBody.response(Seen(marked: marked, unread: try await database.unreadAlertCount(for: context.actor)))
        }
        api.post("/alerts/:id/resolve") { request, context -> Response in
            let id = Alert.ID(try request.id(.alert, context: context))
            let body = try await JSONBody.decode(ResolveBody.self, from: request)
            var errors = ValidationFailure.Collector()
            errors.check((body.note ?? "").count <= 2_000, "note", "at most 2000 characters")
            try errors.finish()
            let alert = try await database.resolveAlert(id, note: body.note, by: context.actor, at: config.now(), address: context.address)
            return try JSONBody.response(Item(alert))
        }
        api.post("/alerts/evaluate") { _, context -> Response in
            _ = try AccessPolicy.require(context.actor, .update, .settings)
            let round = try await database.evaluateAlerts(at: config.now())
            return try JSONBody.response(Round(checked: round.checked.map(\.rawValue),
                                               raised: Dictionary(uniqueKeysWithValues: round.raised.map { ($0.key.rawValue, $0.value) }),
                                               cleared: Dictionary(uniqueKeysWithValues: round.cleared.map { ($0.key.rawValue, $0.value) })))
        }
    }
}
