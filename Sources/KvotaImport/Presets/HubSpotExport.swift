import Foundation
import KvotaCore
import KvotaStore

/// HubSpot's CRM exports (a view of companies, contacts or deals exported as CSV or XLSX): one object per file,
/// columns named by the properties' labels, a `Record ID` per record and the associated records' ids
/// (docs/import.md, "HubSpot"). Each record's external id is `hubspot:` and its Record ID, so a contact's or deal's
/// associated company finds the account its company became, and importing an export again updates instead of
/// duplicating. Import companies first, then contacts, then deals.
enum HubSpotExport {
    static let kinds = ["accounts", "contacts", "deals"]

    /// The export's columns by their labels (and the internal names an API export uses), per kind.
    static func names(for kind: String) -> [String: String] {
        let shared: [String: [String]] = ["record_id": ["recordid", "hsobjectid", "id"]]
        let fields: [String: [String]]
        switch kind {
        case "accounts":
            fields = ["name": ["companyname", "name"], "owner": ["companyowner", "owner", "hubspotowner", "hubspotownerid"],
                      "segment": ["industry"], "notes": ["description", "aboutus"], "company_id": ["companyid"],
                      "legal_id": ["orgnumber", "orgnr", "organisationsnummer", "organizationnumber", "vatnumber", "taxid", "инн"]]
        case "contacts":
            fields = ["first_name": ["firstname"], "last_name": ["lastname"], "email": ["email", "emailaddress"],
                      "phone": ["phonenumber", "phone"], "mobile": ["mobilephonenumber", "mobilephone"], "position": ["jobtitle"],
                      "company_ids": ["associatedcompanyids", "associatedcompanyid", "associatedcompanyidsprimary"],
                      "company": ["associatedcompany", "companyname", "company", "associatedcompanyprimary"], "contact_id": ["contactid"]]
        default:
            fields = ["title": ["dealname"], "amount": ["amount"], "currency": ["currency", "dealcurrencycode"],
                      "expected_close": ["closedate"], "stage": ["dealstage"], "pipeline": ["pipeline"],
                      "owner": ["dealowner", "owner", "hubspotowner"], "created": ["createdate"], "loss_reason": ["closedlostreason"],
                      "forecast": ["forecastcategory"], "company_ids": ["associatedcompanyids", "associatedcompanyid"],
                      "company": ["associatedcompany", "companyname"], "contact_ids": ["associatedcontactids", "associatedcontactid"],
                      "deal_id": ["dealid"]]
        }
        return Dictionary(uniqueKeysWithValues: shared.merging(fields) { a, _ in a }.flatMap { field, names in names.map { ($0, field) } })
    }

    /// HubSpot's default sales pipeline: each stage's internal id, label and odds.
    static let defaultStages: [(id: String, label: String, probability: Int, outcome: StageOutcome)] = [
        ("appointmentscheduled", "Appointment Scheduled", 20, .open), ("qualifiedtobuy", "Qualified To Buy", 40, .open),
        ("presentationscheduled", "Presentation Scheduled", 60, .open), ("decisionmakerboughtin", "Decision Maker Bought-In", 80, .open),
        ("contractsent", "Contract Sent", 90, .open), ("closedwon", "Closed Won", 100, .won), ("closedlost", "Closed Lost", 0, .lost),
    ]

