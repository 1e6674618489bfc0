import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/deals`: sales in progress and closed, most recently changed first; `/api/v1/deals/ID/stages` is the
/// stage history.
struct DealsAPI {
    let database: Database
    let config: AppConfig

    struct DealDTO: Codable, Equatable {
        let id: Int64
        let title: String
        let accountId: Int64
        let contactId: Int64?
        let pipelineId: Int64
        let stageId: Int64
        let amountMinor: Int64
        let currency: String
        let expectedClose: String?
        let forecastCategory: String
        let ownerId: Int64
        let status: String
        let createdAt: Date
        let closedAt: Date?
        let lossReason: String?
        let leadId: Int64?
        let updatedAt: Date
        let custom: [String: JSONValue]
        /// Kvota's last score while the record is open (docs/scoring.md).
        let score: ScoreDTO?
        let version: Int64

        init(_ d: Deal) {
            custom = d.custom.mapValues(\.json)
            id = d.id.rawValue; title = d.title; accountId = d.accountID.rawValue; contactId = d.contactID?.rawValue
            pipelineId = d.pipelineID.rawValue; stageId = d.stageID.rawValue; amountMinor = d.amount.minorUnits
            currency = d.amount.currency.code; expectedClose = d.expectedClose?.iso; forecastCategory = d.forecastCategory.rawValue
            ownerId = d.ownerID.rawValue; status = d.status.rawValue; createdAt = d.createdAt; closedAt = d.closedAt
            lossReason = d.lossReason; leadId = d.leadID?.rawValue; updatedAt = d.updatedAt; version = d.version
            score = d.score.map(ScoreDTO.init)
        }
    }

    struct StageEntry: Encodable {
        let stageId: Int64
        let enteredAt: Date
        let userId: Int64?
    }

    struct Body: Decodable {
        var patch = DealPatch()
        var forecastKey: String?
        var expectedCloseText: String??

        enum CodingKeys: String, CodingKey {
            case title, accountId, contactId, pipelineId, stageId, amountMinor, currency, expectedClose, forecastCategory, ownerId, lossReason, custom
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            patch.custom = try c.decodeIfPresent([String: JSONValue].self, forKey: .custom)
            patch.title = try c.decodeIfPresent(String.self, forKey: .title)
            patch.accountID = try c.decodeIfPresent(Int64.self, forKey: .accountId).map { Account.ID($0) }
            if c.contains(.contactId) { patch.contactID = .some(try c.decodeIfPresent(Int64.self, forKey: .contactId).map { Contact.ID($0) }) }
            patch.pipelineID = try c.decodeIfPresent(Int64.self, forKey: .pipelineId).map { Pipeline.ID($0) }
            patch.stageID = try c.decodeIfPresent(Int64.self, forKey: .stageId).map { Stage.ID($0) }
            patch.amountMinor = try c.decodeIfPresent(Int64.self, forKey: .amountMinor)
            patch.currency = try c.decodeIfPresent(String.self, forKey: .currency)
            if c.contains(.expectedClose) { expectedCloseText = .some(try c.decodeIfPresent(String.self, forKey: .expectedClose)) }
            forecastKey = try c.decodeIfPresent(String.self, forKey: .forecastCategory)
            patch.ownerID = try c.decodeIfPresent(Int64.self, forKey: .ownerId).map { User.ID($0) }
            if c.contains(.lossReason) { patch.lossReason = .some(try c.decodeIfPresent(String.self, forKey: .lossReason)) }
        }

        func read() -> (DealPatch, ValidationFailure.Collector) {
            var errors = ValidationFailure.Collector()
            var patch = patch
            patch.forecastCategory = decodeKey(forecastKey, as: ForecastCategory.self, field: "forecastCategory", into: &errors)
            if let expectedCloseText {
                if let text = expectedCloseText {
                    do throws(ValueError) { patch.expectedClose = .some(try LocalDate(iso: text, field: "expectedClose")) } catch {
                        errors.check(false, error.field, error.reason)
                    }
                } else {
                    patch.expectedClose = .some(nil)
                }
            }
            return (patch, errors)
        }
    }

    var routes: RecordRoutes<Deal, DealDTO, DealFilter> {
        RecordRoutes(
            path: "/deals", kind: .deal, csvName: "deals.csv",
            csvHeader: ["id", "title", "account_id", "contact_id", "pipeline_id", "stage_id", "amount", "currency", "expected_close",
                        "forecast_category", "owner_id", "status", "created_at", "closed_at", "loss_reason"],
            csvRow: { d in
                [d.id.description, d.title, d.accountID.description, d.contactID?.description, d.pipelineID.description,
                 d.stageID.description, d.amount.decimalText, d.amount.currency.code, d.expectedClose?.iso, d.forecastCategory.rawValue,
                 d.ownerID.description, d.status.rawValue, d.createdAt.iso8601, d.closedAt?.iso8601, d.lossReason]
            },
            dto: DealDTO.init, version: \.version,
            filter: { parameters, errors in
                var filter = DealFilter(ownerID: ListParameters.id(parameters, "owner", into: &errors).map { User.ID($0) },
                                        accountID: ListParameters.id(parameters, "account", into: &errors).map { Account.ID($0) },
                                        pipelineID: ListParameters.id(parameters, "pipeline", into: &errors).map { Pipeline.ID($0) },
                                        stageID: ListParameters.id(parameters, "stage", into: &errors).map { Stage.ID($0) },
                                        text: parameters["q"].map(String.init))
                filter.status = decodeKey(parameters["status"].map(String.init), as: StageOutcome.self, field: "status", into: &errors)
                filter.createdFrom = ListParameters.date(parameters, "createdFrom", into: &errors)
                filter.createdThrough = ListParameters.date(parameters, "createdTo", into: &errors)
                filter.closedFrom = ListParameters.date(parameters, "closedFrom", into: &errors)
                filter.closedThrough = ListParameters.date(parameters, "closedTo", into: &errors)
                for (from, to, name) in [(filter.createdFrom, filter.createdThrough, "created"), (filter.closedFrom, filter.closedThrough, "closed")] {
                    if let from, let to { errors.check(from <= to, name + "To", "must not be before \(name)From") }
                }
                filter.reachedStageID = ListParameters.id(parameters, "reached", into: &errors).map { Stage.ID($0) }
                return filter
            },
            list: { filter, actor, action in try await database.deals(filter, for: actor, action: action) },
            read: { id, actor in try await database.deal(Deal.ID(id), for: actor) },
            create: { request, context in
                let (patch, problems) = try await JSONBody.decode(Body.self, from: request).read()
                return try await database.addDeal(patch, problems: problems, by: context.actor, at: config.now(), address: context.address)
            },
            update: { id, request, version, context in
                let (patch, problems) = try await JSONBody.decode(Body.self, from: request).read()
                return try await database.updateDeal(Deal.ID(id), patch, problems: problems, expectedVersion: version,
                                                     by: context.actor, at: config.now(), address: context.address)
            },
            delete: { id, version, context in
                try await database.deleteDeal(Deal.ID(id), expectedVersion: version, by: context.actor, at: config.now(),
                                              address: context.address)
            },
            customFields: CustomFieldColumns(kind: .deal, database: database, values: \.custom, filter: { $0.custom = $1 }))
    }

    struct LineDTO: Codable, Equatable {
        let productId: Int64
        let quantityMilli: Int64
        let unitPriceMinor: Int64
        let discountMinor: Int64
        let netMinor: Int64

        init(_ l: DealLine) {
            productId = l.productID.rawValue; quantityMilli = l.quantityMilli; unitPriceMinor = l.unitPrice.minorUnits
            discountMinor = l.discountMinor; netMinor = l.netMinor
        }
    }

    struct Lines: Decodable { let lines: [OrdersAPI.Body.Line] }

    /// `/deals/ID/lines`: read, or replace all at once (the deal's amount becomes their sum; `If-Match` is the deal's version).
    func registerLines(on api: RouterGroup<SignedInContext>) {
        api.get("/deals/:id/lines") { request, context -> Response in
            let id = Deal.ID(try request.id(.deal, context: context))
            let lines = try await database.dealLines(of: id, for: context.actor)
            return try JSONBody.response(Page(items: lines.map(LineDTO.init)))
        }
        api.put("/deals/:id/lines") { request, context -> Response in
            let id = Deal.ID(try request.id(.deal, context: context))
            let body = try await JSONBody.decode(Lines.self, from: request)
            let drafts = body.lines.map {
                OrderLineDraft(productID: Product.ID($0.productId), quantityMilli: $0.quantityMilli, unitPriceMinor: $0.unitPriceMinor,
                               discountMinor: $0.discountMinor ?? 0)
            }
            let (deal, lines) = try await database.replaceDealLines(of: id, with: drafts, expectedVersion: try Versioning.expectedVersion(request),
                                                                    by: context.actor, at: config.now(), address: context.address)
            return try Versioning.response(Page(items: lines.map(LineDTO.init)), version: deal.version)
        }
    }

    /// Stage history entries per page, and the most a page holds: more than almost any deal has, so most answer in one.
    static let stagePage = 500

    func registerHistory(on api: RouterGroup<SignedInContext>) {
        api.get("/deals/:id/stages") { request, context -> Response in
            let deal = Deal.ID(try request.id(.deal, context: context))
            let parameters = request.uri.queryParameters
            var errors = ValidationFailure.Collector()
            let limit = ListParameters.number(parameters, "limit", Self.stagePage, in: 1...Self.stagePage, into: &errors)
            var after: StageChange.Position?
            if let text = parameters["cursor"] {
                after = StageChange.Position(cursor: String(text))
                errors.check(after != nil, "cursor", "expected the nextCursor of the previous page, got '\(text)'")
            }
            try errors.finish()
            // One more than asked says whether another page follows.
            let history = try await database.stageHistory(of: deal, after: after, limit: limit + 1, for: context.actor)
            let page = history.prefix(limit)
            return try JSONBody.response(Page(items: page.map {
                StageEntry(stageId: $0.stageID.rawValue, enteredAt: $0.enteredAt, userId: $0.userID?.rawValue)
            }, nextCursor: history.count > limit ? page.last?.position.cursor : nil))
        }
    }
}
