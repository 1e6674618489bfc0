import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `GET /api/v1/kpis` (issue 8): the KPIs of the company, a team or a user over a window, each with the window just
/// before it and the team median. A question that cannot be answered as asked is a 400, as for the analytics.
struct KPIsAPI {
    let database: Database
    let config: AppConfig

    struct Item: Encodable {
        let key: String
        let value: Double?
        let unit: String
        let previous: Double?
        let teamMedian: Double?
        let target: Double?
        let score: Double?

        enum CodingKeys: String, CodingKey { case key, value, unit, previous, teamMedian, target, score }

        /// A KPI without a value (a rate of nothing, no team to compare with) is null, not absent.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(key, forKey: .key); try c.encode(value, forKey: .value); try c.encode(unit, forKey: .unit)
            try c.encode(previous, forKey: .previous); try c.encode(teamMedian, forKey: .teamMedian)
            try c.encode(target, forKey: .target); try c.encode(score, forKey: .score)
        }
    }

    struct Answer: Encodable {
        let scope: String
        let from: String
        let to: String
        let previousFrom: String
        let previousTo: String
        let currency: String
        let items: [Item]
    }

    struct Ranked: Encodable {
        let rank: Int
        let userId: Int64
        let name: String
        let value: Double?

        enum CodingKeys: String, CodingKey { case rank, userId, name, value }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rank, forKey: .rank); try c.encode(userId, forKey: .userId); try c.encode(name, forKey: .name)
            try c.encode(value, forKey: .value)
        }
    }

    struct Leaderboard: Encodable {
        let teamId: Int64
        let key: String
        let unit: String
        let from: String
        let to: String
        let currency: String
        let items: [Ranked]
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/kpis/leaderboard") { request, context -> Response in
            let parameters = request.uri.queryParameters
            let settings = try await database.companySettings()
            let today = LocalDate(config.now(), in: settings.timeZone)
            var errors = ValidationFailure.Collector()
            let team = ListParameters.id(parameters, "team", into: &errors).map { Team.ID($0) }
            errors.check(parameters["team"] != nil, "team", "is required (a team's id)")
            let key = parameters["key"].map(String.init) ?? "revenue"
            let kpi = KPI(rawValue: key)
            errors.check(kpi != nil, "key", "no KPI '\(key)'")
            let window = AnalyticsParameters.window(parameters, "from", "to", default: (Period(.month, containing: today).start, today),
                                                    atMostYears: 10, into: &errors)
            try AnalyticsAPI.finish(errors)
            guard AccessPolicy.scope(context.actor, .read, .plan).allows(PlanSubject.team(team!)) else {
                throw HTTPError(.forbidden, message: "you may not see the KPIs of \(PlanSubject.team(team!))")
            }
            let ranked = try await AnalyticsAPI.answering {
                try await database.kpiLeaderboard(kpi!, team: team!, over: window, asOf: today, for: context.actor)
            }
            let names = try await database.userNames()
            return try JSONBody.response(Leaderboard(
                teamId: team!.rawValue, key: kpi!.rawValue, unit: kpi!.unit.rawValue, from: window.from.iso, to: window.through.iso,
                currency: settings.baseCurrency.code,
                items: ranked.enumerated().map { Ranked(rank: $0.offset + 1, userId: $0.element.userID.rawValue,
                                                       name: names[$0.element.userID] ?? "#\($0.element.userID)", value: $0.element.value) }))
        }
        api.get("/kpis") { request, context -> Response in
            let parameters = request.uri.queryParameters
            let settings = try await database.companySettings()
            let today = LocalDate(config.now(), in: settings.timeZone)
            var errors = ValidationFailure.Collector()
            let subject = PlansAPI.subject(parameters["scope"].map(String.init), into: &errors)
            errors.check(parameters["scope"] != nil, "scope", "is required (company, team:ID or user:ID)")
            let monthStart = Period(.month, containing: today).start
            let window = AnalyticsParameters.window(parameters, "from", "to", default: (monthStart, today), atMostYears: 10, into: &errors)
            var keys = KPI.allCases
            if let text = parameters["keys"].map(String.init) {
                keys = []
                for key in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                    if let kpi = KPI(rawValue: key) { keys.append(kpi) } else { errors.check(false, "keys", "no KPI '\(key)'") }
                }
            }
            try AnalyticsAPI.finish(errors)
            // The store refuses too; this says it in the KPIs' own words.
            guard AccessPolicy.scope(context.actor, .read, .plan).allows(subject!) else {
                throw HTTPError(.forbidden, message: "you may not see the KPIs of \(subject!)")
            }
            let report = try await AnalyticsAPI.answering {
                try await database.kpis(keys, of: subject!, over: window, asOf: today, for: context.actor)
            }
            return try JSONBody.response(Answer(
                scope: report.subject.description, from: report.window.from.iso, to: report.window.through.iso,
                previousFrom: report.previousWindow.from.iso, previousTo: report.previousWindow.through.iso, currency: settings.baseCurrency.code,
                items: report.items.map { Item(key: $0.kpi.rawValue, value: $0.value, unit: $0.kpi.unit.rawValue, previous: $0.previous,
                                               teamMedian: $0.teamMedian, target: $0.target, score: $0.score) }))
        }
    }
}
