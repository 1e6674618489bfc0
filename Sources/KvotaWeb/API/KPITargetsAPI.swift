import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/kpi-targets` (issue 8): what each KPI should be per role or user from a day on, read by the KPI part of
/// pay and the rep card. Directors and admins set them; heads and analysts read them.
struct KPITargetsAPI {
    let database: Database
    let config: AppConfig

    struct Item: Encodable {
        let id: Int64
        let kpi: String
        let unit: String
        let appliesTo: String
        let target: Double
        let effectiveFrom: String
        let createdAt: Date

        init(_ target: KPITarget) {
            id = target.id.rawValue; kpi = target.kpi.rawValue; unit = target.kpi.unit.rawValue; appliesTo = target.appliesTo.description
            self.target = target.target; effectiveFrom = target.effectiveFrom.iso; createdAt = target.createdAt
        }
    }

    struct Page: Encodable { let items: [Item] }

    struct NewTarget: Decodable {
        let kpi: String?
        let appliesTo: String?
        let target: Double?
        let effectiveFrom: String?
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/kpi-targets") { request, context -> Response in
            var errors = ValidationFailure.Collector()
            var appliesTo: KPITarget.AppliesTo?
            if let text = request.uri.queryParameters["appliesTo"].map(String.init) {
                do throws(ValueError) { appliesTo = try KPITarget.AppliesTo(text) } catch { errors.check(false, "appliesTo", error.reason) }
            }
            try errors.finish()
            let targets = try await database.kpiTargets(for: context.actor).filter { appliesTo == nil || $0.appliesTo == appliesTo }
            return try JSONBody.response(Page(items: targets.map(Item.init)))
        }
        api.post("/kpi-targets") { request, context -> Response in
            let body = try await JSONBody.decode(NewTarget.self, from: request)
            var errors = ValidationFailure.Collector()
            let kpi = decodeKey(body.kpi, as: KPI.self, field: "kpi", into: &errors)
            var appliesTo: KPITarget.AppliesTo?
            if let text = body.appliesTo {
                do throws(ValueError) { appliesTo = try KPITarget.AppliesTo(text) } catch { errors.check(false, "appliesTo", error.reason) }
            }
            var from: LocalDate?
            if let text = body.effectiveFrom {
                from = try? LocalDate(iso: text, field: "effectiveFrom")
                errors.check(from != nil, "effectiveFrom", "expected a date like 2026-11-01, got '\(text)'")
            }
            let made = try await database.addKPITarget(kpi: kpi, appliesTo: appliesTo, target: body.target, effectiveFrom: from, problems: errors,
                                                       by: context.actor, at: config.now(), address: context.address)
            return try JSONBody.response(Item(made), status: .created)
        }
        api.delete("/kpi-targets/:id") { request, context -> Response in
            try await database.deleteKPITarget(KPITarget.ID(try request.id(.kpiTarget, context: context)), by: context.actor, at: config.now(),
                                               address: context.address)
            return Response(status: .noContent)
        }
    }
}
