import Foundation

public enum OrderStatus: String, CaseIterable, Sendable, Codable {
    /// Made from a won deal, waiting for the order desk; not a sale yet, so no report counts it.
    case draft
    case confirmed, shipped, invoiced, paid, cancelled

    /// Whether revenue and every other sales figure count the order (METRICS.md "Revenue").
    public var isSale: Bool { self != .draft && self != .cancelled }
}

/// A realised sale. Revenue analytics read orders and their lines (METRICS.md "Revenue").
public struct Order: Hashable, Sendable, Codable {
    public typealias ID = Identifier<Order>
    public var id: ID
    public var number: String
    public var accountID: Account.ID
    public var dealID: Deal.ID?
    public var ownerID: User.ID?
    /// The document date, in the company's calendar.
    public var orderedOn: LocalDate
    public var status: OrderStatus
    public var currency: Currency
    public var totalMinor: Int64
    /// The total converted to the base currency at the rate valid on `orderedOn`.
    public var totalBaseMinor: Int64
    public var createdAt: Date
    /// The sales channel and territory the sale counts toward: the account's when the order is written, kept as
    /// they were so that moving a customer later does not rewrite past territory figures.
    public var channelID: Channel.ID?
    public var regionID: Region.ID?
    /// Bumped by every change, for optimistic concurrency.
    public var version: Int64
    public var custom: [String: CustomValue] = [:]

    public init(id: ID, number: String, accountID: Account.ID, dealID: Deal.ID?, ownerID: User.ID?,
                orderedOn: LocalDate, status: OrderStatus, currency: Currency, totalMinor: Int64,
                totalBaseMinor: Int64, createdAt: Date, channelID: Channel.ID? = nil, regionID: Region.ID? = nil, version: Int64 = 1) {
        self.version = version; self.channelID = channelID; self.regionID = regionID
        self.id = id; self.number = number; self.accountID = accountID; self.dealID = dealID; self.ownerID = ownerID
        self.orderedOn = orderedOn; self.status = status; self.currency = currency; self.totalMinor = totalMinor
        self.totalBaseMinor = totalBaseMinor; self.createdAt = createdAt
    }
}

/// A line of an order. `netMinor` = qty × unit price − discount in the order's currency; the `…Base…` amounts are
/// converted once, when the line is written, so every report sums plain columns.
public struct OrderLine: Hashable, Sendable, Codable {
    public typealias ID = Identifier<OrderLine>
    public var id: ID
    public var orderID: Order.ID
    public var productID: Product.ID
    public var quantityMilli: Int64
    public var unitPriceMinor: Int64
    public var discountMinor: Int64
    public var netMinor: Int64
    public var netBaseMinor: Int64
    public var costBaseMinor: Int64

    public init(id: ID, orderID: Order.ID, productID: Product.ID, quantityMilli: Int64, unitPriceMinor: Int64,
                discountMinor: Int64, netMinor: Int64, netBaseMinor: Int64, costBaseMinor: Int64) {
        self.id = id; self.orderID = orderID; self.productID = productID; self.quantityMilli = quantityMilli
        self.unitPriceMinor = unitPriceMinor; self.discountMinor = discountMinor; self.netMinor = netMinor
        self.netBaseMinor = netBaseMinor; self.costBaseMinor = costBaseMinor
    }
}
