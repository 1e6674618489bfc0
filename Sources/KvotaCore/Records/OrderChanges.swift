import Foundation

/// A line as a client sends it: the product, the quantity (thousandths), and optionally the unit price (the product's
/// list price when absent) and a discount on the line, both in the order's currency.
public struct OrderLineDraft: Hashable, Sendable {
    public var productID: Product.ID
    public var quantityMilli: Int64
    public var unitPriceMinor: Int64?
    public var discountMinor: Int64

    public init(productID: Product.ID, quantityMilli: Int64, unitPriceMinor: Int64? = nil, discountMinor: Int64 = 0) {
        self.productID = productID; self.quantityMilli = quantityMilli; self.unitPriceMinor = unitPriceMinor
        self.discountMinor = discountMinor
    }
}

/// A change to an order (or the fields of a new one): nil leaves a field; `lines` replaces all lines.
public struct OrderPatch: Hashable, Sendable {
    public var number: String?
    public var accountID: Account.ID?
    public var dealID: Deal.ID??
    public var ownerID: User.ID??
    public var orderedOn: LocalDate?
    public var status: OrderStatus?
    public var currency: String?
    /// Nil takes the account's (on a new order, or when the account changes).
    public var channelID: Channel.ID??
    public var regionID: Region.ID??
    public var lines: [OrderLineDraft]?
    /// The custom fields to set (null clears one); others stay.
    public var custom: [String: JSONValue]?

    public init() {}
}

/// Pricing an order line (METRICS.md "Time and money", "Revenue"): net = qty × unit price − discount in the order's
/// currency; the base-currency net and cost are converted once, at the rate valid on the order's date, so every
/// report sums plain columns.
public enum OrderPricing {
    /// The unit price and cost a line is priced with, and the rates that convert the order's and the cost's currency
    /// (nil: it is the base currency).
    public struct Inputs: Sendable {
        public var unitPrice: Int64
        public var unitCost: Money
        public var orderRate: ExchangeRate?
        public var costRate: ExchangeRate?
        /// The line's whole cost in `unitCost`'s currency, when a file gives it (a 1C report's cost of the line): a
        /// unit cost rounded to minor units and multiplied back would be off by up to half a unit per piece.
        public var lineCost: Int64?

        public init(unitPrice: Int64, unitCost: Money, orderRate: ExchangeRate?, costRate: ExchangeRate?, lineCost: Int64? = nil) {
            self.unitPrice = unitPrice; self.unitCost = unitCost; self.orderRate = orderRate; self.costRate = costRate
            self.lineCost = lineCost
        }
    }

    public static func line(_ draft: OrderLineDraft, currency: Currency, inputs: Inputs, orderID: Order.ID = 0) -> OrderLine {
        let gross = Money(minorUnits: inputs.unitPrice, currency: currency).multiplied(byMilli: draft.quantityMilli).minorUnits
        let net = gross - draft.discountMinor
        let cost = inputs.lineCost ?? inputs.unitCost.multiplied(byMilli: draft.quantityMilli).minorUnits
        return OrderLine(id: 0, orderID: orderID, productID: draft.productID, quantityMilli: draft.quantityMilli,
                         unitPriceMinor: inputs.unitPrice, discountMinor: draft.discountMinor, netMinor: net,
                         netBaseMinor: inputs.orderRate?.toBase(net) ?? net, costBaseMinor: inputs.costRate?.toBase(cost) ?? cost)
    }

    /// The unit price and discount that bring `quantityMilli` to exactly `amount`: the price rounded up from the amount
    /// per unit, the discount taking off what the rounding added (never negative). For files that give a line's sum
    /// and not its price, as 1C's sales reports do.
    public static func priced(amount: Int64, quantityMilli: Int64, currency: Currency) -> (unitPrice: Int64, discount: Int64) {
        let (quotient, remainder) = quantityMilli.dividingFullWidth(amount.multipliedFullWidth(by: 1000))
        let price = quotient + (remainder > 0 ? 1 : 0)
        let gross = Money(minorUnits: price, currency: currency).multiplied(byMilli: quantityMilli).minorUnits
        return (price, gross - amount)
    }

    /// What is wrong with a line on its own, under `lines[i]`.
    public static func check(_ draft: OrderLineDraft, index: Int, into errors: inout ValidationFailure.Collector) {
        errors.check(draft.quantityMilli > 0, "lines[\(index)].quantityMilli", "must be more than 0")
        errors.check(draft.discountMinor >= 0, "lines[\(index)].discountMinor", "must not be negative")
        if let price = draft.unitPriceMinor { errors.check(price >= 0, "lines[\(index)].unitPriceMinor", "must not be negative") }
    }
}
