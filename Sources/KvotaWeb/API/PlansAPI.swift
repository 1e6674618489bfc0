import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/plans`: sales plans for the company, a team or a user, and their progress (issue 7; docs/plans.md).
struct PlansAPI {
    let database: Database
    let config: AppConfig

    struct TargetDTO: Codable, Equatable {
        let measure: String
        let target: Int64
    }

    struct RowDTO: Codable, Equatable {
        let dimension: String
        let key: Int64
        let measure: String
        let target: Int64
    }

    struct PlanDTO: Codable, Equatable {
        let id: Int64
        let period: String
        let grain: String
        let from: String
        let to: String
        let scope: String
        let status: String
        let parentId: Int64?
        let note: String?
        let currency: String
        let targets: [TargetDTO]
        let rows: [RowDTO]
        let createdAt: Date
        let approvedAt: Date?
        let approvedBy: Int64?
        let version: Int64

        init(_ plan: Plan, currency: String) {
            id = plan.id.rawValue; period = plan.period.label; grain = plan.period.grain.rawValue; from = plan.period.start.iso
            to = plan.period.end.adding(days: -1).iso; scope = plan.subject.description; status = plan.status.rawValue
            parentId = plan.parentID?.rawValue; note = plan.note; self.currency = currency
            targets = plan.targets.map { TargetDTO(measure: $0.measure.rawValue, target: $0.target) }
            rows = plan.rows.map { RowDTO(dimension: $0.dimension.rawValue, key: $0.key, measure: $0.measure.rawValue, target: $0.target) }
            createdAt = plan.createdAt; approvedAt = plan.approvedAt; approvedBy = plan.approvedBy?.rawValue; version = plan.version
        }
    }

    struct NewPlan: Decodable {
        let period: String?
        let scope: String?
        let targets: [TargetDTO]?
        let rows: [RowDTO]?
        let note: String?
    }

    struct Change: Decodable {
        var targets: [TargetDTO]?
        var rows: [RowDTO]?
        /// Absent: unchanged; null: cleared.
        var note: String??
        var reason: String?

        enum CodingKeys: String, CodingKey { case targets, rows, note, reason }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            targets = try c.decodeIfPresent([TargetDTO].self, forKey: .targets)
            rows = try c.decodeIfPresent([RowDTO].self, forKey: .rows)
            if c.contains(.note) { note = .some(try c.decodeIfPresent(String.self, forKey: .note)) }
            reason = try c.decodeIfPresent(String.self, forKey: .reason)
        }
    }

    struct SplitBody: Decodable {
        struct Part: Decodable {
            let scope: String?
            let period: String?
            let targets: [TargetDTO]?
        }

        let by: String?
        let method: String?
        let grain: String?
        let parts: [Part]?
        let overrideReason: String?
        let dryRun: Bool?
    }

    struct SplitDTO: Encodable {
        struct Part: Encodable {
            let scope: String
            let period: String
            let targets: [TargetDTO]
            let planId: Int64?
        }

        struct Check: Encodable {
            let measure: String
            let target: Int64
            let assigned: Int64
            let remainder: Int64
        }

        let parentId: Int64
        let by: String
        let method: String
        let written: Bool
        let currency: String
        let parts: [Part]
        let check: [Check]
    }

    struct ProgressDTO: Encodable {
        struct Measure: Encodable {
            let measure: String
            let target: Int64
            let actual: Int64
            let fulfilment: Double?
            let projection: Int64?
            let gap: Int64?
            let remaining: Int64
            let dailyPace: Int64?

            init(_ m: PlanMeasure, _ p: PlanProgress) {
                measure = m.rawValue; target = p.target; actual = p.actual; fulfilment = p.fulfilment; projection = p.projection; gap = p.gap
                remaining = p.remaining; dailyPace = p.dailyPace
            }
        }

        struct Row: Encodable {
            let dimension: String
            let key: Int64
            let name: String
            let progress: Measure
        }

        struct Span: Encodable {
            let from: String
            let to: String
        }

        struct Actual: Encodable {
            let measure: String
            let actual: Int64
        }

        struct Member: Encodable {
            let userId: Int64
            let name: String
            let days: [Span]
            let actuals: [Actual]
        }

        let plan: PlanDTO
        let asOf: String
        let daysElapsed: Int
        let daysTotal: Int
        let currency: String
        let measures: [Measure]
        let rows: [Row]
        let members: [Member]
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/plans") { request, context -> Response in
            let filter = try Self.filter(request.uri.queryParameters)
            let currency = try await database.companySettings().baseCurrency.code
            return try JSONBody.response(Page(items: try await database.plans(for: context.actor, filter: filter).map { PlanDTO($0, currency: currency) }))
        }
        api.post("/plans") { request, context -> Response in
            let body = try await JSONBody.decode(NewPlan.self, from: request)
            var errors = ValidationFailure.Collector()
            let period = Self.period(body.period, into: &errors)
            let subject = Self.subject(body.scope, into: &errors)
            let targets = Self.targets(body.targets, into: &errors) ?? []
            errors.check(body.targets != nil, "targets", "is required")
            let rows = Self.rows(body.rows, into: &errors) ?? []
            // Problems of form come first and alone: a target that names no measure would shift the positions the
            // checks of content name.
            try errors.finish()
            let draft = PlanDraft(period: period!, subject: subject!, targets: targets, rows: rows, note: body.note)
            let plan = try await database.addPlan(draft, by: context.actor, at: config.now(), address: context.address)
            return try await answer(plan, status: .created)
        }
        // Registered before `/plans/:id` is matched: a constant path part wins over a parameter.
        api.get("/plans/progress") { request, context -> Response in
            var errors = ValidationFailure.Collector()
            let parameters = request.uri.queryParameters
            let subject = Self.subject(parameters["scope"].map(String.init), into: &errors)
            let period = Self.period(parameters["period"].map(String.init), into: &errors)
            let asOf = try await asOf(parameters, into: &errors)
            try errors.finish()
            guard let plan = try await database.plan(about: subject!, period: period!, for: context.actor) else {
                throw ValidationFailure([.invalid(field: "period", reason: "\(subject!) has no plan for \(period!.label) that you may see")])
            }
            return try await progress(plan, asOf: asOf, for: context.actor)
        }
        api.get("/plans/:id") { request, context -> Response in
            try await answer(try await database.plan(Plan.ID(try request.id(.plan, context: context)), for: context.actor))
        }
        api.patch("/plans/:id") { request, context -> Response in
            let body = try await JSONBody.decode(Change.self, from: request)
            var errors = ValidationFailure.Collector()
            let targets = Self.targets(body.targets, into: &errors)
            let rows = Self.rows(body.rows, into: &errors)
            try errors.finish()
            let plan = try await database.updatePlan(Plan.ID(try request.id(.plan, context: context)), targets: targets, rows: rows,
                                                     note: body.note, reason: body.reason,
                                                     expectedVersion: try Versioning.expectedVersion(request), by: context.actor,
                                                     at: config.now(), address: context.address)
            return try await answer(plan)
        }
        api.post("/plans/:id/approve") { request, context -> Response in
            let plan = try await database.approvePlan(Plan.ID(try request.id(.plan, context: context)),
                                                      expectedVersion: try Versioning.expectedVersion(request), by: context.actor,
                                                      at: config.now(), address: context.address)
            return try await answer(plan)
        }
        api.delete("/plans/:id") { request, context -> Response in
            try await database.deletePlan(Plan.ID(try request.id(.plan, context: context)), expectedVersion: try Versioning.expectedVersion(request),
                                          by: context.actor, at: config.now(), address: context.address)
            return Response(status: .noContent)
        }
        api.post("/plans/:id/split") { request, context -> Response in
            let id = Plan.ID(try request.id(.plan, context: context))
            let body = try await JSONBody.decode(SplitBody.self, from: request)
            let parent = try await database.plan(id, for: context.actor)
            let split = try Self.splitRequest(body, parent: parent)
            let result = try await database.splitPlan(id, split, by: context.actor, at: config.now(), address: context.address)
            let currency = try await database.companySettings().baseCurrency.code
            let dto = SplitDTO(
                parentId: id.rawValue, by: split.level.rawValue, method: split.method.rawValue, written: !result.created.isEmpty, currency: currency,
                parts: result.parts.enumerated().map { index, part in
                    .init(scope: part.subject.description, period: part.period.label,
                          targets: part.targets.map { TargetDTO(measure: $0.measure.rawValue, target: $0.target) },
                          planId: result.created.isEmpty ? nil : result.created[index].id.rawValue)
                },
                check: result.checks.map { .init(measure: $0.measure.rawValue, target: $0.target, assigned: $0.assigned, remainder: $0.remainder) })
            // 200 either way, as an import answers: `written` says whether the drafts were made.
            return try JSONBody.response(dto)
        }
        api.get("/plans/:id/progress") { request, context -> Response in
            var errors = ValidationFailure.Collector()
            let asOf = try await asOf(request.uri.queryParameters, into: &errors)
            try errors.finish()
            let plan = try await database.plan(Plan.ID(try request.id(.plan, context: context)), for: context.actor)
            return try await progress(plan, asOf: asOf, for: context.actor)
        }
    }

    // MARK: - Answers

    private func answer(_ plan: Plan, status: HTTPResponse.Status = .ok) async throws -> Response {
        let currency = try await database.companySettings().baseCurrency.code
        return try Versioning.response(PlanDTO(plan, currency: currency), version: plan.version, status: status)
    }

    private func progress(_ plan: Plan, asOf: LocalDate, for actor: Actor) async throws -> Response {
        let standing = try await database.standing(of: plan, for: actor, asOf: asOf)
        let currency = try await database.companySettings().baseCurrency.code
        let names = try await Self.rowNames(plan.rows, in: database)
        let users = Dictionary(try await database.users().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        func measure(_ m: PlanMeasure, _ p: PlanProgress) -> ProgressDTO.Measure { .init(m, p) }
        let first = standing.targets.first?.progress ?? PlanProgress(target: 0, actual: 0, period: plan.period, asOf: asOf)
        let dto = ProgressDTO(
            plan: PlanDTO(plan, currency: currency), asOf: asOf.iso, daysElapsed: first.daysElapsed, daysTotal: first.daysTotal,
            currency: currency, measures: standing.targets.map { measure($0.measure, $0.progress) },
            rows: standing.rows.map { .init(dimension: $0.row.dimension.rawValue, key: $0.row.key,
                                            name: names[$0.row.dimension]?[$0.row.key] ?? "#\($0.row.key)",
                                            progress: measure($0.row.measure, $0.progress)) },
            members: standing.members.map { member in
                .init(userId: member.userID.rawValue, name: users[member.userID] ?? "#\(member.userID)",
                      days: member.days.map { .init(from: $0.from.iso, to: $0.through.iso) },
                      actuals: plan.targets.map { .init(measure: $0.measure.rawValue, actual: member.actuals[$0.measure] ?? 0) })
            })
        return try JSONBody.response(dto)
    }

    /// The names a plan's rows point at. A plan's reader sees the names of the customers it is about, as a deal's
    /// reader sees its account's name.
    static func rowNames(_ rows: [PlanRow], in database: Database) async throws -> [PlanDimension: [Int64: String]] {
        guard !rows.isEmpty else { return [:] }
        var names: [PlanDimension: [Int64: String]] = [:]
        names[.region] = Dictionary(try await database.regions().map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { a, _ in a })
        names[.channel] = Dictionary(try await database.channels().map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { a, _ in a })
        names[.category] = Dictionary(try await database.productCategories().map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { a, _ in a })
        let accounts = Set(rows.filter { $0.dimension == .account }.map { Account.ID($0.key) })
        names[.account] = Dictionary(try await database.names(accounts: accounts).accounts.map { ($0.key.rawValue, $0.value) },
                                     uniquingKeysWith: { a, _ in a })
        return names
    }

    private func asOf(_ parameters: Parameters, into errors: inout ValidationFailure.Collector) async throws -> LocalDate {
        let today = LocalDate(config.now(), in: try await database.companySettings().timeZone)
        guard let text = parameters["asOf"].map(String.init) else { return today }
        do { return try LocalDate(iso: text, field: "asOf") } catch {
            errors.check(false, "asOf", "expected a date like 2026-11-30, got '\(text)'")
            return today
        }
    }

    // MARK: - Reading input

    /// A split's parameters; a manual part names its scope (a split by subject) or its period (by period), and takes
    /// the parent's other half.
    static func splitRequest(_ body: SplitBody, parent: Plan) throws -> PlanSplitRequest {
        var errors = ValidationFailure.Collector()
        errors.check(body.by != nil, "by", "is required (subject or period)")
        errors.check(body.method != nil, "method", "is required (equal, previous, last_year or manual)")
        let level = decodeKey(body.by, as: PlanSplit.Level.self, field: "by", into: &errors)
        let method = decodeKey(body.method, as: PlanSplit.Method.self, field: "method", into: &errors)
        let grain = decodeKey(body.grain, as: PeriodGrain.self, field: "grain", into: &errors)
        var parts: [PlanSplit.Part] = []
        for (index, part) in (body.parts ?? []).enumerated() {
            var subject = parent.subject, period = parent.period
            if let text = part.scope {
                do { subject = try PlanSubject(text, field: "parts[\(index)].scope") } catch { errors.check(false, error.field, error.reason) }
            }
            if let text = part.period {
                do { period = try Period(label: text, field: "parts[\(index)].period") } catch { errors.check(false, error.field, error.reason) }
            }
            let targets = Self.targets(part.targets ?? [], into: &errors, field: "parts[\(index)].targets") ?? []
            parts.append(PlanSplit.Part(subject: subject, period: period, targets: targets))
        }
        errors.check(method == .manual || body.parts == nil, "parts", "only a manual split takes parts")
        try errors.finish()
        return PlanSplitRequest(level: level!, method: method!, grain: grain, parts: parts, overrideReason: body.overrideReason,
                                dryRun: body.dryRun ?? false)
    }

    static func filter(_ parameters: Parameters) throws -> PlanFilter {
        var errors = ValidationFailure.Collector()
        var filter = PlanFilter()
        func date(_ name: String) -> LocalDate? {
            guard let text = parameters[name[...]].map(String.init) else { return nil }
            do { return try LocalDate(iso: text, field: name) } catch {
                errors.check(false, name, "expected a date like 2026-11-01, got '\(text)'")
                return nil
            }
        }
        filter.from = date("from")
        filter.through = date("to")
        if let text = parameters["period"].map(String.init), let period = period(text, into: &errors) {
            filter.from = period.start; filter.through = period.end.adding(days: -1); filter.grain = period.grain
        }
        filter.subject = parameters["scope"].flatMap { subject(String($0), into: &errors) }
        filter.status = decodeKey(parameters["status"].map(String.init), as: Plan.Status.self, field: "status", into: &errors)
        try errors.finish()
        return filter
    }

    static func period(_ text: String?, into errors: inout ValidationFailure.Collector) -> Period? {
        guard let text else {
            errors.check(false, "period", "is required (2026-11, 2026-W47, 2026-Q4, 2026-H2 or 2026)")
            return nil
        }
        do {
            let period = try Period(label: text, field: "period")
            errors.check(period.grain != .day, "period", "a plan is for a week, month, quarter, half-year or year, not a day")
            return period.grain == .day ? nil : period
        } catch {
            errors.check(false, "period", "expected 2026-11, 2026-W47, 2026-Q4, 2026-H2 or 2026, got '\(text)'")
            return nil
        }
    }

    static func subject(_ text: String?, into errors: inout ValidationFailure.Collector) -> PlanSubject? {
        guard let text else {
            errors.check(false, "scope", "is required (company, team:ID or user:ID)")
            return nil
        }
        do { return try PlanSubject(text) } catch {
            errors.check(false, "scope", "expected company, team:ID or user:ID, got '\(text)'")
            return nil
        }
    }

    static func targets(_ dtos: [TargetDTO]?, into errors: inout ValidationFailure.Collector, field: String = "targets") -> [PlanTarget]? {
        dtos.map { list in
            list.enumerated().compactMap { index, dto in
                decodeKey(dto.measure, as: PlanMeasure.self, field: "\(field)[\(index)].measure", into: &errors).map { PlanTarget($0, dto.target) }
            }
        }
    }

    static func rows(_ dtos: [RowDTO]?, into errors: inout ValidationFailure.Collector) -> [PlanRow]? {
        dtos.map { list in
            list.enumerated().compactMap { index, dto in
                let dimension = decodeKey(dto.dimension, as: PlanDimension.self, field: "rows[\(index)].dimension", into: &errors)
                let measure = decodeKey(dto.measure, as: PlanMeasure.self, field: "rows[\(index)].measure", into: &errors)
                guard let dimension, let measure else { return nil }
                return PlanRow(dimension, dto.key, measure, dto.target)
            }
        }
    }
}
