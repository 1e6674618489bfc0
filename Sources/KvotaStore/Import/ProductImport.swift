import Foundation
import KvotaCore
import SQLKit

/// Products from a file: a row with a known SKU updates that product (a new price or cost goes into its price
/// history); any other adds one. The category is a path ("Tools / Hand tools"), made when it does not exist yet.
extension Database {
    func productRows(_ rows: [ImportRow], by actor: Actor, at now: Date, in sql: any SQLDatabase) async throws -> ImportReport {
        _ = try AccessPolicy.require(actor, .create, .product)
        _ = try AccessPolicy.require(actor, .create, .productCategory)
        let fields = ["sku": "sku", "name": "name", "categoryId": "category", "unit": "unit", "priceMinor": "price", "costMinor": "cost",
                      "currency": "currency", "active": "active"]
        let repeated = Self.repeatedKeys(rows, fields: [("sku", { $0 })])
        return try await Self.eachRow(rows, problems: repeated, column: { fields[$0] ?? $0 }, in: sql) { row, sql, report in
            var existing: (any SQLRow)?
            if let sku = row["sku"] { existing = try await sql.raw("SELECT id, currency, version FROM products WHERE sku = \(bind: sku)").first() }
            let storedCurrency = try existing?.decode(column: "currency", as: String.self)
            let currencyCode = row["currency"] ?? storedCurrency
            let digits = currencyCode.flatMap { try? Currency($0) }?.minorUnitDigits ?? 2
            var errors = ValidationFailure.Collector()
            func amount(_ field: String) -> Int64? {
                guard let text = row[field] else { return nil }
                let value = ImportText.minorUnits(text, digits: digits)
                errors.check(value != nil, field, "expected an amount with at most \(digits) decimals")
                return value
            }
            var patch = ProductPatch(sku: row["sku"], name: row["name"], unit: row["unit"], priceMinor: amount("price"),
                                     costMinor: amount("cost"), currency: row["currency"])
            if let text = row["active"] {
                patch.active = ImportText.bool(text)
                errors.check(patch.active != nil, "active", "expected yes or no")
            }
            if let path = row["category"] { patch.categoryID = try await Self.category(path: path, by: actor, at: now, in: sql) }
            patch.custom = row.custom(.product, fields: try await Self.customFields(.product, in: sql), into: &errors)
            try errors.finish()
            if let existing {
                let id = try existing.decode(column: "id", as: Int64.self)
                let after = try await Self.changeProduct(Product.ID(id), patch, expectedVersion: nil, by: actor, at: now,
                                                         address: "import", in: sql)
                report.matched(changed: after.version != (try existing.decode(column: "version", as: Int64.self)))
            } else {
                _ = try await Self.insertProduct(patch, by: actor, at: now, address: "import", in: sql)
                report.created += 1
            }
        }
    }

    /// The category at `path` ("Tools / Hand tools" or "Tools > Hand tools"), names compared in any case; the missing
    /// part of the path is made.
    static func category(path: String, by actor: Actor, at now: Date, in sql: any SQLDatabase) async throws -> ProductCategory.ID {
        var parent: Int64?
        for name in path.split(whereSeparator: { $0 == "/" || $0 == ">" }).map({ $0.trimmingCharacters(in: .whitespaces) })
            where !name.isEmpty {
            let condition: SQLQueryString = parent.map { "parent_id = \(bind: $0)" } ?? "parent_id IS NULL"
            let candidates = try await sql.raw("SELECT id, name FROM product_categories WHERE \(condition) ORDER BY id").all()
            if let found = try candidates.first(where: { try $0.decode(column: "name", as: String.self).lowercased() == name.lowercased() }) {
                parent = try found.decode(column: "id", as: Int64.self)
                continue
            }
            guard name.count <= 200 else { throw ValidationFailure([.invalid(field: "categoryId", reason: "a category name is at most 200 characters")]) }
            let id = try await sql.raw("""
                INSERT INTO product_categories (parent_id, name) VALUES (\(bind: parent), \(bind: name)) RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "product_category", entityID: id,
                                            changes: AuditLog.created([("name", name), ("parent", parent.map(String.init))]),
                                            address: "import"), in: sql)
            parent = id
        }
        guard let parent else { throw ValidationFailure([.invalid(field: "categoryId", reason: "is required")]) }
        return ProductCategory.ID(parent)
    }
}

