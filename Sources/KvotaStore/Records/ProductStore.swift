import Foundation
import KvotaCore
import SQLKit

/// Which products a list shows.
public struct ProductFilter: Hashable, PagedFilter {
    /// A category and every category below it.
    public var categoryID: ProductCategory.ID?
    public var active: Bool?
    public var custom: [CustomCondition] = []
    /// Part of the name (any case), or the SKU exactly.
    public var text: String?
    public var limit: Int = PageSize.standard
    public var cursor: String?
    public var sort: ListSort?

    public init(categoryID: ProductCategory.ID? = nil, active: Bool? = nil, text: String? = nil) {
        self.categoryID = categoryID; self.active = active; self.text = text
    }
}

/// The catalogue: everyone reads it, directors and admins keep it (AccessPolicy). A change of price, cost or
/// currency adds an entry to the price history, valid from the company's today.
extension Database {
    public func products(_ filter: ProductFilter, for actor: Actor, action: AccessAction = .list) async throws -> RecordPage<Product> {
        var filters: [SQLQueryString] = []
        if let category = filter.categoryID {
            let parents = try await categoryParents()
            let ids = ProductCategory.subtree(of: category, parents: parents).map(\.rawValue).sorted()
            filters.append("r.category_id IN \(SQLGroupExpression(SQLList(ids.map { SQLBind($0) })))")
        }
        if let active = filter.active { filters.append("r.active = \(bind: active)") }
        if let text = filter.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            filters.append("(" + lowered("r.name", for: text) + " LIKE \(bind: text.containsPattern) ESCAPE '\\' OR r.sku = \(bind: text))")
        }
        filters += try await Self.customConditions(.product, filter.custom, in: self)
        var page = try await page(Self.productList, filters: filters, paging: filter, for: actor, action: action, decode: Self.product(from:))
        page.items = try await read { sql in try await Self.withCustom(page.items, .product, id: \.id.rawValue, set: { $0.custom = $1 }, in: sql) }
        return page
    }

    public func product(_ id: Product.ID, for actor: Actor) async throws -> Product {
        _ = try AccessPolicy.require(actor, .read, .product)
        return try await read { sql in try await Self.product(id, in: sql) }
    }

    /// The product's prices and costs, newest first.
    public func productPrices(_ id: Product.ID, for actor: Actor) async throws -> [ProductPrice] {
        _ = try await product(id, for: actor)
        return try await read { sql in
            try await sql.raw("""
                SELECT valid_from, price_minor, cost_minor, currency FROM product_prices WHERE product_id = \(bind: id.rawValue)
                ORDER BY valid_from DESC
                """).all().map { row in
                let currency = try Currency(try row.decode(column: "currency", as: String.self))
                return ProductPrice(productID: id, validFrom: try LocalDate(key: try row.decode(column: "valid_from", as: Int.self)),
                                    price: Money(minorUnits: try row.decode(column: "price_minor", as: Int64.self), currency: currency),
                                    cost: Money(minorUnits: try row.decode(column: "cost_minor", as: Int64.self), currency: currency))
            }
        }
    }

    public func addProduct(_ fields: ProductPatch, by actor: Actor, at now: Date, address: String? = nil) async throws -> Product {
        _ = try AccessPolicy.require(actor, .create, .product)
        return try await write { sql in try await Self.insertProduct(fields, by: actor, at: now, address: address, in: sql) }
    }

    /// `addProduct` inside a transaction that may write more (import).
    static func insertProduct(_ fields: ProductPatch, by actor: Actor, at now: Date, address: String?,
                              in sql: any SQLDatabase) async throws -> Product {
        var errors = ValidationFailure.Collector()
        fields.checkComplete(into: &errors)
        let proposed = fields.applied(to: ProductPatch.blank, into: &errors)
        try await Self.checkReferences(of: proposed, changedFrom: nil, in: sql, into: &errors)
        let custom = try await Self.customValues(.product, applying: fields.custom, to: [:], isNew: true, in: sql, into: &errors)
        try errors.finish()
        let row = try await sql.raw("""
            INSERT INTO products (sku, name, category_id, unit, price_minor, cost_minor, currency, active)
            VALUES (\(bind: proposed.sku), \(bind: proposed.name), \(bind: proposed.categoryID.rawValue), \(bind: proposed.unit),
                    \(bind: proposed.price.minorUnits), \(bind: proposed.cost.minorUnits), \(bind: proposed.price.currency.code),
                    \(bind: proposed.active))
            RETURNING id
            """).first()
        var product = proposed
        product.id = Product.ID(try row!.decode(column: "id", as: Int64.self))
        product.custom = custom
        try await Self.recordPrice(of: product, at: now, in: sql)
        try await Self.writeCustomValues(.product, id: product.id.rawValue, values: custom, old: [:], in: sql)
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "product",
                                        entityID: product.id.rawValue,
                                        changes: AuditLog.created(Self.fields(of: product)) + Self.customChanges([:], custom),
                                        address: address), in: sql)
        return product
    }

    public func updateProduct(_ id: Product.ID, _ patch: ProductPatch, expectedVersion: Int64?, by actor: Actor, at now: Date,
                              address: String? = nil) async throws -> Product {
        _ = try AccessPolicy.require(actor, .update, .product)
        return try await write { sql in
            try await Self.changeProduct(id, patch, expectedVersion: expectedVersion, by: actor, at: now, address: address, in: sql)
        }
    }

    /// `updateProduct` inside a transaction that may write more (import).
    static func changeProduct(_ id: Product.ID, _ patch: ProductPatch, expectedVersion: Int64?, by actor: Actor, at now: Date,
                              address: String?, in sql: any SQLDatabase) async throws -> Product {
        try await sql.lockForChange("products", id: id.rawValue)
        let old = try await Self.product(id, in: sql)
        try VersionConflict.check(.product, id: id.rawValue, expected: expectedVersion, current: old.version)
        var errors = ValidationFailure.Collector()
        var new = patch.applied(to: old, into: &errors)
        try await Self.checkReferences(of: new, changedFrom: old, in: sql, into: &errors)
        new.custom = try await Self.customValues(.product, applying: patch.custom, to: old.custom, isNew: false, in: sql, into: &errors)
        try errors.finish()
        let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new)) + Self.customChanges(old.custom, new.custom)
        guard !changes.isEmpty else { return old }
        new.version = old.version + 1
        let update: SQLQueryString = """
            UPDATE products SET sku = \(bind: new.sku), name = \(bind: new.name), category_id = \(bind: new.categoryID.rawValue),
                unit = \(bind: new.unit), price_minor = \(bind: new.price.minorUnits), cost_minor = \(bind: new.cost.minorUnits),
                currency = \(bind: new.price.currency.code), active = \(bind: new.active), version = version + 1
            WHERE id = \(bind: id.rawValue)
            """
        if new.categoryID != old.categoryID {
            // The sums per category hold the product's orders under its category: they move with it.
            try await SalesRollups.recategorize(product: id.rawValue, in: sql) { try await sql.raw(update).run() }
        } else {
            try await sql.raw(update).run()
        }
        if new.price != old.price || new.cost != old.cost { try await Self.recordPrice(of: new, at: now, in: sql) }
        try await Self.writeCustomValues(.product, id: id.rawValue, values: new.custom, old: old.custom, in: sql)
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "product",
                                        entityID: id.rawValue, changes: changes, address: address), in: sql)
        return new
    }

    /// Deletes a product no deal or order has used; one with history is archived instead (`active: false`).
    public func deleteProduct(_ id: Product.ID, expectedVersion: Int64?, by actor: Actor, at now: Date,
                              address: String? = nil) async throws {
        _ = try AccessPolicy.require(actor, .delete, .product)
        try await write { sql in
            try await sql.lockForChange("products", id: id.rawValue)
            let old = try await Self.product(id, in: sql)
            try VersionConflict.check(.product, id: id.rawValue, expected: expectedVersion, current: old.version)
            try await DeletionRules.clear("products", id: id.rawValue, kind: "product", instead: "set it to false to take the product off sale instead",
                                          in: sql)
            try await Self.deleteCustomValues(.product, id: id.rawValue, in: sql)
            try await sql.raw("DELETE FROM products WHERE id = \(bind: id.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "product",
                                            entityID: id.rawValue, changes: AuditLog.deleted(Self.fields(of: old)),
                                            address: address), in: sql)
        }
    }

    // MARK: - Rows

    static let productColumns = "r.id, r.sku, r.name, r.category_id, r.unit, r.price_minor, r.cost_minor, r.currency, r.active, r.version"
    static let productList = RecordList(kind: .product, table: "products", columns: productColumns, sorts: [
        ("name", .text("name")), ("sku", .text("sku")), ("price", .number("price_minor"))], defaultSort: ListSort("name"))

    static func product(from row: any SQLRow) throws -> Product {
        let currency = try Currency(try row.decode(column: "currency", as: String.self))
        return Product(id: .init(try row.decode(column: "id", as: Int64.self)), sku: try row.decode(column: "sku", as: String.self),
                       name: try row.decode(column: "name", as: String.self),
                       categoryID: .init(try row.decode(column: "category_id", as: Int64.self)),
                       unit: try row.decode(column: "unit", as: String.self),
                       price: Money(minorUnits: try row.decode(column: "price_minor", as: Int64.self), currency: currency),
                       cost: Money(minorUnits: try row.decode(column: "cost_minor", as: Int64.self), currency: currency),
                       active: try row.decode(column: "active", as: Bool.self), version: try row.decode(column: "version", as: Int64.self))
    }

    static func product(_ id: Product.ID, in sql: any SQLDatabase) async throws -> Product {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: productColumns) FROM products AS r WHERE r.id = \(bind: id.rawValue)").first()
        else { throw AccessDenied.notFound(.product, id: id.rawValue) }
        return try await withCustom([try product(from: row)], .product, id: \.id.rawValue, set: { $0.custom = $1 }, in: sql)[0]
    }

    static func fields(of product: Product) -> [(String, String?)] {
        [("sku", product.sku), ("name", product.name), ("category", product.categoryID.description), ("unit", product.unit),
         ("price", product.price.description), ("cost", product.cost.description), ("active", String(product.active))]
    }

    /// The price and cost from the company's today on; a second change on one day replaces that day's entry.
    private static func recordPrice(of product: Product, at now: Date, in sql: any SQLDatabase) async throws {
        let today = LocalDate(now, in: try await timeZone(in: sql)).key
        try await sql.raw("DELETE FROM product_prices WHERE product_id = \(bind: product.id.rawValue) AND valid_from = \(bind: today)").run()
        try await sql.raw("""
            INSERT INTO product_prices (product_id, valid_from, price_minor, cost_minor, currency)
            VALUES (\(bind: product.id.rawValue), \(bind: today), \(bind: product.price.minorUnits), \(bind: product.cost.minorUnits),
                    \(bind: product.price.currency.code))
            """).run()
    }

    private static func checkReferences(of product: Product, changedFrom old: Product?, in sql: any SQLDatabase,
                                        into errors: inout ValidationFailure.Collector) async throws {
        if !product.sku.isEmpty, product.sku != old?.sku {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM products WHERE LOWER(sku) = \(bind: product.sku.lowercased())") == 0,
                         "sku", "'\(product.sku)' is already another product's SKU")
        }
        if product.categoryID != old?.categoryID, product.categoryID.rawValue != 0 || old != nil {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM product_categories WHERE id = \(bind: product.categoryID.rawValue)") == 1,
                         "categoryId", "no product category \(product.categoryID)")
        }
    }
}
