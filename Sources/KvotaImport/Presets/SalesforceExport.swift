import Foundation
import KvotaCore
import KvotaSheets
import KvotaStore

/// Salesforce's Data Export (docs/import.md, "Salesforce"): a zip of one CSV per object, columns named by the
/// fields' API names (`Id`, `AccountId`, `StageName`…). Records keep their Salesforce ids as external ids
/// (`salesforce:` and the id), which link contacts and opportunities to their accounts; owners are the users of the
/// export's `User.csv`, found in Kvota by email.
enum SalesforceExport {
    static let kinds = ["accounts", "contacts", "leads", "deals"]

    /// The objects each kind brings from a whole export, in the order they are imported; the last but stage history
    /// is the kind's own, which the export must hold.
    static let objects = ["accounts": ["Account"], "contacts": ["Account", "Contact"], "leads": ["Lead"],
                          "deals": ["Account", "Contact", "Product2", "Opportunity", "OpportunityHistory", "OpportunityLineItem"]]
    static let main = ["accounts": "Account", "contacts": "Contact", "leads": "Lead", "deals": "Opportunity"]

    /// Each object's fields Kvota has a place for, by API name (lowercased).
    static let fields: [String: Set<String>] = [
        "Account": ["id", "name", "ownerid", "industry", "description", "isdeleted"],
        "Contact": ["id", "accountid", "firstname", "lastname", "name", "email", "phone", "mobilephone", "title", "isdeleted"],
        "Opportunity": ["id", "accountid", "contactid", "name", "stagename", "amount", "currencyisocode", "closedate", "isclosed", "iswon",
                        "probability", "forecastcategoryname", "ownerid", "createddate", "isdeleted"],
        "Lead": ["id", "firstname", "lastname", "name", "company", "email", "phone", "mobilephone", "leadsource", "status", "ownerid",
                 "createddate", "description", "isconverted", "isdeleted"],
        "Product2": ["id", "name", "productcode", "family", "isactive", "isdeleted", "quantityunitofmeasure"],
        "OpportunityLineItem": ["opportunityid", "product2id", "productcode", "quantity", "unitprice", "totalprice", "isdeleted"],
        "OpportunityHistory": ["opportunityid", "stagename", "probability", "forecastcategory", "createddate", "createdbyid", "isdeleted"],
    ]

    /// The export's CSV files by object: a zip's `Account.csv`, `User.csv`…, or one object's file for its kind.
    static func tables(_ file: Data, kind: String) throws(ImportFailure) -> [String: ImportTable] {
        let own = main[kind]!
        guard XLSXReader.looksLikeWorkbook(file) else { return [own: try ImportTable.read(file)] }
        // Each wanted object by its file's name, in any case.
        let wanted = Dictionary(uniqueKeysWithValues: (objects[kind]! + ["User", "PricebookEntry"]).map { ("\($0).csv".lowercased(), $0) })
        let files: [String: Data]
        do throws(ZipFiles.Failure) {
            files = try ZipFiles.files(file) { wanted[$0.lowercased()] != nil }
        } catch {
            switch error {
            case .unreadable(let reason): throw .unreadable(reason)
            }
        }
        var tables: [String: ImportTable] = [:]
        for (name, data) in files { tables[wanted[name.lowercased()]!] = try ImportTable.read(data) }
        guard tables[own] != nil else {
            throw .unreadable("the export has no \(own).csv; it has \(files.keys.sorted().joined(separator: ", "))")
        }
        return tables
    }

    /// What the export says about records other files name by id: users (owners), products (a line's), their prices.
    struct Lookups {
        var owners: [String: String] = [:]
        /// A Product2 id's SKU in Kvota: its product code, else the id.
        var skus: [String: String] = [:]
        /// A Product2 id's price and currency: its first active price book entry.
        var prices: [String: (price: String, currency: String)] = [:]
        var base: Currency
        var pipelines: [(Pipeline, [Stage])]
    }

