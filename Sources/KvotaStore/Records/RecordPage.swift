import Foundation
import KvotaCore

/// One page of a list and the cursor of the next (nil on the last page). Pages are keyset-paginated: a cursor holds
/// the sort key of the last row, so a deep page costs what the first does and rows added meanwhile do not shift it.
public struct RecordPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var next: String?

    public init(items: [Item], next: String?) {
        self.items = items; self.next = next
    }
}

/// A list's page size: at most 500 rows, 50 unless asked.
public enum PageSize {
    public static let standard = 50
    public static let maximum = 500
}

extension String {
    /// The text as a LIKE pattern matching it anywhere, its own `%`, `_` and `\` taken literally (`ESCAPE '\'`).
    var containsPattern: String {
        "%" + lowercased().replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}
