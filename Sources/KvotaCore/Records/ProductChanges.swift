import Foundation

/// A change to a product (or the fields of a new one): nil leaves a field. Price, cost and currency go together
/// into the price history, so a change to any of them is one new history entry.
public struct ProductPatch: Hashable, Sendable {
    public var sku: String?
    public var name: String?
    public var categoryID: ProductCategory.ID?
    public var unit: String?
    public var priceMinor: Int64?
    public var costMinor: Int64?
    public var currency: String?
    public var active: Bool?
    /// The custom fields to set (null clears one); others stay.
    public var custom: [String: JSONValue]?

    public init(sku: String? = nil, name: String? = nil, categoryID: ProductCategory.ID? = nil, unit: String? = nil,
                priceMinor: Int64? = nil, costMinor: Int64? = nil, currency: String? = nil, active: Bool? = nil) {
        self.sku = sku; self.name = name; self.categoryID = categoryID; self.unit = unit
        self.priceMinor = priceMinor; self.costMinor = costMinor; self.currency = currency; self.active = active
    }

    /// The fields a new product must have, each named when missing.
    public func checkComplete(into errors: inout ValidationFailure.Collector) {
        errors.check(sku != nil, "sku", "is required")
        errors.check(name != nil, "name", "is required")
        errors.check(categoryID != nil, "categoryId", "is required")
        errors.check(priceMinor != nil, "priceMinor", "is required")
        errors.check(currency != nil, "currency", "is required")
    }

    /// The product after the change, with every problem that needs no database collected.
    public func applied(to product: Product, into errors: inout ValidationFailure.Collector) -> Product {
        var changed = product
        if let sku { changed.sku = sku.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let name { changed.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let categoryID { changed.categoryID = categoryID }
        if let unit { changed.unit = unit.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let active { changed.active = active }
        var currencyValue = product.price.currency
        if let currency {
            do throws(ValueError) { currencyValue = try Currency(currency) } catch { errors.check(false, error.field, error.reason) }
        }
        let price = priceMinor ?? product.price.minorUnits, cost = costMinor ?? product.cost.minorUnits
        errors.check(price >= 0, "priceMinor", "must not be negative")
        errors.check(cost >= 0, "costMinor", "must not be negative")
        changed.price = Money(minorUnits: price, currency: currencyValue)
        changed.cost = Money(minorUnits: cost, currency: currencyValue)
        errors.check(!changed.sku.isEmpty, "sku", "must not be empty")
        errors.check(changed.sku.count <= 64, "sku", "must be at most 64 characters")
        errors.check(!changed.name.isEmpty, "name", "must not be empty")
        errors.check(changed.name.count <= 300, "name", "must be at most 300 characters")
        errors.check(!changed.unit.isEmpty, "unit", "must not be empty")
        errors.check(changed.unit.count <= 20, "unit", "must be at most 20 characters")
        return changed
    }

    /// A blank product for `applied(to:)` to fill when adding one.
    public static var blank: Product {
        Product(id: .init(0), sku: "", name: "", categoryID: .init(0), unit: "pcs", price: .zero(.EUR), cost: .zero(.EUR),
                active: true)
    }
}

extension ProductCategory {
    /// Whether making `parent` the parent of `category` would put the category inside itself, given every
    /// category's current parent.
    public static func wouldLoop(_ category: ID, under parent: ID?, parents: [ID: ID?]) -> Bool {
        var next = parent
        var seen: Set<ID> = []
        while let current = next {
            if current == category || !seen.insert(current).inserted { return true }
            next = parents[current] ?? nil
        }
        return false
    }

    /// `root` and every category below it.
    public static func subtree(of root: ID, parents: [ID: ID?]) -> Set<ID> {
        var children: [ID: [ID]] = [:]
        for (id, parent) in parents { if let parent { children[parent, default: []].append(id) } }
        var result: Set<ID> = [root], queue = [root]
        while let id = queue.popLast() {
            for child in children[id] ?? [] where result.insert(child).inserted { queue.append(child) }
        }
        return result
    }
}
