import Foundation
import KvotaCore
import KvotaStore

/// Pipedrive's exports (docs/import.md, "Pipedrive"): columns named "Deal - Title", "Organization - Name",
/// "Person - Email (Work)"…, in the language of the user who exported them; a deals export carries each deal's
/// organisation and person, a persons export each person's organisation. Records are linked by name, as Pipedrive
/// writes them: the organisations and persons a file names that Kvota lacks are added first, in the same
/// transaction. Cells that hold several values (a person's emails) are joined with commas.
enum PipedriveExport {
    static let kinds = ["accounts", "contacts", "deals"]

    /// The part before " - ": whose field a column is.
    static let entities: [String: String] = {
        let names = ["deal": ["deal", "сделка", "угода", "affär", "affar"],
                     "organization": ["organization", "organisation", "организация", "організація", "компания", "компанія"],
                     "person": ["person", "контактноелицо", "контакт", "контактнаособа", "особа"]]
        return Dictionary(uniqueKeysWithValues: names.flatMap { entity, names in names.map { ($0, entity) } })
    }()

    /// The part after " - ", without a qualifier in brackets ("Email (Work)" is an email).
    static let fields: [String: String] = {
        let names = [
            "id": ["id"], "title": ["title", "titel"], "value": ["value", "сумма", "стоимость", "сума", "вартість", "värde"],
            "currency": ["currency", "валюта", "valuta"], "stage": ["stage", "этап", "етап", "steg", "fas"],
            "pipeline": ["pipeline", "воронка", "säljtratt"], "owner": ["owner", "владелец", "ответственный", "власник", "відповідальний", "ägare"],
            "status": ["status", "статус"],
            "expected_close": ["expectedclosedate", "ожидаемаядатазакрытия", "очікуванадатазакриття", "förväntatavslutsdatum"],
            "won_time": ["wontime", "датавыигрыша", "датавиграшу"], "lost_time": ["losttime", "датапроигрыша", "датапрограшу"],
            "close_time": ["closetime", "датазакрытия", "датазакриття", "avslutsdatum"],
            "lost_reason": ["lostreason", "причинапроигрыша", "причинапрограшу", "förlustorsak", "anledningtillförlust"],
            "created": ["addtime", "dealcreated", "created", "времядобавления", "датасоздания", "датастворення", "skapad"],
            "name": ["name", "имя", "название", "імя", "ім'я", "назва", "namn"], "email": ["email", "электроннаяпочта", "эпочта", "epost", "електроннапошта"],
            "phone": ["phone", "телефон", "telefon"], "position": ["jobtitle", "должность", "посада", "befattning"],
            "organization": ["organization", "organisation", "организация", "організація"],
        ]
        return Dictionary(uniqueKeysWithValues: names.flatMap { field, names in names.map { ($0, field) } })
    }()

    /// The fields Kvota takes from an export; others ("Person - Owner", "Organization - Address") are listed as ignored.
    static let used: Set<String> = [
        "organization.name", "organization.id", "organization.owner", "person.name", "person.id", "person.email", "person.phone",
        "person.position", "person.organization", "deal.title", "deal.id", "deal.value", "deal.currency", "deal.stage", "deal.status",
        "deal.pipeline", "deal.owner", "deal.expected_close", "deal.created", "deal.won_time", "deal.lost_time", "deal.close_time",
        "deal.lost_reason",
    ]

    /// A column's entity and field, as "deal.title"; nil for one Kvota has no place for.
    static func field(of header: String) -> String? {
        let parts = header.components(separatedBy: " - ")
        guard parts.count >= 2, let entity = entities[ImportLayout.normalised(parts[0])] else { return nil }
        var name = parts.dropFirst().joined(separator: " - ")
        if let bracket = name.firstIndex(of: "(") { name = String(name[..<bracket]) }
        guard var field = fields[ImportLayout.normalised(name)] else { return nil }
        // "Сделка - Название" is the deal's title, as "Организация - Название" is the organisation's name.
        if entity == "deal" && field == "name" { field = "title" }
        return "\(entity).\(field)"
    }

