import Foundation

/// What a KPI should be for everyone of a role, or for one user, from a day on (issue 8: "KPI targets per role or
/// user", read by the KPI part of pay and the rep card). Like scheme versions, a target is never changed: a change is
/// a later version. A user's own target wins over their role's.
public struct KPITarget: Hashable, Sendable {
    public typealias ID = Identifier<KPITarget>

    public enum AppliesTo: Hashable, Sendable, CustomStringConvertible {
        case role(Role)
        case user(User.ID)

        /// `role:rep` or `user:7`.
        public var description: String {
            switch self {
            case .role(let role): "role:\(role.rawValue)"
            case .user(let id): "user:\(id)"
            }
        }

        public init(_ text: String, field: String = "appliesTo") throws(ValueError) {
            let bad = ValueError.invalid(field: field, reason: "expected role:ROLE or user:ID, got '\(text)'")
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw bad }
            switch parts[0] {
            case "role":
                guard let role = Role(rawValue: parts[1]) else { throw bad }
                self = .role(role)
            case "user":
                guard let id = Int64(parts[1]), id > 0 else { throw bad }
                self = .user(User.ID(id))
            default: throw bad
            }
        }
    }

    public var id: ID
    public var kpi: KPI
    public var appliesTo: AppliesTo
    /// A month's worth for a flow KPI (`KPI.isFlow`: counts and amounts that add up over days); the level itself for
    /// the others (a rate, an average, a time, a state).
    public var target: Double
    public var effectiveFrom: LocalDate
    public var createdAt: Date

    public init(id: ID, kpi: KPI, appliesTo: AppliesTo, target: Double, effectiveFrom: LocalDate, createdAt: Date) {
        self.id = id; self.kpi = kpi; self.appliesTo = appliesTo; self.target = target; self.effectiveFrom = effectiveFrom
        self.createdAt = createdAt
    }

    /// The target over `window`: a flow's monthly target pro rata to the days of each month the window covers (a week
    /// of a 30-day month is 7/30 of it); a level as it is.
    public func target(over window: DateWindow) -> Double {
        guard kpi.isFlow else { return target }
        var total = 0.0
        var month = Period(.month, containing: window.from)
        while month.start <= window.through {
            if let part = window.part(in: month) {
                total += target * Double(part.from.days(until: part.through) + 1) / Double(month.dayCount)
            }
            month = Period(.month, containing: month.end)
        }
        return total
    }

    /// How far `actual` meets `target`: actual / target, or target / actual where less is better (0 of something bad
    /// against a target above 0 meets it fully, as `cap`). Nil without an actual, or with a target of 0 where more is
    /// better.
    public static func score(_ kpi: KPI, actual: Double?, target: Double, cap: Double = 10) -> Double? {
        guard let actual, target >= 0 else { return nil }
        if kpi.lowerIsBetter {
            if actual <= 0 { return cap }
            return min(target / actual, cap)
        }
        guard target > 0 else { return nil }
        return min(actual / target, cap)
    }

    /// The target in force for a user on `day`: their own, else their role's (the latest version from that day or
    /// before, each).
    public static func inForce(_ targets: [KPITarget], kpi: KPI, user: User.ID, role: Role, on day: LocalDate) -> KPITarget? {
        func latest(_ appliesTo: AppliesTo) -> KPITarget? {
            targets.filter { $0.kpi == kpi && $0.appliesTo == appliesTo && $0.effectiveFrom <= day }.max { $0.effectiveFrom < $1.effectiveFrom }
        }
        return latest(.user(user)) ?? latest(.role(role))
    }
}

extension KPI {
    /// Adds up over days: a month's target of it scales to a shorter or longer window.
    public var isFlow: Bool {
        [.callsOutbound, .callsInbound, .effectiveConversations, .missedCalls, .meetingsHeld, .tasksCompleted, .leadsNew, .qualifiedLeads,
         .leadsOverSLA, .dealsNew, .dealsWon, .dealsLost, .revenue, .margin, .orders, .customersNew].contains(self)
    }
}

extension KPITarget {
    /// A target's problems, named `target`: never below 0, a share at most 10 (1.0 = 100 %).
    public static func check(_ target: Double, of kpi: KPI?, into errors: inout ValidationFailure.Collector, field: String = "target") {
        errors.check(target.isFinite && target >= 0, field, "must be 0 or more")
        if kpi?.unit == .share { errors.check(target <= 10, field, "a share is a fraction from 0 to 10 (1.0 = 100 %)") }
    }
}
