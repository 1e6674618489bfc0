/// Concentration risk (METRICS.md "Concentration risk"): how much of the revenue the largest customers hold.
public struct ConcentrationThresholds: Hashable, Sendable {
    /// The largest customer's share above which the alert is raised.
    public var topShare: Double
    /// The Herfindahl–Hirschman index above which the alert is raised.
    public var hhi: Double

    public init(topShare: Double = 0.25, hhi: Double = 2_500) {
        self.topShare = topShare; self.hhi = hhi
    }
}

public struct Concentration: Hashable, Sendable {
    public struct Customer: Hashable, Sendable {
        public let id: Int64
        public let value: Int64
        public let share: Double
    }

    /// Customers by revenue, largest first (ties by id).
    public let ranked: [Customer]
    public let total: Int64
    public let topShare: Double
    public let top5Share: Double
    /// Σ share² × 10 000: 10 000 for one customer, 10 000 / n for n equal ones.
    public let hhi: Double
    public let topShareAlert: Bool
    public let hhiAlert: Bool

    public var alert: Bool { topShareAlert || hhiAlert }

    /// Shares are of the positive total, as in ABC: a customer with returns worth more than their purchases does not
    /// push the others' shares past 100 %. Such customers hold no share of the index.
    public init(_ values: [(id: Int64, value: Int64)], thresholds: ConcentrationThresholds = ConcentrationThresholds()) {
        let sorted = values.sorted { $0.value != $1.value ? $0.value > $1.value : $0.id < $1.id }
        total = sorted.reduce(0) { $0 + max($1.value, 0) }
        let total = total
        ranked = sorted.map { Customer(id: $0.id, value: $0.value, share: total > 0 ? Double($0.value) / Double(total) : 0) }
        let positive = ranked.filter { $0.value > 0 }
        topShare = positive.first?.share ?? 0
        top5Share = positive.prefix(5).reduce(0) { $0 + $1.share }
        hhi = positive.reduce(0) { $0 + $1.share * $1.share } * 10_000
        topShareAlert = topShare > thresholds.topShare
        hhiAlert = hhi > thresholds.hhi
    }
}

/// The figures of one region or channel (METRICS.md "Territory and channel analysis").
public struct SegmentFigures: Hashable, Sendable {
    public var totals: SalesTotals
    public var activeCustomers: Int
    public var newCustomers: Int
    public var previous: SalesTotals
    public var yearEarlier: SalesTotals

    public init(totals: SalesTotals = .zero, activeCustomers: Int = 0, newCustomers: Int = 0, previous: SalesTotals = .zero,
                yearEarlier: SalesTotals = .zero) {
        self.totals = totals; self.activeCustomers = activeCustomers; self.newCustomers = newCustomers
        self.previous = previous; self.yearEarlier = yearEarlier
    }

    /// Revenue per order; nil without orders.
    public var averageOrder: Int64? { totals.orders > 0 ? (totals.revenue + totals.orders / 2) / totals.orders : nil }

    public func share(of total: Int64) -> Double { total > 0 ? Double(totals.revenue) / Double(total) : 0 }
    public var growthPct: Double? { SalesDynamics.change(from: previous.revenue, to: totals.revenue) }
    public var yoyPct: Double? { SalesDynamics.change(from: yearEarlier.revenue, to: totals.revenue) }
}

extension DateWindow {
    /// Whole calendar months (YYYYMM), when the window is exactly that.
    public var wholeMonths: ClosedRange<Int>? {
        guard from.day == 1, through.adding(days: 1).day == 1 else { return nil }
        return from.monthKey...through.monthKey
    }

    /// The period before this one: as many whole months before a window of whole months (the quarter before a quarter),
    /// else the same number of days just before.
    public var previous: DateWindow {
        if wholeMonths != nil {
            let count = Period.covering(from: from, through: through, grain: .month).count
            return DateWindow(unchecked: from.adding(months: -count), from.adding(days: -1))
        }
        return DateWindow(unchecked: from.adding(days: -dayCount), from.adding(days: -1))
    }

    /// The same calendar days a year earlier (whole months stay whole: February to its last day).
    public var yearEarlier: DateWindow {
        if wholeMonths != nil {
            return DateWindow(unchecked: from.adding(months: -12), through.adding(days: 1).adding(months: -12).adding(days: -1))
        }
        return DateWindow(unchecked: from.adding(months: -12), through.adding(months: -12))
    }
}
