import Foundation

/// The grains Kvota reports and plans by. Weeks are ISO weeks starting on Monday.
public enum PeriodGrain: String, CaseIterable, Sendable, Codable {
    case day, week, month, quarter
    case halfYear = "half-year"
    case year

    var months: Int? {
        switch self {
        case .month: 1
        case .quarter: 3
        case .halfYear: 6
        case .year: 12
        case .day, .week: nil
        }
    }
}

/// A calendar period: half-open `[start, next.start)`, cut in the company's time zone (METRICS.md "Time and money").
/// Held as a grain and a start date, so the same period means the same days whatever the zone; `interval(in:)`
/// turns it into the UTC instants that bound it.
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let grain: PeriodGrain
    public let start: LocalDate

    /// The period of `grain` that contains `date`.
    public init(_ grain: PeriodGrain, containing date: LocalDate) {
        self.grain = grain
        switch grain {
        case .day:
            start = date
        case .week:
            start = date.adding(days: 1 - date.isoWeekday)
        case .month, .quarter, .halfYear, .year:
            let length = grain.months!
            let firstMonth = (date.month - 1) / length * length + 1
            start = LocalDate(unchecked: date.year, firstMonth, 1)
        }
    }

    /// The period of `grain` that starts on `start`, wherever that is: a fiscal year from April, a week from Sunday.
    /// Month-based grains are meant to start on a month's first day (`init(label:)` insists on it).
    public init(_ grain: PeriodGrain, from start: LocalDate) {
        self.grain = grain
        self.start = start
    }

    /// Whether the period lies on the calendar's boundaries (an ISO week, a calendar month, quarter, half-year or year)
    /// rather than starting elsewhere (`init(_:from:)`).
    public var isCalendar: Bool { Period(grain, containing: start).start == start }

    /// The first day after the period.
    public var end: LocalDate {
        switch grain {
        case .day: start.adding(days: 1)
        case .week: start.adding(days: 7)
        default: start.adding(months: grain.months!)
        }
    }

    public var next: Period { isCalendar ? Period(grain, containing: end) : Period(grain, from: end) }
    public var previous: Period {
        guard !isCalendar else { return Period(grain, containing: start.adding(days: -1)) }
        return Period(grain, from: grain.months.map { start.adding(months: -$0) } ?? start.adding(days: grain == .week ? -7 : -1))
    }

    /// The same period a year earlier (for YoY). For weeks: the ISO week with the same number, or the last one.
    public var yearEarlier: Period {
        // A period off the calendar: the one starting a year (52 weeks for a week) before.
        if !isCalendar { return Period(grain, from: grain == .week ? start.adding(days: -364) : start.adding(months: -12)) }
        if grain == .week {
            let (weekYear, week) = isoWeek
            let candidate = Period.isoWeek(year: weekYear - 1, week: week)
            return candidate.isoWeek.year == weekYear - 1 ? candidate : Period.isoWeek(year: weekYear - 1, week: week - 1)
        }
        return Period(grain, containing: start.adding(months: -12))
    }

    public var dayCount: Int { start.days(until: end) }

    public func contains(_ date: LocalDate) -> Bool { date >= start && date < end }

    /// The UTC instants `[start, end)` of this period in `timeZone`.
    public func interval(in timeZone: TimeZone) -> DateInterval {
        DateInterval(start: start.start(in: timeZone), end: end.start(in: timeZone))
    }

    /// The periods of `grain` that cover `[from, through]`, in order.
    public static func covering(from: LocalDate, through: LocalDate, grain: PeriodGrain) -> [Period] {
        guard from <= through else { return [] }
        var result: [Period] = []
        var period = Period(grain, containing: from)
        while period.start <= through {
            result.append(period)
            period = period.next
        }
        return result
    }

    // MARK: - ISO weeks

    /// ISO 8601 week-numbering year and week (the week belongs to the year that holds its Thursday).
    public var isoWeek: (year: Int, week: Int) {
        let thursday = Period(.week, containing: start).start.adding(days: 3)
        let firstOfYear = LocalDate(unchecked: thursday.year, 1, 1)
        return (thursday.year, firstOfYear.days(until: thursday) / 7 + 1)
    }

    public static func isoWeek(year: Int, week: Int) -> Period {
        let jan4 = LocalDate(unchecked: year, 1, 4)
        let week1 = Period(.week, containing: jan4).start
        return Period(.week, containing: week1.adding(days: (week - 1) * 7))
    }

    // MARK: - Labels

    /// A stable label: `2026-11-22`, `2026-W47`, `2026-11`, `2026-Q4`, `2026-H2`, `2026`.
    public var label: String {
        guard isCalendar else { return start.iso + "/" + Self.duration(grain) }
        let y = String(start.year)
        switch grain {
        case .day: return start.iso
        case .week:
            let (wy, w) = isoWeek
            return "\(wy)-W" + (w < 10 ? "0\(w)" : "\(w)")
        case .month: return y + "-" + (start.month < 10 ? "0\(start.month)" : "\(start.month)")
        case .quarter: return y + "-Q\((start.month - 1) / 3 + 1)"
        case .halfYear: return y + "-H\((start.month - 1) / 6 + 1)"
        case .year: return y
        }
    }

    public var description: String { label }

    /// ISO 8601's duration of one period of `grain` (the part after the slash of `2026-04-01/P1Y`).
    static func duration(_ grain: PeriodGrain) -> String {
        switch grain {
        case .day: "P1D"
        case .week: "P1W"
        case .month: "P1M"
        case .quarter: "P3M"
        case .halfYear: "P6M"
        case .year: "P1Y"
        }
    }

    /// Parses any label `label` produces.
    public init(label text: String, field: String = "period") throws(ValueError) {
        let bad = ValueError.invalid(
            field: field, reason: "expected YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM, YYYY-Www, YYYY-MM-DD or a start and length like 2026-04-01/P1Y, got '\(text)'")
        if let slash = text.firstIndex(of: "/") {
            // A period off the calendar: its first day and ISO 8601 length (P1W, P1M, P3M, P6M, P1Y).
            guard let start = try? LocalDate(iso: String(text[..<slash]), field: field),
                  let grain = PeriodGrain.allCases.first(where: { Self.duration($0) == text[text.index(after: slash)...] }), grain != .day else {
                throw bad
            }
            guard grain.months == nil || start.day == 1 else {
                throw .invalid(field: field, reason: "a period of months starts on a month's first day, got '\(text)'")
            }
            self.init(grain, from: start)
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, first.count == 4, let year = Int(first), year >= 1 else { throw bad }
        switch parts.count {
        case 1:
            self.init(.year, containing: LocalDate(unchecked: year, 1, 1))
        case 2:
            let p = parts[1]
            if p.hasPrefix("H"), let n = Int(p.dropFirst()), (1...2).contains(n) {
                self.init(.halfYear, containing: LocalDate(unchecked: year, (n - 1) * 6 + 1, 1))
            } else if p.hasPrefix("Q"), let n = Int(p.dropFirst()), (1...4).contains(n) {
                self.init(.quarter, containing: LocalDate(unchecked: year, (n - 1) * 3 + 1, 1))
            } else if p.hasPrefix("W"), let n = Int(p.dropFirst()), (1...53).contains(n) {
                let week = Period.isoWeek(year: year, week: n)
                guard week.isoWeek == (year, n) else { throw bad }
                self = week
            } else if p.count == 2, let m = Int(p), (1...12).contains(m) {
                self.init(.month, containing: LocalDate(unchecked: year, m, 1))
            } else {
                throw bad
            }
        case 3:
            do { self.init(.day, containing: try LocalDate(iso: text, field: field)) } catch { throw bad }
        default:
            throw bad
        }
    }

    public static func < (a: Period, b: Period) -> Bool {
        a.start != b.start ? a.start < b.start : a.end < b.end
    }
}