    static func read(_ table: ImportTable, kind: String, mapping: [String: String],
                     pipelines: [(Pipeline, [Stage])]) throws(ImportFailure) -> PresetImport {
        var columns: [String: [Int]] = [:]
        var ignored: [String] = []
        for (index, header) in table.header.enumerated() where !header.isEmpty {
            if let mapped = mapping[header] {
                guard mapped == "-" || used.contains(mapped) else {
                    throw .layout("the mapping sends '\(header)' to '\(mapped)', which a Pipedrive export does not have; it has "
                                  + used.sorted().joined(separator: ", "))
                }
                if mapped != "-" { columns[mapped, default: []].append(index) }
            } else if let field = field(of: header), used.contains(field) {
                columns[field, default: []].append(index)
            } else {
                ignored.append(header)
            }
        }
        let needed = kind == "deals" ? "deal.title" : kind == "contacts" ? "person.name" : "organization.name"
        guard columns[needed] != nil else {
            throw .layout("a Pipedrive \(kind) export needs a column for \(needed.replacingOccurrences(of: ".", with: " ")) (like '\(example(needed))')")
        }
        func name(_ field: String) -> String? { columns[field]?.first.map { table.header[$0] } }
        var accounts = PresetImport.RowBuilder([("name", name("organization.name") ?? name("person.organization") ?? "organization"),
                                                ("external_id", name("organization.id")), ("owner", name("organization.owner"))])
        var contacts = PresetImport.RowBuilder([("name", name("person.name") ?? "person"), ("external_id", name("person.id")),
                                                ("email", name("person.email")), ("phone", name("person.phone")),
                                                ("position", name("person.position")),
                                                ("account", name("person.organization") ?? name("organization.name"))])
        var deals = PresetImport.RowBuilder([("title", name("deal.title")), ("external_id", name("deal.id")), ("amount", name("deal.value")),
                                             ("currency", name("deal.currency")), ("stage", name("deal.stage") ?? name("deal.status")),
                                             ("pipeline", name("deal.pipeline")), ("owner", name("deal.owner")),
                                             ("expected_close", name("deal.expected_close")), ("created", name("deal.created")),
                                             ("closed", name("deal.won_time") ?? name("deal.lost_time") ?? name("deal.close_time")),
                                             ("loss_reason", name("deal.lost_reason") ?? name("deal.status")),
                                             ("account", name("organization.name")), ("contact", name("person.email") ?? name("person.name"))])
        var seenAccounts = Set<String>(), seenContacts = Set<String>()
        for (number, values) in table.rows {
            func cell(_ field: String) -> String? {
                // Several columns of one field (Email (Work), Email (Home)) and several values in one cell, joined.
                let parts = (columns[field] ?? []).compactMap { $0 < values.count ? values[$0] : nil }
                    .flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                return parts.isEmpty ? nil : parts.joined(separator: ", ")
            }
            let organization = kind == "contacts" ? cell("person.organization") ?? cell("organization.name") : cell("organization.name")
            if let organization, seenAccounts.insert(organization.lowercased()).inserted || kind == "accounts" {
                accounts.append(row: number, ["name": organization,
                                              "external_id": kind == "accounts" ? cell("organization.id").map { "pipedrive:org:" + $0 } ?? "" : "",
                                              "owner": cell("organization.owner") ?? ""])
            }
            let email = cell("person.email"), person = cell("person.name")
            if kind != "accounts", let person, seenContacts.insert((email ?? person).lowercased()).inserted || kind == "contacts" {
                contacts.append(row: number, ["name": person, "email": email ?? "", "phone": cell("person.phone") ?? "",
                                              "position": cell("person.position") ?? "", "account": organization ?? "",
                                              "external_id": kind == "contacts" ? cell("person.id").map { "pipedrive:person:" + $0 } ?? "" : ""])
            }
            guard kind == "deals" else { continue }
            let status = cell("deal.status").map(ImportLayout.normalised)
            let outcome: StageOutcome = ["won", "выиграна", "виграна", "vunnen", "vunnet"].contains(status ?? "") ? .won
                : ["lost", "проиграна", "програна", "förlorad", "förlorat"].contains(status ?? "") ? .lost : .open
            let pipeline = pipelines.first { $0.0.name.lowercased() == cell("deal.pipeline")?.lowercased() }
            deals.append(row: number, [
                "title": cell("deal.title") ?? "", "external_id": cell("deal.id").map { "pipedrive:deal:" + $0 } ?? "",
                "amount": cell("deal.value") ?? "", "currency": cell("deal.currency") ?? "",
                "stage": stage(cell("deal.stage"), outcome: outcome, in: pipeline ?? pipelines.first { $0.0.active }) ?? "",
                "pipeline": pipeline?.0.name ?? "", "owner": cell("deal.owner") ?? "", "expected_close": cell("deal.expected_close") ?? "",
                "created": cell("deal.created") ?? "",
                "closed": outcome == .open ? "" : (outcome == .won ? cell("deal.won_time") : cell("deal.lost_time")) ?? cell("deal.close_time") ?? "",
                "loss_reason": outcome == .lost ? cell("deal.lost_reason") ?? "other" : "",
                "account": organization ?? "", "contact": email.map { String($0.prefix { $0 != "," }) } ?? person ?? "",
            ])
        }
        var result = PresetImport(ignoredColumns: ignored)
        switch kind {
        case "accounts": result.steps = [ImportStep(.accounts, accounts.rows)]
        case "contacts": result.steps = [ImportStep(.accounts, accounts.rows, onlyMissing: true), ImportStep(.contacts, contacts.rows)]
        default:
            result.steps = [ImportStep(.accounts, accounts.rows, onlyMissing: true), ImportStep(.contacts, contacts.rows, onlyMissing: true),
                            ImportStep(.deals, deals.rows)]
        }
        return result
    }

    private static func example(_ field: String) -> String {
        ["deal.title": "Deal - Title", "person.name": "Person - Name", "organization.name": "Organization - Name"][field] ?? field
    }

    /// Pipedrive's default pipeline, in order; its stages have no odds in an export.
    static let defaultStages = ["qualified", "contactmade", "demoscheduled", "proposalmade", "negotiationsstarted"]

    /// A won or lost deal goes to the pipeline's won or lost stage; an open one to the stage of its name, else (one of
    /// Pipedrive's default stages) to the open stage at the same place in the pipeline, else as it is, for the deal
    /// import to name as unknown.
    static func stage(_ text: String?, outcome: StageOutcome, in pipeline: (Pipeline, [Stage])?) -> String? {
        guard let stages = pipeline?.1 else { return text }
        if outcome != .open { return stages.first { $0.outcome == outcome }?.name ?? text }
        guard let text else { return nil }
        let key = ImportLayout.normalised(text)
        if let same = stages.first(where: { ImportLayout.normalised($0.name) == key }) { return same.name }
        let open = stages.filter { $0.outcome == .open }
        guard let place = defaultStages.firstIndex(of: key), !open.isEmpty else { return text }
        return open[place * open.count / defaultStages.count].name
    }
}
