import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/products`: the catalogue, by name; `/products/ID/prices` is a product's price history and
/// `/product-categories` the category tree. Everyone reads; directors and admins change.
struct ProductsAPI {
    let database: Database
    let config: AppConfig

    struct ProductDTO: Codable, Equatable {
        let id: Int64
        let sku: String
        let name: String
        let categoryId: Int64
        let unit: String
        let priceMinor: Int64
        let costMinor: Int64
        let currency: String
        let active: Bool
        let version: Int64
        let custom: [String: JSONValue]

        init(_ p: Product) {
            custom = p.custom.mapValues(\.json)
            id = p.id.rawValue; sku = p.sku; name = p.name; categoryId = p.categoryID.rawValue; unit = p.unit
            priceMinor = p.price.minorUnits; costMinor = p.cost.minorUnits; currency = p.price.currency.code; active = p.active
            version = p.version
        }
    }

    struct PriceDTO: Encodable {
        let validFrom: String
        let priceMinor: Int64
        let costMinor: Int64
        let currency: String
    }

    struct CategoryDTO: Codable, Equatable {
        let id: Int64
        let parentId: Int64?
        let name: String

        init(_ c: ProductCategory) { id = c.id.rawValue; parentId = c.parentID?.rawValue; name = c.name }
    }

    struct Body: Decodable {
        var patch = ProductPatch()

        enum CodingKeys: String, CodingKey { case sku, name, categoryId, unit, priceMinor, costMinor, currency, active, custom }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            patch.sku = try c.decodeIfPresent(String.self, forKey: .sku)
            patch.name = try c.decodeIfPresent(String.self, forKey: .name)
            patch.categoryID = try c.decodeIfPresent(Int64.self, forKey: .categoryId).map { ProductCategory.ID($0) }
            patch.unit = try c.decodeIfPresent(String.self, forKey: .unit)
            patch.priceMinor = try c.decodeIfPresent(Int64.self, forKey: .priceMinor)
            patch.costMinor = try c.decodeIfPresent(Int64.self, forKey: .costMinor)
            patch.currency = try c.decodeIfPresent(String.self, forKey: .currency)
            patch.active = try c.decodeIfPresent(Bool.self, forKey: .active)
            patch.custom = try c.decodeIfPresent([String: JSONValue].self, forKey: .custom)
        }
    }

    struct CategoryBody: Decodable {
        var name: String?
        var parentId: Int64??

        enum CodingKeys: String, CodingKey { case name, parentId }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            if c.contains(.parentId) { parentId = .some(try c.decodeIfPresent(Int64.self, forKey: .parentId)) }
        }
    }

    var routes: RecordRoutes<Product, ProductDTO, ProductFilter> {
        RecordRoutes(
            path: "/products", kind: .product, csvName: "products.csv",
            csvHeader: ["id", "sku", "name", "category_id", "unit", "price", "cost", "currency", "active"],
            csvRow: { p in
                [p.id.description, p.sku, p.name, p.categoryID.description, p.unit, p.price.decimalText, p.cost.decimalText,
                 p.price.currency.code, String(p.active)]
            },
            dto: ProductDTO.init, version: \.version,
            filter: { parameters, errors in
                var filter = ProductFilter(categoryID: ListParameters.id(parameters, "category", into: &errors).map { ProductCategory.ID($0) },
                                           text: parameters["q"].map(String.init))
                filter.active = ListParameters.bool(parameters, "active", into: &errors)
                return filter
            },
            list: { filter, actor, action in try await database.products(filter, for: actor, action: action) },
            read: { id, actor in try await database.product(Product.ID(id), for: actor) },
            create: { request, context in
                let body = try await JSONBody.decode(Body.self, from: request)
                return try await database.addProduct(body.patch, by: context.actor, at: config.now(), address: context.address)
            },
            update: { id, request, version, context in
                let body = try await JSONBody.decode(Body.self, from: request)
                return try await database.updateProduct(Product.ID(id), body.patch, expectedVersion: version, by: context.actor,
                                                        at: config.now(), address: context.address)
            },
            delete: { id, version, context in
                try await database.deleteProduct(Product.ID(id), expectedVersion: version, by: context.actor, at: config.now(),
                                                 address: context.address)
            },
            customFields: CustomFieldColumns(kind: .product, database: database, values: \.custom, filter: { $0.custom = $1 }))
    }

    func registerExtras(on api: RouterGroup<SignedInContext>) {
        api.get("/products/:id/prices") { request, context -> Response in
            let prices = try await database.productPrices(Product.ID(try request.id(.product, context: context)), for: context.actor)
            return try JSONBody.response(Page(items: prices.map {
                PriceDTO(validFrom: $0.validFrom.iso, priceMinor: $0.price.minorUnits, costMinor: $0.cost.minorUnits,
                         currency: $0.price.currency.code)
            }))
        }
        api.get("/product-categories") { _, context -> Response in
            _ = try AccessPolicy.require(context.actor, .list, .productCategory)
            return try JSONBody.response(Page(items: try await database.productCategories().map(CategoryDTO.init)))
        }
        api.post("/product-categories") { request, context -> Response in
            let body = try await JSONBody.decode(CategoryBody.self, from: request)
            guard let name = body.name else { throw ValidationFailure([.invalid(field: "name", reason: "is required")]) }
            let category = try await database.addProductCategory(name: name, parentID: (body.parentId ?? nil).map { ProductCategory.ID($0) },
                                                                 by: context.actor, at: config.now(), address: context.address)
            return try JSONBody.response(CategoryDTO(category), status: .created)
        }
        api.patch("/product-categories/:id") { request, context -> Response in
            let id = try request.id(.productCategory, context: context)
            let body = try await JSONBody.decode(CategoryBody.self, from: request)
            let category = try await database.updateProductCategory(
                ProductCategory.ID(id), name: body.name, parentID: body.parentId.map { $0.map { ProductCategory.ID($0) } },
                by: context.actor, at: config.now(), address: context.address)
            return try JSONBody.response(CategoryDTO(category))
        }
    }
}
