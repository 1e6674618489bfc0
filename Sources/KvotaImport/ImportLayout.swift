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
                                 "quantity", "price", "discount", "cost", "amount", "cost_amount"],
        required: ["date", "account", "product", "quantity"],
        aliases: ["orderid": "external_id", "ordernumber": "number", "orderno": "number", "ordernummer": "number", "номер": "number",
                  "orderdate": "date", "ordereddate": "date", "datum": "date", "дата": "date", "период": "date",
                  "customer": "account", "kund": "account", "контрагент": "account", "клиент": "account", "клієнт": "account",
                  "manager": "owner", "owneremail": "owner", "säljare": "owner", "менеджер": "owner",
                  "valuta": "currency", "валюта": "currency", "статус": "status", "канал": "channel", "регион": "region", "регіон": "region",
                  "sku": "product", "article": "product", "artikel": "product", "artikelnummer": "product", "артикул": "product",
                  "номенклатура": "product", "qty": "quantity", "antal": "quantity", "количество": "quantity", "кількість": "quantity",
                  "unitprice": "price", "pris": "price", "цена": "price", "ціна": "price",
                  "rabatt": "discount", "скидка": "discount", "знижка": "discount", "unitcost": "cost",
                  "lineamount": "amount", "linetotal": "amount", "netamount": "amount", "сумма": "amount", "сума": "amount",
                  "belopp": "amount", "linecost": "cost_amount", "costamount": "cost_amount", "totalcost": "cost_amount"])

    public static let contacts = ImportLayout(
        kind: "contacts", fields: ["external_id", "account", "name", "position"] + ContactChannel.Kind.allCases.map(\.rawValue),
        required: ["name"],
        aliases: ["id": "external_id", "contactid": "external_id", "fullname": "name", "contactname": "name", "namn": "name", "фио": "name",
                  "піб": "name", "имя": "name", "title": "position", "jobtitle": "position", "befattning": "position", "titel": "position",
                  "должность": "position", "посада": "position", "company": "account", "accountname": "account", "företag": "account",
                  "компания": "account", "компанія": "account", "контрагент": "account", "telefon": "phone", "mobile": "phone",
                  "mobil": "phone", "телефон": "phone", "epost": "email", "mail": "email", "почта": "email", "пошта": "email"])

    public static let deals = ImportLayout(
        kind: "deals", fields: ["external_id", "title", "account", "contact", "pipeline", "stage", "amount", "currency", "expected_close",
                                "forecast", "owner", "loss_reason", "created", "closed"],
        required: ["title"],
        aliases: ["id": "external_id", "dealid": "external_id", "dealname": "title", "name": "title", "affär": "title",
                  "название": "title", "назва": "title", "сделка": "title", "угода": "title", "company": "account", "customer": "account",
                  "kund": "account", "контрагент": "account", "клиент": "account", "клієнт": "account", "person": "contact",
                  "контакт": "contact", "funnel": "pipeline", "воронка": "pipeline", "säljtratt": "pipeline", "dealstage": "stage",
                  "этап": "stage", "етап": "stage", "steg": "stage", "value": "amount", "värde": "amount", "сумма": "amount",
                  "сума": "amount", "valuta": "currency", "валюта": "currency", "closedate": "expected_close",
                  "expectedclosedate": "expected_close", "forecastcategory": "forecast", "manager": "owner", "owneremail": "owner",
                  "säljare": "owner", "менеджер": "owner", "lostreason": "loss_reason", "причинапроигрыша": "loss_reason",
                  "createdate": "created", "createdat": "created", "closedat": "closed", "closedon": "closed"])

    /// Inbound requests from another CRM or a form tool: one row per lead.
    public static let leads = ImportLayout(
        kind: "leads", fields: ["external_id", "received", "source", "status", "name", "company", "phone", "email", "message",
                                "utm_source", "utm_campaign", "owner", "disqualify_reason"],
        required: [],
        aliases: ["id": "external_id", "leadid": "external_id", "receivedat": "received", "created": "received", "createdat": "received",
                  "createdate": "received", "date": "received", "datum": "received", "дата": "received", "leadsource": "source",
                  "channel": "source", "источник": "source", "джерело": "source", "källa": "source", "leadstatus": "status",
                  "статус": "status", "fullname": "name", "contactname": "name", "namn": "name", "имя": "name", "фио": "name", "піб": "name",
                  "companyname": "company", "organization": "company", "организация": "company", "компания": "company",
                  "компанія": "company", "företag": "company", "telefon": "phone", "mobile": "phone", "телефон": "phone",
                  "epost": "email", "mail": "email", "почта": "email", "пошта": "email", "comment": "message", "description": "message",
                  "notes": "message", "сообщение": "message", "комментарий": "message", "повідомлення": "message", "коментар": "message",
                  "meddelande": "message", "utmcampaign": "utm_campaign", "utmsource": "utm_source", "manager": "owner",
                  "owneremail": "owner", "менеджер": "owner", "ответственный": "owner", "säljare": "owner",
                  "reason": "disqualify_reason", "причина": "disqualify_reason", "orsak": "disqualify_reason"])

    /// A call log: one row per call.
    public static let calls = ImportLayout(
        kind: "calls", fields: ["external_id", "started", "direction", "number", "user", "outcome", "talk_seconds", "subject",
                                "account", "contact", "deal"],
        required: ["started"],
        aliases: ["id": "external_id", "callid": "external_id", "uniqueid": "external_id", "linkedid": "external_id",
                  "calldate": "started", "start": "started", "date": "started", "datum": "started", "дата": "started",
                  "type": "direction", "направление": "direction", "напрямок": "direction", "riktning": "direction",
                  "phone": "number", "externalnumber": "number", "clientnumber": "number", "телефон": "number", "nummer": "number",
                  "номер": "number", "agent": "user", "manager": "user", "extension": "user", "менеджер": "user", "säljare": "user",
                  "disposition": "outcome", "status": "outcome", "результат": "outcome", "duration": "talk_seconds",
                  "billsec": "talk_seconds", "talktime": "talk_seconds", "длительность": "talk_seconds", "тривалість": "talk_seconds",
                  "samtalstid": "talk_seconds", "notes": "subject", "comment": "subject", "комментарий": "subject",
                  "коментар": "subject", "company": "account", "контрагент": "account"])

    public static let all = [accounts, contacts, products, leads, deals, orders, calls]

    /// Which canonical field each file column holds; problems with the header stop the import before any row.
    public func columns(for header: [String], mapping: [String: String] = [:]) throws(ImportFailure) -> [Int: String] {
        var result: [Int: String] = [:]
        var unknown: [String] = []
        let known = Dictionary(uniqueKeysWithValues: fields.map { (Self.normalised($0), $0) })
        for (index, name) in header.enumerated() where !name.isEmpty {
            let target: String?
            if let mapped = mapping[name] {
                guard mapped == "-" || fields.contains(mapped) || Self.customField(mapped) != nil else {
                    throw .layout("the mapping sends '\(name)' to '\(mapped)', which \(kind) do not have; they have \(fields.joined(separator: ", "))")
                }
                target = mapped == "-" ? nil : mapped
            } else {
                target = known[Self.normalised(name)] ?? aliases[Self.normalised(name)] ?? Self.customField(name)
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

    /// "custom.region_size" names the custom field with that key (docs/import.md), as the CSV export writes it.
    static func customField(_ header: String) -> String? {
        guard header.lowercased().hasPrefix("custom."), header.count > 7 else { return nil }
        return "custom." + header.dropFirst(7).lowercased()
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
