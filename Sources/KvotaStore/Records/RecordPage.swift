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

/// The sort key of a row as an opaque, URL-safe cursor: `(lowercased name, id)` for lists sorted by name.
struct NameCursor: Codable, Equatable {
    let name: String
    let id: Int64

    var encoded: String {
        let data = try! JSONEncoder().encode([name, String(id)])
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Nil for anything that is not a cursor this list gave out.
    init?(_ text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let parts = try? JSONDecoder().decode([String].self, from: data),
              parts.count == 2, let id = Int64(parts[1]) else { return nil }
        self.name = parts[0]
        self.id = id
    }

    init(name: String, id: Int64) {
        self.name = name; self.id = id
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
