import Foundation
import KvotaCore

/// The columns a kind's file may have (docs/import.md): canonical names, and the other names people's exports use.
/// A mapping file (`{"File column": "canonical_field", "Ignored column": "-"}`) names the rest.
public struct ImportLayout: Sendable {
    public let kind: String
    public let fields: [String]
    public let required: [String]
    let aliases: [String: String]

    /// Header names compare without case, spaces, dashes and underscores: "Legal ID", "legal_id" and "legal-id" are one.
    static func normalised(_ header: String) -> String {
        header.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" && $0 != "." }
    }

    public static let accounts = ImportLayout(
        kind: "accounts", fields: ["external_id", "name", "legal_id", "region", "channel", "owner", "segment", "tags", "notes"],
        required: ["name"],
        aliases: ["id": "external_id", "externalid": "external_id", "company": "name", "accountname": "name", "наименование": "name",
                  "контрагент": "name", "organisationsnummer": "legal_id", "orgnr": "legal_id", "инн": "legal_id", "taxid": "legal_id",
                  "vatnumber": "legal_id", "owneremail": "owner", "manager": "owner", "менеджер": "owner", "регион": "region"])

    public static let products = ImportLayout(
        kind: "products", fields: ["sku", "name", "category", "unit", "price", "cost", "currency", "active"],
        required: ["sku"],
        aliases: ["article": "sku", "artikelnummer": "sku", "артикул": "sku", "productname": "name", "номенклатура": "name",
                  "pris": "price", "цена": "price", "ціна": "price", "kostnad": "cost", "себестоимость": "cost", "собівартість": "cost",
                  "валюта": "currency", "enhet": "unit", "единица": "unit", "одиниця": "unit", "kategori": "category",
                  "категория": "category", "категорія": "category"])

    /// One row per order line; the order's own fields repeat on each of its rows.
    public static let orders = ImportLayout(
        kind: "orders", fields: ["external_id", "number", "date", "account", "owner", "status", "currency", "channel", "region", "product",
                                 "quantity", "price", "discount", "cost"],
        required: ["date", "account", "product", "quantity"],
        aliases: ["orderid": "external_id", "ordernumber": "number", "orderno": "number", "ordernummer": "number", "номер": "number",
                  "orderdate": "date", "ordereddate": "date", "datum": "date", "дата": "date", "период": "date",
                  "customer": "account", "kund": "account", "контрагент": "account", "клиент": "account", "клієнт": "account",
                  "manager": "owner", "owneremail": "owner", "säljare": "owner", "менеджер": "owner",
                  "valuta": "currency", "валюта": "currency", "статус": "status", "канал": "channel", "регион": "region", "регіон": "region",
                  "sku": "product", "article": "product", "artikel": "product", "artikelnummer": "product", "артикул": "product",
                  "номенклатура": "product", "qty": "quantity", "antal": "quantity", "количество": "quantity", "кількість": "quantity",
                  "unitprice": "price", "pris": "price", "цена": "price", "ціна": "price",
                  "rabatt": "discount", "скидка": "discount", "знижка": "discount", "unitcost": "cost"])

    public static let all = [accounts, products, orders]

    /// Which canonical field each file column holds; problems with the header stop the import before any row.
    public func columns(for header: [String], mapping: [String: String] = [:]) throws(ImportFailure) -> [Int: String] {
        var result: [Int: String] = [:]
        var unknown: [String] = []
        let known = Dictionary(uniqueKeysWithValues: fields.map { (Self.normalised($0), $0) })
        for (index, name) in header.enumerated() where !name.isEmpty {
            let target: String?
            if let mapped = mapping[name] {
                guard mapped == "-" || fields.contains(mapped) else {
                    throw .layout("the mapping sends '\(name)' to '\(mapped)', which \(kind) do not have; they have \(fields.joined(separator: ", "))")
                }
                target = mapped == "-" ? nil : mapped
            } else {
                target = known[Self.normalised(name)] ?? aliases[Self.normalised(name)]
                if target == nil { unknown.append(name) }
            }
            if let target {
                if let other = result.first(where: { $0.value == target }) {
                    throw .layout("columns '\(header[other.key])' and '\(name)' are both \(target)")
                }
                result[index] = target
            }
        }
        if !unknown.isEmpty {
            throw .layout("unknown columns: \(unknown.joined(separator: ", ")); \(kind) have \(fields.joined(separator: ", ")) "
                          + "(or map them in a mapping file, \"-\" to skip one)")
        }
        let missing = required.filter { !result.values.contains($0) }
        if !missing.isEmpty { throw .layout("the file needs a column for \(missing.joined(separator: ", "))") }
        return result
    }

    /// The table's rows as the store takes them.
    public func rows(of table: ImportTable, mapping: [String: String] = [:]) throws(ImportFailure) -> [ImportRow] {
        let positions = try columns(for: table.header, mapping: mapping).sorted { $0.key < $1.key }
        let columns = ImportColumns(positions.map { (field: $0.value, column: table.header[$0.key]) })
        return table.rows.map { number, values in
            ImportRow(row: number, columns: columns, values: positions.map { $0.key < values.count ? values[$0.key] : "" })
        }
    }
}
