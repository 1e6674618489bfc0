import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/schemes` and `/api/v1/payouts`: compensation schemes and the monthly pay they give (issue 7; docs/plans.md).
struct PayAPI {
    let database: Database
    let config: AppConfig

    struct SchemeDTO: Encodable {
        let id: Int64
        let name: String
        let appliesTo: String
        let effectiveFrom: String
        let currency: String
        let rules: PayRules
        let createdAt: Date

        init(_ s: CompensationScheme, currency: String) {
            id = s.id.rawValue; name = s.name; appliesTo = s.appliesTo.description; effectiveFrom = s.effectiveFrom.iso
            self.currency = currency; rules = s.rules; createdAt = s.createdAt
        }
    }

    struct NewScheme: Decodable {
        let name: String?
        let appliesTo: String?
        let effectiveFrom: String?
        let rules: PayRules?
    }

    struct PayoutDTO: Encodable {
        let userId: Int64
        let name: String
        let period: String
        let status: String
        let total: Int64
        let lines: [PayStatement.Line]
        let approvedAt: Date?
        let approvedBy: Int64?

        init(_ p: Payout, names: [User.ID: String]) {
            userId = p.userID.rawValue; name = names[p.userID] ?? "#\(p.userID)"; period = p.period.label
            status = p.approvedAt == nil ? "draft" : "approved"; total = p.statement.total; lines = p.statement.lines
            approvedAt = p.approvedAt; approvedBy = p.approvedBy?.rawValue
        }
    }

    struct Payouts: Encodable {
        let period: String
        let asOf: String
        let currency: String
        let items: [PayoutDTO]
    }

    struct Statement: Encodable {
        let total: Int64
        let lines: [PayStatement.Line]
    }

    struct WhatIfDTO: Encodable {
        let dealId: Int64
        let userId: Int64
        let period: String
        let currency: String
        let added: [PlansAPI.ProgressDTO.Actual]
        let marginKnown: Bool
        let current: Statement
        let ifWon: Statement
        let difference: Int64
    }

    struct Approval: Decodable {
        let period: String?
        let userIds: [Int64]?
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/schemes") { _, context -> Response in
            let currency = try await database.companySettings().baseCurrency.code
            return try JSONBody.response(Page(items: try await database.schemes(for: context.actor).map { SchemeDTO($0, currency: currency) }))
        }
        api.get("/schemes/:id") { request, context -> Response in
            let scheme = try await database.scheme(CompensationScheme.ID(try request.id(.compensationScheme, context: context)), for: context.actor)
            return try JSONBody.response(SchemeDTO(scheme, currency: try await database.companySettings().baseCurrency.code))
        }
        api.post("/schemes") { request, context -> Response in
            let body = try await JSONBody.decode(NewScheme.self, from: request)
            var errors = ValidationFailure.Collector()
            var appliesTo: CompensationScheme.AppliesTo?
            if let text = body.appliesTo {
                appliesTo = try? CompensationScheme.AppliesTo(text)
                errors.check(appliesTo != nil, "appliesTo", "expected role:ROLE, team:ID or user:ID, got '\(text)'")
            } else {
                errors.check(false, "appliesTo", "is required (role:ROLE, team:ID or user:ID)")
            }
            var from: LocalDate?
            if let text = body.effectiveFrom {
                from = try? LocalDate(iso: text, field: "effectiveFrom")
                errors.check(from != nil, "effectiveFrom", "expected a date like 2026-11-01, got '\(text)'")
            } else {
                errors.check(false, "effectiveFrom", "is required (the first day the scheme pays by, YYYY-MM-DD)")
            }
            let scheme = try await database.addScheme(name: body.name, appliesTo: appliesTo, effectiveFrom: from, rules: body.rules,
                                                      problems: errors, by: context.actor, at: config.now(), address: context.address)
            return try JSONBody.response(SchemeDTO(scheme, currency: try await database.companySettings().baseCurrency.code), status: .created)
        }
        api.get("/payouts") { request, context -> Response in
            let parameters = request.uri.queryParameters
            var errors = ValidationFailure.Collector()
            let settings = try await database.companySettings()
            let today = LocalDate(config.now(), in: settings.timeZone)
            let period = Self.month(parameters["period"].map(String.init), default: Period(.month, containing: today), into: &errors)
            let asOf = ListParameters.date(parameters, "asOf", into: &errors) ?? min(today, period.end.adding(days: -1))
            let user = ListParameters.id(parameters, "user", into: &errors).map { User.ID($0) }
            let format = parameters["format"].map(String.init) ?? "json"
            errors.check(["json", "csv"].contains(format), "format", "expected json or csv, got '\(format)'")
            try errors.finish()
            let payouts = try await database.payouts(for: context.actor, period: period, asOf: asOf, user: user)
            let names = Dictionary(try await database.users().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let items = payouts.map { PayoutDTO($0, names: names) }
            if format == "csv" { return Self.payrollCSV(items, period: period, currency: settings.baseCurrency) }
            return try JSONBody.response(Payouts(period: period.label, asOf: asOf.iso, currency: settings.baseCurrency.code, items: items))
        }
        api.get("/payouts/what-if") { request, context -> Response in
            var errors = ValidationFailure.Collector()
            let deal = ListParameters.id(request.uri.queryParameters, "deal", into: &errors)
            errors.check(request.uri.queryParameters["deal"] != nil, "deal", "is required (the id of an open deal)")
            try errors.finish()
            let answer = try await database.payWhatIf(deal: Deal.ID(deal!), for: context.actor, at: config.now())
            let order = PlanMeasure.allCases
            return try JSONBody.response(WhatIfDTO(
                dealId: answer.dealID.rawValue, userId: answer.userID.rawValue, period: answer.period.label,
                currency: try await database.companySettings().baseCurrency.code,
                added: answer.added.sorted { order.firstIndex(of: $0.key)! < order.firstIndex(of: $1.key)! }.map { .init(measure: $0.key.rawValue, actual: $0.value) },
                marginKnown: answer.marginKnown, current: Statement(total: answer.current.total, lines: answer.current.lines),
                ifWon: Statement(total: answer.ifWon.total, lines: answer.ifWon.lines), difference: answer.ifWon.total - answer.current.total))
        }
        api.post("/payouts/approve") { request, context -> Response in
            let body = try await JSONBody.decode(Approval.self, from: request)
            var errors = ValidationFailure.Collector()
            errors.check(body.period != nil, "period", "is required (a month like 2026-11)")
            let period = Self.month(body.period, default: Period(.month, containing: LocalDate(config.now(), in: .gmt)), into: &errors)
            try errors.finish()
            let approved = try await database.approvePayouts(period: period, users: body.userIds?.map { User.ID($0) }, by: context.actor,
                                                             at: config.now(), address: context.address)
            let names = Dictionary(try await database.users().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let settings = try await database.companySettings()
            return try JSONBody.response(Payouts(
                period: period.label, asOf: period.end.adding(days: -1).iso, currency: settings.baseCurrency.code,
                items: approved.map { PayoutDTO($0, names: names) }))
        }
    }

    /// One row per line of every statement, for payroll: whose, what, how much (major units), and why.
    static func payrollCSV(_ items: [PayoutDTO], period: Period, currency: Currency) -> Response {
        let rows: [[String?]] = items.flatMap { item in
            item.lines.map { line in
                [String(item.userId), item.name, item.period, item.status, line.kind.rawValue,
                 Money(minorUnits: line.amount, currency: currency).decimalText, currency.code, line.explanation]
            } + [[String(item.userId), item.name, item.period, item.status, "total",
                  Money(minorUnits: item.total, currency: currency).decimalText, currency.code, nil]]
        }
        return CSVExport.table(filename: "payouts-\(period.label).csv",
                               header: ["user_id", "name", "period", "status", "line", "amount", "currency", "explanation"], rows: rows)
    }

    static func month(_ text: String?, default fallback: Period, into errors: inout ValidationFailure.Collector) -> Period {
        guard let text else { return fallback }
        guard let period = try? Period(label: text), period.grain == .month else {
            errors.check(false, "period", "expected a month like 2026-11, got '\(text)'")
            return fallback
        }
        return period
    }
}