    static func read(_ file: Data, kind: String, base: Currency, pipelines: [(Pipeline, [Stage])]) throws(ImportFailure) -> PresetImport {
        let tables = try tables(file, kind: kind)
        var lookups = Lookups(base: base, pipelines: pipelines)
        func rows(_ object: String, _ fields: String...) -> [[String?]] {
            guard let table = tables[object] else { return [] }
            let positions = fields.map { position(table, $0) }
            return table.rows.map { _, values in positions.map { at in at.flatMap { $0 < values.count && !values[$0].isEmpty ? values[$0] : nil } } }
        }
        for user in rows("User", "id", "email") { if let id = user[0], let email = user[1] { lookups.owners[id] = email } }
        for product in rows("Product2", "id", "productcode") { if let id = product[0] { lookups.skus[id] = product[1] ?? id } }
        for entry in rows("PricebookEntry", "product2id", "unitprice", "currencyisocode", "isactive")
            where entry[3].flatMap(ImportText.bool) != false {
            if let id = entry[0], let price = entry[1], lookups.prices[id] == nil { lookups.prices[id] = (price, entry[2] ?? base.code) }
        }
        var result = PresetImport()
        for object in objects[kind]! {
            guard let table = tables[object] else { continue }
            let known = fields[object]!
            result.ignoredColumns += table.header.filter { !known.contains($0.lowercased()) && !$0.isEmpty }.map { "\(object).\($0)" }
            result.steps.append(step(object, table, lookups, skipped: &result.skippedRows))
        }
        // A single object's file: its ignored columns by their own names.
        if tables.count == 1 { result.ignoredColumns = result.ignoredColumns.map { String($0.drop { $0 != "." }.dropFirst()) } }
        return result
    }

    static func position(_ table: ImportTable, _ field: String) -> Int? {
        table.header.firstIndex { $0.lowercased() == field }
    }

