import Foundation

/// A SWOT board (issue 8, "The manager's toolkit"): strengths, weaknesses, opportunities and threats of the company, a
/// team or a product line (a product category) for a period, each item with its impact and owner; an item can spawn
/// tasks. One board per scope and period; earlier ones stay for comparison.
public struct SwotBoard: Hashable, Sendable {
    public typealias ID = Identifier<SwotBoard>

    public enum Scope: Hashable, Sendable, CustomStringConvertible {
        case company
        case team(Team.ID)
        /// A product line: a product category (with its sub-categories).
        case category(Int64)

        /// `company`, `team:ID` or `category:ID`.
        public var description: String {
            switch self {
            case .company: "company"
            case .team(let id): "team:\(id)"
            case .category(let id): "category:\(id)"
            }
        }

        public init(_ text: String, field: String = "scope") throws(ValueError) {
            let bad = ValueError.invalid(field: field, reason: "expected company, team:ID or category:ID, got '\(text)'")
            if text == "company" { self = .company; return }
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = Int64(parts[1]), id > 0 else { throw bad }
            switch parts[0] {
            case "team": self = .team(Team.ID(id))
            case "category": self = .category(id)
            default: throw bad
            }
        }

        /// Whose plans the board's scope matches, for access: a team's board is the team's; the others the company's.
        public var planSubject: PlanSubject {
            if case .team(let id) = self { return .team(id) }
            return .company
        }
    }

    public enum Quadrant: String, CaseIterable, Sendable, Codable {
        case strengths, weaknesses, opportunities, threats
    }

    public struct Item: Hashable, Sendable {
        public typealias ID = Identifier<Item>

        public var id: ID
        public var quadrant: Quadrant
        public var text: String
        /// 1 (slight) to 5 (decisive).
        public var impact: Int
        public var ownerID: User.ID?
        /// The tasks spawned from it (activity ids).
        public var taskIDs: [Int64]
        public var version: Int64

        public init(id: ID, quadrant: Quadrant, text: String, impact: Int, ownerID: User.ID?, taskIDs: [Int64] = [], version: Int64 = 1) {
            self.id = id; self.quadrant = quadrant; self.text = text; self.impact = impact; self.ownerID = ownerID; self.taskIDs = taskIDs
            self.version = version
        }

        /// Every problem of an item's text and impact, named.
        public static func check(text: String?, impact: Int?, into errors: inout ValidationFailure.Collector) {
            if let text { errors.check(!text.isEmpty && text.count <= 1_000, "text", "expected 1 to 1000 characters") }
            if let impact { errors.check((1...5).contains(impact), "impact", "expected 1 (slight) to 5 (decisive), got \(impact)") }
        }
    }

    public var id: ID
    public var scope: Scope
    public var period: Period
    public var title: String
    public var items: [Item]
    public var createdAt: Date

    public init(id: ID, scope: Scope, period: Period, title: String, items: [Item] = [], createdAt: Date) {
        self.id = id; self.scope = scope; self.period = period; self.title = title; self.items = items; self.createdAt = createdAt
    }

    /// The items of a quadrant, biggest impact first.
    public func items(in quadrant: Quadrant) -> [Item] {
        items.filter { $0.quadrant == quadrant }.sorted { ($0.impact, -$0.id.rawValue) > ($1.impact, -$1.id.rawValue) }
    }
}
