import Crypto
import Foundation
import KvotaCore
import KvotaStore

/// A sales report saved from 1C (Управление торговлей, Комплексная автоматизация, Бухгалтерия: "Продажи", "Валовая
/// прибыль", a sales register): one row per product sold, with the customer, the day or document, the manager, the
/// quantity, the revenue and the cost of the line. Saved as CSV it is Windows-1251 with semicolons and decimal
/// commas, which `ImportTable` reads; this turns its rows into Kvota's (docs/import.md, "1C sales reports"):
///
/// - Rows without a product are the report's group headings and totals: skipped, but a heading's day, document,
///   manager or customer holds for the rows under it (1C prints a grouping's value once, above its rows).
/// - One order per document when the report has one, else per day, customer and manager; its external id is made
///   from those, so importing the report again replaces or leaves alone the same orders.
/// - Each line's revenue and cost are kept to the kopeck: the price is the revenue per unit rounded up and the
///   discount takes off the rounding (`OrderPricing.priced`).
/// - Customers and products Kvota does not know yet are added first, in the same transaction.
enum OneCSalesReport {
    static let name = "1C sales report"

    /// The report's columns by their names in Russian, Ukrainian, English and Swedish (compared as `ImportLayout`
    /// compares headers: no case, spaces, dots or dashes).
    static let names: [String: String] = {
        let fields: [String: [String]] = [
            "date": ["период", "період", "дата", "день", "period", "date", "day", "datum", "dag"],
            "document": ["документ", "регистратор", "реєстратор", "документпродажи", "документпродажу", "document", "registrar",
                         "verifikation", "dokument"],
            "manager": ["менеджер", "ответственный", "відповідальний", "manager", "salesmanager", "säljare", "ansvarig"],
            "customer": ["контрагент", "покупатель", "клиент", "покупець", "клієнт", "customer", "counterparty", "client", "kund"],
            "legal_id": ["инн", "контрагентинн", "іпн", "єдрпоу", "кодєдрпоу", "inn", "taxid", "vatnumber", "orgnr", "organisationsnummer"],
            "product": ["номенклатура", "товар", "продукция", "продукція", "product", "item", "goods", "produkt", "vara", "artikel"],
            "sku": ["артикул", "номенклатураартикул", "article", "sku", "itemcode", "artikelnummer", "artnr"],
            "unit": ["единицаизмерения", "едизм", "единица", "одиницявиміру", "одвим", "одиниця", "unit", "enhet"],
            "category": ["группаноменклатуры", "номенклатурнаягруппа", "видноменклатуры", "категория", "групаноменклатури",
                         "номенклатурнагрупа", "категорія", "category", "productgroup", "kategori", "produktgrupp", "varugrupp"],
            "quantity": ["количество", "колво", "кількість", "кть", "quantity", "qty", "antal"],
            "revenue": ["выручка", "виручка", "суммавыручки", "сумавиручки", "суммапродаж", "сумапродажу", "продажи", "продажі",
                        "стоимость", "вартість", "сумма", "сума", "revenue", "sales", "salesamount", "amount", "intäkt", "intäkter",
                        "försäljning", "belopp"],
            "cost": ["себестоимость", "собівартість", "суммасебестоимости", "сумасобівартості", "cost", "costofsales", "cogs",
                     "kostnad", "självkostnad"],
            "currency": ["валюта", "currency", "valuta"],
            "region": ["регион", "регіон", "бизнесрегион", "бізнесрегіон", "region"],
        ]
        return Dictionary(uniqueKeysWithValues: fields.flatMap { field, names in names.map { ($0, field) } })
    }()

    static let fields = Set(names.values)

    /// The first cell of a report's total row, in the four languages.
    static let totalWords = ["итого", "итог", "всего", "разом", "усього", "всього", "total", "subtotal", "grand total", "totalt",
                             "summa"]

