import Foundation
import KvotaCore
import SQLKit

/// The search terms of accounts, contacts, leads and deals (`search_terms`), kept in the same transaction as each
/// record's change, and the search over them.
enum SearchIndex {
    /// Replaces the terms of one record.
    static func update(_ kind: RecordKind, id: Int64, terms: Set<String>, in sql: any SQLDatabase) async throws {
        try await remove(kind, id: id, in: sql)
        try await insert(terms.map { (kind, $0, id) }, in: sql)
    }

    static func remove(_ kind: RecordKind, id: Int64, in sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM search_terms WHERE kind = \(bind: kind.rawValue) AND record_id = \(bind: id)").run()
    }

    /// Writes the terms of every record again (migration 6 for records that existed before, and a repair). Contacts
    /// are found by every phone and email in `contact_channels`, which migration 6 runs before (`channels: false`).
    static func rebuild(in sql: any SQLDatabase, channels: Bool = true) async throws {
        try await sql.raw("DELETE FROM search_terms").run()
        for kind in Database.searchableKinds {
            var after: Int64 = 0
            while true {
                let rows = try await sql.raw("""
                    SELECT \(unsafeRaw: columns(kind)) FROM \(ident: RecordAccess.table(kind)!) WHERE id > \(bind: after) ORDER BY id LIMIT 5000
                    """).all()
                guard let last = rows.last else { break }
                var entries: [(RecordKind, String, Int64)] = []
                if kind == .contact && channels {
                    let contacts = try await Database.withChannels(try rows.map(Database.contact(from:)), in: sql)
                    for contact in contacts {
                        entries += SearchTerms.contact(name: contact.name, channels: contact.channels).map { (kind, $0, contact.id.rawValue) }
                    }
                } else {
                    for row in rows {
                        let id = try row.decode(column: "id", as: Int64.self)
                        entries += try terms(kind, row).map { (kind, $0, id) }
                    }
                }
                try await insert(entries, in: sql)
                after = try last.decode(column: "id", as: Int64.self)
            }
        }
    }

    /// The columns `terms(_:_:)` reads.
    static func columns(_ kind: RecordKind) -> String {
        switch kind {
        case .account: "id, name, legal_id"
        case .contact: Database.contactColumns.replacingOccurrences(of: "r.", with: "")
        case .lead: "id, name, company_name, phone, email"
        default: "id, title"
        }
    }

    static func terms(_ kind: RecordKind, _ row: any SQLRow) throws -> Set<String> {
        func text(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        return switch kind {
        case .account: SearchTerms.account(name: try text("name") ?? "", legalID: try text("legal_id"))
        case .contact: SearchTerms.person(name: try text("name") ?? "", phone: try text("phone"), email: try text("email"))
        case .lead: SearchTerms.person(name: try text("name") ?? "", company: try text("company_name"), phone: try text("phone"),
                                       email: try text("email"))
        default: SearchTerms.deal(title: try text("title") ?? "")
        }
    }

    private static func insert(_ entries: [(RecordKind, String, Int64)], in sql: any SQLDatabase) async throws {
        // 3 parameters a row, well under SQLite's 32 766 a statement.
        for start in stride(from: 0, to: entries.count, by: 5_000) {
            let chunk = entries[start..<min(start + 5_000, entries.count)]
            var insert = sql.insert(into: "search_terms").columns("kind", "term", "record_id")
            for (kind, term, id) in chunk { insert = insert.values(SQLBind(kind.rawValue), SQLBind(term), SQLBind(id)) }
            try await insert.run()
        }
    }
}

extension Database {
    /// Writes every record's search terms again: a repair, and how tests check the bulk-loaded ones.
    public func rebuildSearchIndex() async throws {
        try await write { sql in try await SearchIndex.rebuild(in: sql) }
    }
}
