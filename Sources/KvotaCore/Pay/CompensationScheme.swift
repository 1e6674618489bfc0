import Foundation

/// A version of a compensation scheme: the rules paid to a role, a team or one user from a day on. Versions are never
/// changed; a change is a new version with a later `effectiveFrom`, so an approved payout can always be explained by
/// the rules it was computed with.
public struct CompensationScheme: Hashable, Sendable {
    public typealias ID = Identifier<CompensationScheme>

    /// Whom the scheme pays. The most particular one in force on a day wins: a user's over their team's over their role's.
    public enum AppliesTo: Hashable, Sendable, CustomStringConvertible {
        case role(Role)
        case team(Team.ID)
        case user(User.ID)

        /// `role:rep`, `team:3` or `user:7`.
        public var description: String {
            switch self {
            case .role(let role): "role:\(role.rawValue)"
            case .team(let id): "team:\(id)"
            case .user(let id): "user:\(id)"
            }
        }

        public init(_ text: String, field: String = "appliesTo") throws(ValueError) {
            let bad = ValueError.invalid(field: field, reason: "expected role:ROLE, team:ID or user:ID, got '\(text)'")
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw bad }
            switch parts[0] {
            case "role":
                guard let role = Role(rawValue: parts[1]) else { throw bad }
                self = .role(role)
            case "team":
                guard let id = Int64(parts[1]), id > 0 else { throw bad }
                self = .team(Team.ID(id))
            case "user":
                guard let id = Int64(parts[1]), id > 0 else { throw bad }
                self = .user(User.ID(id))
            default: throw bad
            }
        }

        /// How particular: the higher wins.
        var rank: Int {
            switch self {
            case .role: 0
            case .team: 1
            case .user: 2
            }
        }
    }

    public var id: ID
    public var name: String
    public var appliesTo: AppliesTo
    public var effectiveFrom: LocalDate
    public var rules: PayRules
    public var createdAt: Date

    public init(id: ID, name: String, appliesTo: AppliesTo, effectiveFrom: LocalDate, rules: PayRules, createdAt: Date) {
        self.id = id; self.name = name; self.appliesTo = appliesTo; self.effectiveFrom = effectiveFrom; self.rules = rules
        self.createdAt = createdAt
    }

    /// The scheme in force for a user on a day, given the role and team they had that day.
    public static func inForce(_ schemes: [CompensationScheme], user: User.ID, role: Role, team: Team.ID?, on day: LocalDate) -> CompensationScheme? {
        schemes.filter { scheme in
            guard scheme.effectiveFrom <= day else { return false }
            switch scheme.appliesTo {
            case .role(let r): return r == role
            case .team(let t): return t == team
            case .user(let u): return u == user
            }
        }.max { a, b in
            (a.appliesTo.rank, a.effectiveFrom, a.id) < (b.appliesTo.rank, b.effectiveFrom, b.id)
        }
    }

    /// The schemes in force over `period`, as runs of days: one run per scheme change (or team or role change that
    /// brings another scheme). `where` gives the role and team of each day; days with no scheme are left out.
    public static func segments(_ schemes: [CompensationScheme], user: User.ID, period: Period,
                                where assignment: (LocalDate) -> (role: Role, team: Team.ID?)?) -> [(scheme: CompensationScheme, days: [LocalDate])] {
        var runs: [(scheme: CompensationScheme, days: [LocalDate])] = []
        var day = period.start
        while day < period.end {
            if let (role, team) = assignment(day), let scheme = inForce(schemes, user: user, role: role, team: team, on: day) {
                if let last = runs.last, last.scheme.id == scheme.id, last.days.last == day.adding(days: -1) {
                    runs[runs.count - 1].days.append(day)
                } else {
                    runs.append((scheme, [day]))
                }
            }
            day = day.adding(days: 1)
        }
        return runs
    }
}
