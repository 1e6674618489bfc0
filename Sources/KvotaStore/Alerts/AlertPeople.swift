import KvotaCore

/// Who an alert goes to: the subject's owner and their head (the user's manager, else their team's head); the
/// directors for the company's and teams' matters; the heads for an unowned lead or call. Only active users; read once
/// per round of evaluation.
struct AlertPeople: Sendable {
    let users: [User.ID: User]
    let teams: [Team.ID: Team]
    let companyName: String

    static func load(_ database: Database) async throws -> AlertPeople {
        AlertPeople(users: Dictionary(uniqueKeysWithValues: try await database.users().map { ($0.id, $0) }),
                    teams: Dictionary(uniqueKeysWithValues: try await database.teams().map { ($0.id, $0) }),
                    companyName: try await database.companySettings().name)
    }

    func head(of user: User.ID) -> User.ID? {
        guard let person = users[user] else { return nil }
        return person.managerID ?? person.teamID.flatMap { teams[$0]?.headID }
    }

    /// The owner of a plan's alert (a user, a team's head, nobody for the company's) and the subject's name.
    func subject(_ subject: PlanSubject) -> (owner: User.ID?, name: String) {
        switch subject {
        case .company: (nil, companyName.isEmpty ? "Company" : companyName)
        case .team(let id): (teams[id]?.headID, teams[id]?.name ?? "team \(id)")
        case .user(let id): (id, users[id]?.name ?? "user \(id)")
        }
    }

    func recipients(owner: User.ID?, directors: Bool) -> [User.ID] {
        var chosen: Set<User.ID> = []
        if let owner {
            chosen.insert(owner)
            if let head = head(of: owner) { chosen.insert(head) }
        }
        if directors {
            chosen.formUnion(active(.director))
        } else if owner == nil {
            chosen.formUnion(active(.head))
        }
        chosen = chosen.filter { users[$0]?.active == true }
        // Someone must hear of it: the directors, else the admins.
        if chosen.isEmpty { chosen = active(.director) }
        if chosen.isEmpty { chosen = active(.admin) }
        return chosen.sorted { $0.rawValue < $1.rawValue }
    }

    private func active(_ role: Role) -> Set<User.ID> {
        Set(users.values.filter { $0.role == role && $0.active }.map(\.id))
    }
}

extension PlanSubject {
    var isCompanyOrTeam: Bool {
        if case .user = self { return false }
        return true
    }
}
