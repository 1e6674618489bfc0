import Foundation
import KvotaCore
import SQLKit

/// The product category tree (e.g. Fasteners → Bolts → Hex bolts) that catalogue filters and category analytics
/// roll up. Kept by whoever keeps the catalogue.
extension Database {
    /// Every category, parents before children, each level by name.
    public func productCategories() async throws -> [ProductCategory] {
        let all = try await read { sql in
            try await sql.raw("SELECT id, parent_id, name FROM product_categories ORDER BY LOWER(name), id").all().map(Self.category(from:))
        }
        let children = Dictionary(grouping: all) { $0.parentID }
        var ordered: [ProductCategory] = []
        func visit(_ parent: ProductCategory.ID?) {
            for category in children[parent] ?? [] {
                ordered.append(category)
                visit(category.id)
            }
        }
        visit(nil)
        return ordered
    }

    /// Every category's parent, for walking the tree.
    func categoryParents() async throws -> [ProductCategory.ID: ProductCategory.ID?] {
        let rows = try await read { sql in try await sql.raw("SELECT id, parent_id, name FROM product_categories").all().map(Self.category(from:)) }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.parentID) })
    }

    public func addProductCategory(name: String, parentID: ProductCategory.ID?, by actor: Actor, at now: Date,
                                   address: String? = nil) async throws -> ProductCategory {
        _ = try AccessPolicy.require(actor, .create, .productCategory)
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = ValidationFailure.Collector()
        errors.check(!name.isEmpty && name.count <= 200, "name", "expected 1 to 200 characters")
        return try await write { sql in
            if let parent = parentID {
                errors.check(try await Self.count(sql, "SELECT COUNT(*) AS n FROM product_categories WHERE id = \(bind: parent.rawValue)") == 1,
                             "parentId", "no product category \(parent)")
            }
            try await Self.checkNameFree(name, under: parentID, except: nil, in: sql, into: &errors)
            try errors.finish()
            let row = try await sql.raw("""
                INSERT INTO product_categories (parent_id, name) VALUES (\(bind: parentID?.rawValue), \(bind: name)) RETURNING id
                """).first()
            let category = ProductCategory(id: .init(try row!.decode(column: "id", as: Int64.self)), parentID: parentID, name: name)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "product_category",
                                            entityID: category.id.rawValue,
                                            changes: AuditLog.created([("name", name), ("parent", parentID?.description)]),
                                            address: address), in: sql)
            return category
        }
    }

    /// Renames a category or moves it under another parent (`.some(nil)`: to the top); a category cannot move
    /// under itself or its own descendants.
    public func updateProductCategory(_ id: ProductCategory.ID, name: String?, parentID: ProductCategory.ID??, by actor: Actor,
                                      at now: Date, address: String? = nil) async throws -> ProductCategory {
        _ = try AccessPolicy.require(actor, .update, .productCategory)
        let parents = try await categoryParents()
        return try await write { sql in
            guard let row = try await sql.raw("SELECT id, parent_id, name FROM product_categories WHERE id = \(bind: id.rawValue)").first()
            else { throw AccessDenied.notFound(.productCategory, id: id.rawValue) }
            let old = try Self.category(from: row)
            var new = old
            var errors = ValidationFailure.Collector()
            if let name {
                new.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
                errors.check(!new.name.isEmpty && new.name.count <= 200, "name", "expected 1 to 200 characters")
            }
            if let parentID {
                new.parentID = parentID
                if let parent = parentID {
                    if parents[parent] == nil {
                        errors.check(false, "parentId", "no product category \(parent)")
                    } else {
                        errors.check(!ProductCategory.wouldLoop(id, under: parent, parents: parents), "parentId",
                                     "category \(parent) is inside category \(id); a category cannot move under itself")
                    }
                }
            }
            if new.name != old.name || new.parentID != old.parentID {
                try await Self.checkNameFree(new.name, under: new.parentID, except: id, in: sql, into: &errors)
            }
            try errors.finish()
            let changes = AuditLog.diff([("name", old.name), ("parent", old.parentID?.description)],
                                        [("name", new.name), ("parent", new.parentID?.description)])
            guard !changes.isEmpty else { return old }
            try await sql.raw("""
                UPDATE product_categories SET name = \(bind: new.name), parent_id = \(bind: new.parentID?.rawValue), version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "product_category",
                                            entityID: id.rawValue, changes: changes, address: address), in: sql)
            return new
        }
    }

    static func category(from row: any SQLRow) throws -> ProductCategory {
        ProductCategory(id: .init(try row.decode(column: "id", as: Int64.self)),
                        parentID: try row.decode(column: "parent_id", as: Int64?.self).map { ProductCategory.ID($0) },
                        name: try row.decode(column: "name", as: String.self))
    }

    /// Two categories with one name side by side would be the same category twice.
    private static func checkNameFree(_ name: String, under parent: ProductCategory.ID?, except id: ProductCategory.ID?,
                                      in sql: any SQLDatabase, into errors: inout ValidationFailure.Collector) async throws {
        let parentCondition: SQLQueryString = parent.map { "parent_id = \(bind: $0.rawValue)" } ?? "parent_id IS NULL"
        let n = try await count(sql, """
            SELECT COUNT(*) AS n FROM product_categories WHERE \(parentCondition) AND LOWER(name) = \(bind: name.lowercased())
            AND id <> \(bind: id?.rawValue ?? 0)
            """)
        errors.check(n == 0, "name", "there is already a category '\(name)' here")
    }
}
