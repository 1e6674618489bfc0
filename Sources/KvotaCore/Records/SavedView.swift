import Foundation

/// A user's named way of looking at one list: its filters and order, kept as the list's own query string, so a view
/// opens exactly the page its owner saved and a list that learns a new filter needs no change here.
public struct SavedView: Hashable, Sendable {
    public typealias ID = Identifier<SavedView>

    public var id: ID
    /// The kind of record the list shows.
    public var list: RecordKind
    public var name: String
    /// `status=open&sort=-amount`, without the `?` and without a page cursor.
    public var query: String
    public var createdAt: Date

    public init(id: ID, list: RecordKind, name: String, query: String, createdAt: Date) {
        self.id = id; self.list = list; self.name = name; self.query = query; self.createdAt = createdAt
    }

    public static let maximumNameLength = 80
    public static let maximumQueryLength = 2_000
    /// Per user and list: a menu of views, not a place to file searches.
    public static let maximumPerList = 50

    /// The name as stored (trimmed), with problems for a missing or too long one and a query out of bounds.
    public static func checked(name: String?, query: String, into errors: inout ValidationFailure.Collector) -> String {
        let name = (name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        errors.check(!name.isEmpty, "name", "is required")
        errors.check(name.count <= maximumNameLength, "name", "must be at most \(maximumNameLength) characters")
        errors.check(query.count <= maximumQueryLength, "query", "must be at most \(maximumQueryLength) characters")
        return name
    }
}
