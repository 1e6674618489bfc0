import Foundation

public struct ProductCategory: Hashable, Sendable, Codable {
    public typealias ID = Identifier<ProductCategory>
    public var id: ID
    public var parentID: ID?
    public var name: String

    public init(id: ID, parentID: ID?, name: String) {
        self.id = id; self.parentID = parentID; self.name = name
    }
}

public struct Product: Hashable, Sendable, Codable {
    public typealias ID = Identifier<Product>
    public var id: ID
    public var sku: String
    public var name: String
    public var categoryID: ProductCategory.ID
    public var unit: String
    /// The current list price and unit cost; `ProductPrice` keeps their history.
    public var price: Money
    public var cost: Money
    public var active: Bool
    /// Bumped by every change, for optimistic concurrency.
    public var version: Int64
    public var custom: [String: CustomValue] = [:]

    public init(id: ID, sku: String, name: String, categoryID: ProductCategory.ID, unit: String, price: Money,
                cost: Money, active: Bool, version: Int64 = 1) {
        self.id = id; self.sku = sku; self.name = name; self.categoryID = categoryID; self.unit = unit
        self.price = price; self.cost = cost; self.active = active; self.version = version
    }
}

/// A product's price and cost from `validFrom` until the next entry.
public struct ProductPrice: Hashable, Sendable, Codable {
    public var productID: Product.ID
    public var validFrom: LocalDate
    public var price: Money
    public var cost: Money

    public init(productID: Product.ID, validFrom: LocalDate, price: Money, cost: Money) {
        self.productID = productID; self.validFrom = validFrom; self.price = price; self.cost = cost
    }
}

/// The value of one unit of `currency` in the base currency, in millionths, valid from `validFrom` until the
/// next entry (METRICS.md: a foreign amount converts at the rate valid on the document's date).
public struct ExchangeRate: Hashable, Sendable, Codable {
    public var currency: Currency
    public var validFrom: LocalDate
    public var baseMicros: Int64

    public init(currency: Currency, validFrom: LocalDate, baseMicros: Int64) {
        self.currency = currency; self.validFrom = validFrom; self.baseMicros = baseMicros
    }

    /// Converts an amount in `currency` to base-currency minor units, rounding half away from zero.
    /// Assumes both currencies have the same number of minor digits (true for the demo's EUR/USD/SEK).
    public func toBase(_ minorUnits: Int64) -> Int64 {
        let (q, r) = Int64(1_000_000).dividingFullWidth(minorUnits.multipliedFullWidth(by: baseMicros))
        return r.magnitude * 2 >= 1_000_000 ? q + (r < 0 ? -1 : 1) : q
    }
}
