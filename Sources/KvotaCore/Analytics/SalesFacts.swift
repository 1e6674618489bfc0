import Foundation

/// What a sales analysis measures (METRICS.md "Time and money", "Sales dynamics").
public enum SalesMeasure: String, CaseIterable, Sendable, Codable {
    case revenue, margin, quantity, orders
    case dealsWon = "deals_won"
    case newCustomers = "new_customers"

    /// Whether the measure is summed from order lines (the others count deals or accounts).
    public var fromOrders: Bool { [.revenue, .margin, .quantity, .orders].contains(self) }

    /// Whether values are money in minor units of the base currency.
    public var isMoney: Bool { self == .revenue || self == .margin }
}

/// What a breakdown or a ranking groups by.
public enum SalesDimension: String, CaseIterable, Sendable, Codable {
    case manager, team, region, channel, category, product, account
}

/// The filters every analysis takes (issue 6): each narrows the orders read; a region or category covers its
/// sub-regions or sub-categories. Access control narrows further, apart from these.
public struct AnalyticsFilter: Hashable, Sendable {
    public var teamID: Team.ID?
    public var managerID: User.ID?
    /// Any of these managers, each apart (a team's members read in one statement, keyed by owner; not a form's filter).
    public var managerIDs: [User.ID]?
    public var regionID: Region.ID?
    public var channelID: Channel.ID?
    public var categoryID: ProductCategory.ID?
    /// Only these accounts (a drill-down, or the customers one step of an analysis follows).
    public var accountIDs: [Int64]?

    public init(teamID: Team.ID? = nil, managerID: User.ID? = nil, regionID: Region.ID? = nil, channelID: Channel.ID? = nil,
                categoryID: ProductCategory.ID? = nil, accountIDs: [Int64]? = nil) {
        self.teamID = teamID; self.managerID = managerID; self.regionID = regionID; self.channelID = channelID
        self.categoryID = categoryID; self.accountIDs = accountIDs
    }

    /// Whether the filter keeps some owners' orders only (so the roll-ups without an owner cannot answer it).
    public var byOwner: Bool { managerID != nil || managerIDs != nil || teamID != nil }
}

/// Sums of order lines (base currency, minor units; quantity in thousandths).
public struct SalesTotals: Hashable, Sendable {
    public var revenue: Int64
    public var cost: Int64
    public var quantityMilli: Int64
    public var orders: Int64
    public var lines: Int64

    public init(revenue: Int64 = 0, cost: Int64 = 0, quantityMilli: Int64 = 0, orders: Int64 = 0, lines: Int64 = 0) {
        self.revenue = revenue; self.cost = cost; self.quantityMilli = quantityMilli; self.orders = orders; self.lines = lines
    }

    public static let zero = SalesTotals()

    public var margin: Int64 { revenue - cost }

    /// Margin / revenue; nil without revenue (METRICS.md: a ratio against zero is "n/a").
    public var marginRate: Double? { revenue != 0 ? Double(margin) / Double(revenue) : nil }

    /// The value of an order measure; the deal and customer measures are not sums of order lines.
    public func value(_ measure: SalesMeasure) -> Int64 {
        switch measure {
        case .revenue: revenue
        case .margin: margin
        case .quantity: quantityMilli
        case .orders: orders
        case .dealsWon, .newCustomers: preconditionFailure("\(measure) is not summed from order lines")
        }
    }

    public static func + (a: SalesTotals, b: SalesTotals) -> SalesTotals {
        SalesTotals(revenue: a.revenue + b.revenue, cost: a.cost + b.cost, quantityMilli: a.quantityMilli + b.quantityMilli,
                    orders: a.orders + b.orders, lines: a.lines + b.lines)
    }

    public static func += (a: inout SalesTotals, b: SalesTotals) { a = a + b }
}

/// An inclusive range of calendar days (the `from` and `to` of every analysis).
public struct DateWindow: Hashable, Sendable, CustomStringConvertible {
    public let from: LocalDate
    public let through: LocalDate

    /// Refuses a window that ends before it starts, naming `to`.
    public init(from: LocalDate, through: LocalDate) throws(ValidationFailure) {
        guard from <= through else {
            throw ValidationFailure([.invalid(field: "to", reason: "\(through.iso) is before from (\(from.iso))")])
        }
        self.from = from; self.through = through
    }

    init(unchecked from: LocalDate, _ through: LocalDate) {
        self.from = from; self.through = through
    }

    /// The whole months `months` (YYYYMM).
    public init(months: ClosedRange<Int>) {
        from = LocalDate(unchecked: months.lowerBound / 100, months.lowerBound % 100, 1)
        through = Period(.month, containing: LocalDate(unchecked: months.upperBound / 100, months.upperBound % 100, 1)).end.adding(days: -1)
    }

    /// Every day of `period`.
    public init(_ period: Period) {
        from = period.start; through = period.end.adding(days: -1)
    }

    /// The days of `period` inside the window, if any.
    public func part(in period: Period) -> DateWindow? {
        let first = max(period.start, from), last = min(period.end.adding(days: -1), through)
        return first <= last ? DateWindow(unchecked: first, last) : nil
    }

    public var dayCount: Int { from.days(until: through) + 1 }

    /// The calendar months the window touches, in order (YYYYMM); the first and last may be partly outside it.
    public var months: [Int] {
        Period.covering(from: from, through: through, grain: .month).map { $0.start.year * 100 + $0.start.month }
    }

    /// The window as whole months (YYYYMM ranges) and the days of the months it covers only in part, so a reader can
    /// take whole months from monthly sums and only the edges day by day.
    public var split: (months: ClosedRange<Int>?, days: [DateWindow]) {
        let firstWhole = from.day == 1 ? from : Period(.month, containing: from).end
        let lastWhole = Period(.month, containing: through).end.adding(days: -1) == through
            ? through : Period(.month, containing: through).start.adding(days: -1)
        guard firstWhole < lastWhole else { return (nil, [self]) }
        var days: [DateWindow] = []
        if from < firstWhole { days.append(DateWindow(unchecked: from, firstWhole.adding(days: -1))) }
        if lastWhole < through { days.append(DateWindow(unchecked: lastWhole.adding(days: 1), through)) }
        return ((firstWhole.year * 100 + firstWhole.month)...(lastWhole.year * 100 + lastWhole.month), days)
    }

    public var description: String { "\(from.iso)..\(through.iso)" }
}