    static func read(_ table: ImportTable, kind: String, mapping: [String: String],
                     pipelines: [(Pipeline, [Stage])]) throws(ImportFailure) -> PresetImport {
        let names = names(for: kind)
        let required = kind == "deals" ? ["title"] : kind == "accounts" ? ["name"] : []
        let (positions, ignored) = try PresetImport.columns(of: table.header, names: names, mapping: mapping, fields: Set(names.values),
                                                            required: required, preset: "HubSpot \(kind) export")
        if kind == "contacts" && ["first_name", "last_name", "email"].allSatisfy({ positions[$0] == nil }) {
            throw .layout("a HubSpot contacts export needs a column for first name, last name or email")
        }
        func column(_ field: String) -> String? { positions[field].map { table.header[$0] } }
        func first(_ fields: String...) -> String? { fields.lazy.compactMap(column).first }
        // Each of Kvota's fields, from the export's column it is named after in problems.
        var output: [(field: String, column: String?)] = [("external_id", first("record_id", "company_id", "contact_id", "deal_id"))]
        switch kind {
        case "accounts":
            output += ["name", "owner", "segment", "notes", "legal_id"].map { ($0, column($0)) }
        case "contacts":
            output += [("name", first("first_name", "last_name", "email")), ("email", column("email")), ("position", column("position")),
                       ("phone", first("phone", "mobile")), ("account", first("company_ids", "company"))]
        default:
            output += ["title", "amount", "currency", "expected_close", "owner", "created", "loss_reason", "forecast", "stage", "pipeline"]
                .map { ($0, column($0)) }
            output += [("account", first("company_ids", "company")), ("contact", column("contact_ids"))]
            if positions["stage"] != nil {
                output.append(("closed", first("expected_close", "stage")))
                if positions["loss_reason"] == nil { output.append(("loss_reason", column("stage"))) }
            }
        }
        var builder = PresetImport.RowBuilder(output)
        var result = PresetImport(ignoredColumns: ignored)
        for (number, values) in table.rows {
            var cells: [String: String] = [:]
            for (field, at) in positions where at < values.count {
                let text = values[at].trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { cells[field] = text }
            }
            builder.append(row: number, row(cells, kind: kind, pipelines: pipelines))
        }
        result.steps = [ImportStep(ImportStep.Kind(rawValue: kind)!, builder.rows)]
        return result
    }

    /// One record's cells as Kvota's fields.
    static func row(_ cells: [String: String], kind: String, pipelines: [(Pipeline, [Stage])]) -> [String: String] {
        var row: [String: String] = [:]
        if let id = cells["record_id"] ?? cells["company_id"] ?? cells["contact_id"] ?? cells["deal_id"] { row["external_id"] = "hubspot:" + id }
        // An association lists ids with ';' (the first is the primary one); the name stands in when there are none.
        func associated(_ ids: String, _ name: String) -> String? {
            cells[ids].flatMap { $0.split(whereSeparator: { $0 == ";" || $0 == "," }).first }
                .map { "hubspot:" + $0.trimmingCharacters(in: .whitespaces) } ?? cells[name]
        }
        switch kind {
        case "accounts":
            for field in ["name", "owner", "segment", "notes", "legal_id"] { row[field] = cells[field] }
        case "contacts":
            let name = [cells["first_name"], cells["last_name"]].compactMap { $0 }.joined(separator: " ")
            row["name"] = name.isEmpty ? cells["email"] : name
            row["email"] = cells["email"]
            row["position"] = cells["position"]
            row["phone"] = [cells["phone"], cells["mobile"]].compactMap { $0 }.joined(separator: ", ")
            row["account"] = associated("company_ids", "company")
        default:
            for field in ["title", "amount", "currency", "expected_close", "owner", "created", "loss_reason"] { row[field] = cells[field] }
            row["forecast"] = cells["forecast"].flatMap(PresetImport.forecast)
            row["account"] = associated("company_ids", "company")
            row["contact"] = cells["contact_ids"].flatMap { $0.split(separator: ";").first }.map { "hubspot:" + $0.trimmingCharacters(in: .whitespaces) }
            let pipeline = pipelines.first { $0.0.name.lowercased() == cells["pipeline"]?.lowercased() }
            // HubSpot's own "default" or "Sales Pipeline" is Kvota's first active pipeline, as for a file that names none.
            row["pipeline"] = pipeline?.0.name
            if let stage = cells["stage"] {
                let (name, outcome) = self.stage(stage, in: pipeline ?? pipelines.first { $0.0.active })
                row["stage"] = name
                if outcome != .open { row["closed"] = cells["expected_close"] }
                // HubSpot lets a deal be lost without a reason; Kvota asks for one, and its list has "other".
                if outcome == .lost && row["loss_reason"] == nil { row["loss_reason"] = "other" }
            }
        }
        return row
    }

    /// A HubSpot stage (its internal id or label) as a stage of the Kvota pipeline: HubSpot's default stages with
    /// their labels, outcomes and odds (`PresetImport.place`).
    static func stage(_ text: String, in pipeline: (Pipeline, [Stage])?) -> (String, StageOutcome) {
        let key = ImportLayout.normalised(text)
        let known = defaultStages.first { $0.id == key || ImportLayout.normalised($0.label) == key }
        return PresetImport.place(text, also: known.map { [$0.label] } ?? [], outcome: known?.outcome, probability: known?.probability,
                                  in: pipeline)
    }
}