    static func read(_ table: ImportTable, mapping: [String: String], base: Currency) throws(ImportFailure) -> PresetImport {
        let (positions, ignored) = try PresetImport.columns(of: table.header, names: names, mapping: mapping, fields: fields,
                                                            required: ["customer", "product", "quantity", "revenue"], preset: name)
        var result = PresetImport(ignoredColumns: ignored)
        func column(_ field: String) -> String? { positions[field].map { table.header[$0] } }
        // What a grouping heading says holds for the rows below it until another heading says otherwise.
        let grouped = ["date", "document", "manager", "customer", "legal_id", "region", "currency"]
        var heading: [String: String] = [:]
        var lines: [Line] = []
        for (number, values) in table.rows {
            func cell(_ field: String) -> String? {
                guard let at = positions[field], at < values.count else { return nil }
                let text = values[at].trimmingCharacters(in: .whitespacesAndNewlines)
                return text.isEmpty ? nil : text
            }
            if isTotal(values, names: Set(["product", "customer", "manager"].compactMap { positions[$0] })) {
                result.skippedRows += 1
                continue
            }
            guard cell("product") != nil else {
                for field in grouped { if let value = cell(field) { heading[field] = value } }
                result.skippedRows += 1
                continue
            }
            var line = Line(row: number)
            for field in fields { line.values[field] = cell(field) ?? (grouped.contains(field) ? heading[field] : nil) }
            func problem(_ field: String, _ reason: String) {
                let at = positions[field]
                result.problems.append(ImportProblem(row: number, column: column(field) ?? field,
                                                     value: at.map { $0 < values.count ? values[$0] : "" } ?? "", reason: reason))
            }
            if let text = line.values["date"] {
                if let day = day(text) { line.values["date"] = day.iso } else {
                    problem("date", "expected a day (20.11.2026, 2026-11-20, with or without a time) or a month (Ноябрь 2026)")
                }
            } else {
                problem("date", "is required, on the row or on the group heading above it")
            }
            if line.values["customer"] == nil { problem("customer", "is required, on the row or on the group heading above it") }
            for field in ["quantity", "revenue", "cost"] {
                if let text = line.values[field], let value = ImportText.decimal(text), value < 0 {
                    problem(field, "is negative: a return, which Kvota does not record yet; leave returns out of the report")
                }
            }
            if let currency = line.values["currency"] { line.values["currency"] = Self.currency(currency) }
            lines.append(line)
        }
        guard result.problems.isEmpty else { return result }
        result.steps = steps(lines, column: column, base: base)
        return result
    }

    struct Line {
        let row: Int
        var values: [String: String] = [:]
        /// How the orders name the customer: the tax id when the report has it, else the name.
        var customer: String { values["legal_id"] ?? values["customer"] ?? "" }
        /// How the orders name the product: the article when the report has it, else the name.
        var product: String { values["sku"] ?? values["product"] ?? "" }
    }

    private static func steps(_ lines: [Line], column: (String) -> String?, base: Currency) -> [ImportStep] {
        // Customers: the first row names each; its owner is the manager of the latest sale.
        var accounts = PresetImport.RowBuilder([("name", column("customer")), ("legal_id", column("legal_id")), ("owner", column("manager")),
                                                ("region", column("region"))])
        var latest: [String: Line] = [:]
        var firstRow: [String: Int] = [:]
        for line in lines {
            if firstRow[line.customer] == nil { firstRow[line.customer] = line.row }
            if (latest[line.customer]?.values["date"] ?? "") <= line.values["date"] ?? "" { latest[line.customer] = line }
        }
        for (key, row) in firstRow.sorted(by: { $0.value < $1.value }) {
            let line = latest[key]!
            accounts.append(row: row, ["name": line.values["customer"] ?? "", "legal_id": line.values["legal_id"] ?? "",
                                       "owner": line.values["manager"] ?? "", "region": line.values["region"] ?? ""])
        }

        // Products: the SKU is the article, else the name (cut to a SKU's 64 characters); the list price is the
        // latest sale's price per unit, in the report's currency.
        var products = PresetImport.RowBuilder([("sku", column("sku") ?? column("product")!), ("name", column("product")!),
                                                ("category", column("category") ?? column("product")!), ("price", column("revenue")!),
                                                ("currency", column("currency") ?? "currency"), ("unit", column("unit")),
                                                ("cost", column("cost"))])
        var seen: [String: Line] = [:]
        var order: [String] = []
        for line in lines {
            if seen[line.product] == nil { order.append(line.product) }
            if (seen[line.product]?.values["date"] ?? "") <= line.values["date"] ?? "" { seen[line.product] = line }
        }
        for key in order {
            let line = seen[key]!
            products.append(row: line.row, [
                "sku": line.values["sku"] ?? String((line.values["product"] ?? "").prefix(64)), "name": line.values["product"] ?? "",
                "category": line.values["category"] ?? "1C", "unit": line.values["unit"] ?? "",
                "price": perUnit(line.values["revenue"], line.values["quantity"]), "cost": perUnit(line.values["cost"], line.values["quantity"]),
                "currency": line.values["currency"] ?? base.code,
            ])
        }

        var orders = PresetImport.RowBuilder([("external_id", column("document") ?? column("date") ?? "date"),
                                              ("date", column("date") ?? "date"), ("account", column("legal_id") ?? column("customer")!),
                                              ("product", column("sku") ?? column("product")!), ("quantity", column("quantity")!),
                                              ("amount", column("revenue")!), ("owner", column("manager")),
                                              ("cost_amount", column("cost")), ("currency", column("currency")), ("region", column("region"))])
        for line in lines {
            orders.append(row: line.row, [
                "external_id": externalID(line), "date": line.values["date"] ?? "", "account": line.customer,
                "product": line.product, "quantity": line.values["quantity"] ?? "", "amount": line.values["revenue"] ?? "",
                "owner": line.values["manager"] ?? "", "cost_amount": line.values["cost"] ?? "",
                "currency": line.values["currency"] ?? "", "region": line.values["region"] ?? "",
            ])
        }
        return [ImportStep(.accounts, accounts.rows, onlyMissing: true), ImportStep(.products, products.rows, onlyMissing: true),
                ImportStep(.orders, orders.rows)]
    }

