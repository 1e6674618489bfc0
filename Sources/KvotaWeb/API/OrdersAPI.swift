import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/orders`: realised sales with their lines, newest first. Written by the order desk (and directors, admins);
/// sales reads its own.
struct OrdersAPI {
    let database: Database
    let config: AppConfig

    struct OrderDTO: Codable, Equatable {
        let id: Int64
        let number: String
        let accountId: Int64
        let dealId: Int64?
        let ownerId: Int64?
        let orderedOn: String
        let status: String
        let currency: String
        let totalMinor: Int64
        let totalBaseMinor: Int64
        let createdAt: Date
        let channelId: Int64?
        let regionId: Int64?
        let version: Int64
        let custom: [String: JSONValue]

        init(_ o: Order) {
            custom = o.custom.mapValues(\.json)
            channelId = o.channelID?.rawValue; regionId = o.regionID?.rawValue
            id = o.id.rawValue; number = o.number; accountId = o.accountID.rawValue; dealId = o.dealID?.rawValue
            ownerId = o.ownerID?.rawValue; orderedOn = o.orderedOn.iso; status = o.status.rawValue; currency = o.currency.code
            totalMinor = o.totalMinor; totalBaseMinor = o.totalBaseMinor; createdAt = o.createdAt; version = o.version
        }
    }

    struct LineDTO: Codable, Equatable {
        let productId: Int64
        let quantityMilli: Int64
        let unitPriceMinor: Int64
        let discountMinor: Int64
        let netMinor: Int64
        let netBaseMinor: Int64
        let costBaseMinor: Int64

        init(_ l: OrderLine) {
            productId = l.productID.rawValue; quantityMilli = l.quantityMilli; unitPriceMinor = l.unitPriceMinor
            discountMinor = l.discountMinor; netMinor = l.netMinor; netBaseMinor = l.netBaseMinor; costBaseMinor = l.costBaseMinor
        }
    }

    struct Body: Decodable {
        struct Line: Decodable {
            let productId: Int64
            let quantityMilli: Int64
            let unitPriceMinor: Int64?
            let discountMinor: Int64?
        }

        var patch = OrderPatch()
        var statusKey: String?
        var orderedOnText: String?

        enum CodingKeys: String, CodingKey { case number, accountId, dealId, ownerId, orderedOn, status, currency, channelId, regionId, lines,
                                                  custom }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            patch.number = try c.decodeIfPresent(String.self, forKey: .number)
            patch.accountID = try c.decodeIfPresent(Int64.self, forKey: .accountId).map { Account.ID($0) }
            if c.contains(.dealId) { patch.dealID = .some(try c.decodeIfPresent(Int64.self, forKey: .dealId).map { Deal.ID($0) }) }
            if c.contains(.ownerId) { patch.ownerID = .some(try c.decodeIfPresent(Int64.self, forKey: .ownerId).map { User.ID($0) }) }
            orderedOnText = try c.decodeIfPresent(String.self, forKey: .orderedOn)
            statusKey = try c.decodeIfPresent(String.self, forKey: .status)
            patch.currency = try c.decodeIfPresent(String.self, forKey: .currency)
            if c.contains(.channelId) { patch.channelID = .some(try c.decodeIfPresent(Int64.self, forKey: .channelId).map { Channel.ID($0) }) }
            if c.contains(.regionId) { patch.regionID = .some(try c.decodeIfPresent(Int64.self, forKey: .regionId).map { Region.ID($0) }) }
            patch.lines = try c.decodeIfPresent([Line].self, forKey: .lines)?.map {
                OrderLineDraft(productID: Product.ID($0.productId), quantityMilli: $0.quantityMilli, unitPriceMinor: $0.unitPriceMinor,
                               discountMinor: $0.discountMinor ?? 0)
            }
            patch.custom = try c.decodeIfPresent([String: JSONValue].self, forKey: .custom)
        }

        func read() -> (OrderPatch, ValidationFailure.Collector) {
            var errors = ValidationFailure.Collector()
            var patch = patch
            patch.status = decodeKey(statusKey, as: OrderStatus.self, field: "status", into: &errors)
            if let orderedOnText {
                do throws(ValueError) { patch.orderedOn = try LocalDate(iso: orderedOnText, field: "orderedOn") } catch {
                    errors.check(false, error.field, error.reason)
                }
            }
            return (patch, errors)
        }
    }

    var routes: RecordRoutes<Order, OrderDTO, OrderFilter> {
        RecordRoutes(
            path: "/orders", kind: .order, csvName: "orders.csv",
            csvHeader: ["id", "number", "account_id", "deal_id", "owner_id", "ordered_on", "status", "currency", "total", "total_base",
                        "channel_id", "region_id"],
            csvRow: { o in
                [o.id.description, o.number, o.accountID.description, o.dealID?.description, o.ownerID?.description, o.orderedOn.iso,
                 o.status.rawValue, o.currency.code, Money(minorUnits: o.totalMinor, currency: o.currency).decimalText,
                 String(o.totalBaseMinor), o.channelID?.description, o.regionID?.description]
            },
            dto: OrderDTO.init, version: \.version,
            filter: { parameters, errors in
                var filter = OrderFilter(ownerID: ListParameters.id(parameters, "owner", into: &errors).map { User.ID($0) },
                                         accountID: ListParameters.id(parameters, "account", into: &errors).map { Account.ID($0) })
                filter.status = decodeKey(parameters["status"].map(String.init), as: OrderStatus.self, field: "status", into: &errors)
                filter.channelID = ListParameters.id(parameters, "channel", into: &errors).map { Channel.ID($0) }
                filter.regionID = ListParameters.id(parameters, "region", into: &errors).map { Region.ID($0) }
                filter.teamID = ListParameters.id(parameters, "team", into: &errors).map { Team.ID($0) }
                filter.categoryID = ListParameters.id(parameters, "category", into: &errors).map { ProductCategory.ID($0) }
                filter.orderedFrom = ListParameters.date(parameters, "from", into: &errors)
                filter.orderedThrough = ListParameters.date(parameters, "to", into: &errors)
                if let from = filter.orderedFrom, let to = filter.orderedThrough { errors.check(from <= to, "to", "must not be before from") }
                filter.salesOnly = ListParameters.bool(parameters, "sales", into: &errors) ?? false
                return filter
            },
            list: { filter, actor, action in try await database.orders(filter, for: actor, action: action) },
            read: { id, actor in try await database.order(Order.ID(id), for: actor) },
            create: { request, context in
                let (patch, problems) = try await JSONBody.decode(Body.self, from: request).read()
                return try await database.addOrder(patch, problems: problems, by: context.actor, at: config.now(), address: context.address)
            },
            update: { id, request, version, context in
                let (patch, problems) = try await JSONBody.decode(Body.self, from: request).read()
                return try await database.updateOrder(Order.ID(id), patch, problems: problems, expectedVersion: version,
                                                      by: context.actor, at: config.now(), address: context.address)
            },
            delete: { id, version, context in
                try await database.deleteOrder(Order.ID(id), expectedVersion: version, by: context.actor, at: config.now(),
                                               address: context.address)
            },
            customFields: CustomFieldColumns(kind: .order, database: database, values: \.custom, filter: { $0.custom = $1 }))
    }

    func registerLines(on api: RouterGroup<SignedInContext>) {
        api.get("/orders/:id/lines") { request, context -> Response in
            let lines = try await database.orderLines(of: Order.ID(try request.id(.order, context: context)), for: context.actor)
            return try JSONBody.response(Page(items: lines.map(LineDTO.init)))
        }
    }
}
