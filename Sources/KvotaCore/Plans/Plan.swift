import Foundation

/// A sales plan (issue 7): for one period and one subject, a target per measure and optional breakdown rows. A draft
/// changes freely; an approved plan is locked, and changing it needs a reason that the audit trail keeps with the
/// change (the version number counts the changes).
public struct Plan: Hashable, Sendable {
    public typealias ID = Identifier<Plan>

    public enum Status: String, CaseIterable, Sendable, Codable {
        case draft, approved
    }

    public var id: ID
    public var period: Period
    public var subject: PlanSubject
    public var status: Status
    /// The plan this one was split from (a team's share of the company's, a month of a quarter's).
    public var parentID: ID?
    public var note: String?
    /// In `PlanMeasure` order, one per measure.
    public var targets: [PlanTarget]
    public var rows: [PlanRow]
    public var createdAt: Date
    public var approvedAt: Date?
    public var approvedBy: User.ID?
    public var version: Int64

    public init(id: ID, period: Period, subject: PlanSubject, status: Status = .draft, parentID: ID? = nil, note: String? = nil,
                targets: [PlanTarget], rows: [PlanRow] = [], createdAt: Date, approvedAt: Date? = nil, approvedBy: User.ID? = nil,
                version: Int64 = 1) {
        self.id = id; self.period = period; self.subject = subject; self.status = status; self.parentID = parentID
        self.note = note; self.targets = targets; self.rows = rows; self.createdAt = createdAt; self.approvedAt = approvedAt
        self.approvedBy = approvedBy; self.version = version
    }

    public func target(_ measure: PlanMeasure) -> Int64? { targets.first { $0.measure == measure }?.target }
}

/// A plan's target for one measure: minor units of the base currency for money, thousandths for quantity, else a count.
public struct PlanTarget: Hashable, Sendable {
    public var measure: PlanMeasure
    public var target: Int64

    public init(_ measure: PlanMeasure, _ target: Int64) {
        self.measure = measure; self.target = target
    }
}

/// A target for a part of the plan's subject: one customer, region (with its sub-regions), product category (with its
/// sub-categories) or channel. Rows need not cover the whole target; they are what the head watches separately.
public struct PlanRow: Hashable, Sendable {
    public var dimension: PlanDimension
    /// The account, region, category or channel id.
    public var key: Int64
    public var measure: PlanMeasure
    public var target: Int64

    public init(_ dimension: PlanDimension, _ key: Int64, _ measure: PlanMeasure, _ target: Int64) {
        self.dimension = dimension; self.key = key; self.measure = measure; self.target = target
    }
}

/// What a new plan, or a changed one, says; `check` finds every problem at once, naming each field.
public struct PlanDraft: Hashable, Sendable {
    public var period: Period
    public var subject: PlanSubject
    public var targets: [PlanTarget]
    public var rows: [PlanRow]
    public var note: String?

    public static let maxRows = 1_000

    public init(period: Period, subject: PlanSubject, targets: [PlanTarget], rows: [PlanRow] = [], note: String? = nil) {
        self.period = period; self.subject = subject; self.targets = targets; self.rows = rows; self.note = note
    }

    /// Adds the draft's problems to `errors`, and returns it with targets in measure order and the note trimmed.
    public func checked(into errors: inout ValidationFailure.Collector) -> PlanDraft {
        errors.check(period.grain != .day, "period", "a plan is for a week, month, quarter, half-year or year, not a day")
        errors.check(!targets.isEmpty, "targets", "a plan needs at least one measure")
        var seen: Set<PlanMeasure> = []
        for (index, target) in targets.enumerated() {
            errors.check(seen.insert(target.measure).inserted, "targets[\(index)].measure", "\(target.measure.rawValue) is planned twice")
            errors.check(target.target >= 0, "targets[\(index)].target", "must be 0 or more")
        }
        errors.check(rows.count <= Self.maxRows, "rows", "at most \(Self.maxRows) rows")
        var rowKeys: Set<String> = []
        for (index, row) in rows.enumerated() {
            let field = "rows[\(index)]"
            errors.check(seen.contains(row.measure), field + ".measure", "\(row.measure.rawValue) has no target in this plan")
            errors.check(row.target >= 0, field + ".target", "must be 0 or more")
            errors.check(row.key > 0, field + ".key", "expected an id")
            if row.dimension == .category {
                errors.check(row.measure.splitsByProduct, field + ".dimension", "\(row.measure.rawValue) is not split by product category")
            } else {
                errors.check(row.measure.splitsByCustomer, field + ".dimension", "\(row.measure.rawValue) is not split by \(row.dimension.rawValue)")
            }
            errors.check(rowKeys.insert("\(row.dimension.rawValue):\(row.key):\(row.measure.rawValue)").inserted, field,
                         "\(row.dimension.rawValue) \(row.key) has two rows for \(row.measure.rawValue)")
        }
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        errors.check((note?.count ?? 0) <= 2_000, "note", "at most 2000 characters")
        let order = PlanMeasure.allCases
        return PlanDraft(period: period, subject: subject,
                         targets: targets.sorted { order.firstIndex(of: $0.measure)! < order.firstIndex(of: $1.measure)! },
                         rows: rows, note: note?.isEmpty == true ? nil : note)
    }
}