    private static func step(_ object: String, _ table: ImportTable, _ lookups: Lookups, skipped: inout Int) -> ImportStep {
        let owners = lookups.owners
        // The header's API names, found once for the table rather than for every cell of every row.
        let positions = Dictionary(table.header.enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        func column(_ field: String) -> String? { positions[field].map { table.header[$0] } }
        let output: [(field: String, column: String?)]
        switch object {
        case "Account":
            output = [("external_id", column("id")), ("name", column("name")), ("owner", column("ownerid")), ("segment", column("industry")),
                      ("notes", column("description"))]
        case "Contact":
            output = [("external_id", column("id")), ("account", column("accountid")), ("name", column("name") ?? column("lastname")),
                      ("email", column("email")), ("phone", column("phone") ?? column("mobilephone")), ("position", column("title"))]
        case "Lead":
            output = [("external_id", column("id")), ("name", column("name") ?? column("lastname")), ("company", column("company")),
                      ("email", column("email")), ("phone", column("phone") ?? column("mobilephone")), ("source", column("leadsource")),
                      ("status", column("status")), ("disqualify_reason", column("status")), ("owner", column("ownerid")),
                      ("received", column("createddate")), ("message", column("description"))]
        case "Product2":
            output = [("sku", column("productcode") ?? column("id")), ("name", column("name")), ("category", column("family") ?? column("name")),
                      ("price", column("id")), ("currency", column("id")), ("active", column("isactive")), ("unit", column("quantityunitofmeasure"))]
        case "OpportunityLineItem":
            output = [("deal", column("opportunityid")), ("product", column("product2id") ?? column("productcode")),
                      ("quantity", column("quantity")), ("price", column("unitprice")), ("amount", column("totalprice"))]
        case "OpportunityHistory":
            output = [("deal", column("opportunityid")), ("stage", column("stagename")), ("entered", column("createddate")),
                      ("user", column("createdbyid"))]
        default:
            output = [("external_id", column("id")), ("account", column("accountid")), ("contact", column("contactid")),
                      ("title", column("name")), ("stage", column("stagename")), ("amount", column("amount")),
                      ("currency", column("currencyisocode")), ("expected_close", column("closedate")), ("closed", column("closedate")),
                      ("owner", column("ownerid")), ("created", column("createddate")), ("forecast", column("forecastcategoryname")),
                      ("loss_reason", column("stagename"))]
        }
        var builder = PresetImport.RowBuilder(output)
        let pipeline = lookups.pipelines.first { $0.0.active }
        for (number, values) in table.rows {
            func cell(_ field: String) -> String? {
                guard let at = positions[field], at < values.count else { return nil }
                let text = values[at].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            if cell("isdeleted").flatMap(ImportText.bool) == true {
                skipped += 1
                continue
            }
            func id(_ field: String) -> String { cell(field).map { "salesforce:" + $0 } ?? "" }
            // An owner the export's users do not list stays as its id, which the import names as no user; a queue
            // (an id starting 00G) owns nobody's record in Kvota, so the record goes to the importer's rule.
            let owner = cell("ownerid").map { owners[$0] ?? ($0.hasPrefix("00G") ? "" : $0) } ?? ""
            switch object {
            case "Account":
                builder.append(row: number, ["external_id": id("id"), "name": cell("name") ?? "", "owner": owner,
                                             "segment": cell("industry") ?? "", "notes": cell("description") ?? ""])
            case "Contact":
                let name = cell("name") ?? [cell("firstname"), cell("lastname")].compactMap { $0 }.joined(separator: " ")
                builder.append(row: number, ["external_id": id("id"), "account": id("accountid"), "name": name.isEmpty ? cell("email") ?? "" : name,
                                             "email": cell("email") ?? "",
                                             "phone": [cell("phone"), cell("mobilephone")].compactMap { $0 }.joined(separator: ", "),
                                             "position": cell("title") ?? ""])
            case "Lead":
                // A converted lead came over as the account, contact and opportunity it became.
                if cell("isconverted").flatMap(ImportText.bool) == true {
                    skipped += 1
                    continue
                }
                let name = cell("name") ?? [cell("firstname"), cell("lastname")].compactMap { $0 }.joined(separator: " ")
                let status = cell("status").flatMap(LeadWords.status)
                builder.append(row: number, [
                    "external_id": id("id"), "name": name, "company": cell("company") ?? "", "email": cell("email") ?? "",
                    "phone": [cell("phone"), cell("mobilephone")].compactMap { $0 }.joined(separator: ", "),
                    "source": cell("leadsource") ?? "", "status": cell("status") ?? "",
                    // Salesforce closes a lead without a reason; Kvota's lead reasons have "other".
                    "disqualify_reason": status == .disqualified ? "other" : "", "owner": owner, "received": cell("createddate") ?? "",
                    "message": cell("description") ?? "",
                ])
            case "Product2":
                let id = cell("id") ?? ""
                let price = lookups.prices[id]
                builder.append(row: number, [
                    "sku": lookups.skus[id] ?? cell("productcode") ?? id, "name": cell("name") ?? "", "category": cell("family") ?? "Salesforce",
                    // A product without a price book entry is priced 0 until Kvota's own list price is set.
                    "price": price?.price ?? "0", "currency": price?.currency ?? lookups.base.code, "active": cell("isactive") ?? "",
                    "unit": cell("quantityunitofmeasure") ?? "",
                ])
            case "OpportunityLineItem":
                builder.append(row: number, [
                    "deal": id("opportunityid"), "product": cell("product2id").map { lookups.skus[$0] ?? $0 } ?? cell("productcode") ?? "",
                    "quantity": cell("quantity") ?? "", "price": cell("unitprice") ?? "", "amount": cell("totalprice") ?? "",
                ])
            case "OpportunityHistory":
                // The history says how a stage ends only by its odds and forecast category.
                let probability = cell("probability").flatMap(ImportText.decimal).map { NSDecimalNumber(decimal: $0).intValue }
                let category = cell("forecastcategory").map(ImportLayout.normalised)
                let outcome: StageOutcome? = probability == 100 && category == "closed" ? .won
                    : probability == 0 && category == "omitted" ? .lost : nil
                builder.append(row: number, ["deal": id("opportunityid"),
                                             "stage": PresetImport.place(cell("stagename") ?? "", outcome: outcome, probability: probability,
                                                                         in: pipeline).0,
                                             "entered": cell("createddate") ?? "", "user": cell("createdbyid").flatMap { owners[$0] } ?? ""])
            default:
                let closed = cell("isclosed").flatMap(ImportText.bool) ?? false
                let won = cell("iswon").flatMap(ImportText.bool) ?? false
                let (stage, outcome) = PresetImport.place(cell("stagename") ?? "", outcome: closed ? (won ? .won : .lost) : .open,
                                                          probability: cell("probability").flatMap(ImportText.decimal)
                                                              .map { NSDecimalNumber(decimal: $0).intValue }, in: pipeline)
                builder.append(row: number, [
                    "external_id": id("id"), "account": id("accountid"), "contact": id("contactid"), "title": cell("name") ?? "",
                    "stage": stage, "amount": cell("amount") ?? "", "currency": cell("currencyisocode") ?? "",
                    "expected_close": cell("closedate") ?? "", "closed": outcome == .open ? "" : cell("closedate") ?? "", "owner": owner,
                    "created": cell("createddate") ?? "", "forecast": cell("forecastcategoryname").flatMap(PresetImport.forecast) ?? "",
                    "loss_reason": outcome == .lost ? "other" : "",
                ])
            }
        }
        let kind: ImportStep.Kind = switch object {
        case "Account": .accounts
        case "Contact": .contacts
        case "Opportunity": .deals
        case "Lead": .leads
        case "Product2": .products
        case "OpportunityLineItem": .dealLines
        default: .stageHistory
        }
        return ImportStep(kind, builder.rows)
    }
}