    /// The order a line belongs to: its document, or its day, customer and manager. Hashed where the text could pass
    /// an external id's 100 characters; the same report always gives the same ids.
    static func externalID(_ line: Line) -> String {
        if let document = line.values["document"] {
            return document.count <= 97 ? "1c:" + document : "1c:" + hash(document, length: 32)
        }
        return "1c:\(line.values["date"] ?? ""):" + hash(line.customer + "\u{1F}" + (line.values["manager"] ?? ""), length: 16)
    }

    private static func hash(_ text: String, length: Int) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined().prefix(length).description
    }

    /// An amount per unit with two decimals, as the product's list price or cost; empty when either is missing.
    static func perUnit(_ amount: String?, _ quantity: String?) -> String {
        guard let amount = amount.flatMap(ImportText.decimal), let quantity = quantity.flatMap(ImportText.decimal), quantity > 0 else {
            return ""
        }
        var value = amount / quantity, rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        return "\(rounded)"
    }

    /// Whether a row is one of the report's totals: "Итого" (or its like) alone or before a colon in one of its
    /// cells, or before more words in a cell that holds no name (a product may be called "Total Clean", a customer
    /// "Summa Konsult AB").
    static func isTotal(_ values: [String], names: Set<Int>) -> Bool {
        for (index, value) in values.enumerated() {
            let text = value.trimmingCharacters(in: .whitespaces).lowercased()
            guard let first = text.first, first.isLetter else { continue }
            for word in totalWords where text.hasPrefix(word) {
                let rest = text.dropFirst(word.count)
                if rest.isEmpty || rest.first == ":" || (!names.contains(index) && rest.first == " ") { return true }
            }
        }
        return false
    }

    /// 1C's days: "20.11.2026", "20.11.2026 0:00:00", "2026-11-20"; a month ("Ноябрь 2026 г.", "листопад 2026",
    /// "November 2026") is its first day.
    static func day(_ text: String) -> LocalDate? {
        let words = text.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first else { return nil }
        if let day = ImportText.date(first) { return day }
        guard words.count >= 2, let month = months[first], let year = Int(words[1].filter(\.isNumber)), year > 1900 else { return nil }
        return try? LocalDate(year: year, month: month, day: 1)
    }

    static let months: [String: Int] = {
        let names = [
            ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"],
            ["січень", "лютий", "березень", "квітень", "травень", "червень", "липень", "серпень", "вересень", "жовтень", "листопад",
             "грудень"],
            ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"],
            ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"],
        ]
        var months: [String: Int] = [:]
        for language in names { for (index, name) in language.enumerated() { months[name] = index + 1 } }
        return months
    }()

    /// 1C writes the currency's local short name.
    static func currency(_ text: String) -> String {
        switch text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ". ")) {
        case "руб", "rub", "rur", "₽": "RUB"
        case "грн", "uah", "₴": "UAH"
        case "kr", "sek": "SEK"
        case "€", "eur": "EUR"
        case "$", "usd": "USD"
        default: text
        }
    }
}
