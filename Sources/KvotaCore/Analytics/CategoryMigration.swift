/// Customer category migration (METRICS.md "Customer category migration"): each customer's ABC class by revenue in
/// two windows, P1 and P2; a customer who bought nothing in a window has no class there ("—", `none` in the API).
public enum CustomerCategory: String, CaseIterable, Sendable, Comparable {
    case a = "A", b = "B", c = "C", none

    init(_ category: ABCClass) {
        switch category {
        case .a: self = .a
        case .b: self = .b
        case .c: self = .c
        }
    }

    /// A is highest, no class lowest. (A switch: a dictionary literal here was built anew for every comparison, and
    /// counting the moves of every customer at scale L compares a few hundred thousand times.)
    fileprivate var rank: Int {
        switch self {
        case .a: 3
        case .b: 2
        case .c: 1
        case .none: 0
        }
    }

    public static func < (a: CustomerCategory, b: CustomerCategory) -> Bool { a.rank < b.rank }
}

public struct CategoryMigration: Sendable {
    public struct Customer: Hashable, Sendable {
        public let id: Int64
        public let from: CustomerCategory
        public let to: CustomerCategory
        public let p1Value: Int64
        public let p2Value: Int64

        /// To a lower class, or to none (lost).
        public var isDowngrade: Bool { to < from }
        /// To a higher class among A, B and C (a customer coming back or new is a newcomer, not an upgrade).
        public var isUpgrade: Bool { from != .none && to > from }
        public var isNewcomer: Bool { from == .none && to != .none }
        public var isLost: Bool { from != .none && to == .none }
    }

    public struct Cell: Hashable, Sendable {
        public var customers: Int
        /// The cell's customers' P2 revenue.
        public var p2Value: Int64
    }

    /// Every customer who bought in either window, by P2 value then P1 value, largest first (ties by id).
    public let customers: [Customer]

    public init(p1: [(id: Int64, value: Int64)], p2: [(id: Int64, value: Int64)], thresholds: ABCThresholds = ABCThresholds()) {
        let first = Dictionary(uniqueKeysWithValues: ABCAnalysis.classify(p1, thresholds: thresholds).rows.map { ($0.id, $0) })
        let second = Dictionary(uniqueKeysWithValues: ABCAnalysis.classify(p2, thresholds: thresholds).rows.map { ($0.id, $0) })
        customers = Set(first.keys).union(second.keys).map { id in
            Customer(id: id, from: first[id].map { CustomerCategory($0.category) } ?? .none,
                     to: second[id].map { CustomerCategory($0.category) } ?? .none,
                     p1Value: first[id]?.value ?? 0, p2Value: second[id]?.value ?? 0)
        }.sorted { ($0.p2Value, $0.p1Value, -$0.id) > ($1.p2Value, $1.p1Value, -$1.id) }
    }

    /// The sixteen cells of `customers`, rows P1 class, columns P2 class (the none–none cell is always empty).
    public static func matrix(of customers: [Customer]) -> [CustomerCategory: [CustomerCategory: Cell]] {
        // Counted by the classes' ranks in a flat array: two dictionary probes per customer were a tenth of the analysis.
        var counted = Array(repeating: Cell(customers: 0, p2Value: 0), count: 16)
        for customer in customers {
            counted[customer.from.rank * 4 + customer.to.rank].customers += 1
            counted[customer.from.rank * 4 + customer.to.rank].p2Value += customer.p2Value
        }
        var cells: [CustomerCategory: [CustomerCategory: Cell]] = [:]
        for from in CustomerCategory.allCases {
            for to in CustomerCategory.allCases { cells[from, default: [:]][to] = counted[from.rank * 4 + to.rank] }
        }
        return cells
    }
}
