/// Who is asking: the signed-in user as access control sees them. Built once per request by the store (which
/// knows the team tree) and passed to every read and write.
public struct Actor: Hashable, Sendable {
    public let userID: User.ID
    public let role: Role
    public let teamID: Team.ID?
    /// For a head of sales: the active and former members of the teams they lead, themselves included. Records owned
    /// by these users are the head's to see and change.
    public let teamMembers: Set<User.ID>
    /// For a head of sales: the teams they lead (their plans are the head's to see).
    public let ledTeams: Set<Team.ID>

    public init(userID: User.ID, role: Role, teamID: Team.ID?, teamMembers: Set<User.ID> = [], ledTeams: Set<Team.ID> = []) {
        self.userID = userID
        self.role = role
        self.teamID = teamID
        self.teamMembers = role == .head ? teamMembers.union([userID]) : []
        self.ledTeams = role == .head ? ledTeams : []
    }
}
