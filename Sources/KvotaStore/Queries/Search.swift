import Foundation
import KvotaCore
import SQLKit

/// One record found by a search: enough to show it in a list and open it.
public struct SearchHit: Hashable, Sendable {
    public let kind: RecordKind
    public let id: Int64
    public let title: String
    public let detail: String?
}

extension Database {
    /// Accounts, contacts, leads and deals the actor may see whose words, phone, email or legal id start with what
    /// was typed (`SearchTerms.query`); at most `limit` of each kind, by title.
    /// The kinds a search covers.
    public static let searchableKinds: [RecordKind] = [.account, .contact, .lead, .deal]

    public func search(_ text: String, kinds: [RecordKind] = searchableKinds, limit: Int, for actor: Actor) async throws -> [SearchHit] {
        let query = SearchTerms.query(text, country: try await defaultCountry())
        guard !query.prefixes.isEmpty else { return [] }
        return try await read { sql in
            var hits: [SearchHit] = []
            for kind in kinds where Self.searchableKinds.contains(kind) && AccessPolicy.scope(actor, .list, kind) != .nothing {
                let matches = query.prefixes.map { prefix -> SQLQueryString in
                    """
                    SELECT record_id FROM search_terms WHERE kind = \(bind: kind.rawValue)
                        AND term >= \(bind: prefix) AND term < \(bind: SearchTerms.upperBound(of: prefix))
                    """
                }
                // The matching ids first, then their rows: the engine starts from the few terms typed, not from every
                // record the caller owns.
                let candidates = matches.joined(separator: query.matchAll ? " INTERSECT " : " UNION ")
                let (title, detail) = SearchIndex.display(kind)
                let rows = try await sql.raw("""
                    SELECT r.id AS id, \(unsafeRaw: title) AS title, \(unsafeRaw: detail) AS detail
                    FROM (\(candidates)) AS m JOIN \(ident: RecordAccess.table(kind)!) AS r ON r.id = m.record_id
                    WHERE \(RecordAccess.condition(actor, .list, kind, row: "r"))
                    ORDER BY LOWER(\(unsafeRaw: title)), r.id LIMIT \(bind: limit)
                    """).all()
                for row in rows {
                    hits.append(SearchHit(kind: kind, id: try row.decode(column: "id", as: Int64.self),
                                          title: try row.decode(column: "title", as: String.self),
                                          detail: try row.decode(column: "detail", as: String?.self)))
                }
            }
            return hits
        }
    }
}

extension SearchIndex {
    /// The title and the line under it that a hit of `kind` shows.
    static func display(_ kind: RecordKind) -> (title: String, detail: String) {
        switch kind {
        case .account: ("r.name", "r.legal_id")
        case .contact: ("r.name", "COALESCE(r.email, r.phone)")
        case .lead: ("r.name", "r.company_name")
        default: ("r.title", "r.status")
        }
    }
}
