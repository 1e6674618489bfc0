/// Whose plan it is: the whole company, one team, or one user.
public enum PlanSubject: Hashable, Sendable, CustomStringConvertible {
    case company
    case team(Team.ID)
    case user(User.ID)

    /// `company`, `team:ID` or `user:ID`, as the API writes it.
    public var description: String {
        switch self {
        case .company: "company"
        case .team(let id): "team:\(id)"
        case .user(let id): "user:\(id)"
        }
    }

    public var kind: String {
        switch self {
        case .company: "company"
        case .team: "team"
        case .user: "user"
        }
    }

    /// Parses what `description` writes.
    public init(_ text: String, field: String = "scope") throws(ValueError) {
        let bad = ValueError.invalid(field: field, reason: "expected company, team:ID or user:ID, got '\(text)'")
        if text == "company" { self = .company; return }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let id = Int64(parts[1]), id > 0 else { throw bad }
        switch parts[0] {
        case "team": self = .team(Team.ID(id))
        case "user": self = .user(User.ID(id))
        default: throw bad
        }
    }

    /// One level down: the company splits into teams, a team into its reps; a user's plan does not split further.
    public var childKind: String? {
        switch self {
        case .company: "team"
        case .team: "user"
        case .user: nil
        }
    }
}
