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

    /// Every customer who bought in either window, in id order (`ranking` orders them for a list).
    public let customers: [Customer]

    /// `p1` and `p2` in any order; each window's customers are walked side by side in id order, which windows read
    /// from the roll-ups in key order already are. (Three dictionaries of the customers and their union were a
    /// third of a director's migration at scale L, 130 000 customers.)
    public init(p1: [(id: Int64, value: Int64)], p2: [(id: Int64, value: Int64)], thresholds: ABCThresholds = ABCThresholds()) {
        let first = Self.inIDOrder(p1, classes: ABCAnalysis.classes(of: p1, thresholds: thresholds))
        let second = Self.inIDOrder(p2, classes: ABCAnalysis.classes(of: p2, thresholds: thresholds))
        var customers: [Customer] = []
        customers.reserveCapacity(max(first.count, second.count))
        var i = 0, j = 0
        while i < first.count || j < second.count {
            if j == second.count || (i < first.count && first[i].id < second[j].id) {
                customers.append(Customer(id: first[i].id, from: first[i].category, to: .none, p1Value: first[i].value, p2Value: 0))
                i += 1
            } else if i == first.count || second[j].id < first[i].id {
                customers.append(Customer(id: second[j].id, from: .none, to: second[j].category, p1Value: 0, p2Value: second[j].value))
                j += 1
            } else {
                customers.append(Customer(id: first[i].id, from: first[i].category, to: second[j].category, p1Value: first[i].value,
                                          p2Value: second[j].value))
                i += 1; j += 1
            }
        }
        self.customers = customers
    }

    private static func inIDOrder(_ items: [(id: Int64, value: Int64)], classes: [ABCClass])
        -> [(id: Int64, value: Int64, category: CustomerCategory)] {
        var rows = zip(items, classes).map { (id: $0.0.id, value: $0.0.value, category: CustomerCategory($0.1)) }
        if !zip(rows, rows.dropFirst()).allSatisfy({ $0.id < $1.id }) { rows.sort { $0.id < $1.id } }
        return rows
    }

    /// The order a cell's counterparties are listed in: by P2 value, then P1 value, largest first (ties by id).
    public static func ranking(_ a: Customer, _ b: Customer) -> Bool {
        (a.p2Value, a.p1Value, -a.id) > (b.p2Value, b.p1Value, -b.id)
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
