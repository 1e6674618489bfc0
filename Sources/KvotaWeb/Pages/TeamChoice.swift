import Hummingbird
import KvotaCore
import KvotaStore

/// Which team a team page shows: the teams whose plans the reader may read (a head's own, any for directors,
/// analysts and admins; never the order desk), and of those the one asked for, else one the reader leads, else the
/// first. Nil when the reader may see no team; each page says so in its own words.
struct TeamChoice {
    let teams: [Team]
    let team: Team.ID

    /// `team` overrides the query's (a form that posts it).
    static func read(_ database: Database, _ request: Request, for actor: Actor, team given: Team.ID? = nil) async throws -> TeamChoice? {
        let reader = AccessPolicy.scope(actor, .read, .plan)
        let teams = try await database.teams().filter { $0.kind != .orderDesk && reader.allows(PlanSubject.team($0.id)) }
        guard let first = teams.first else { return nil }
        let asked = given ?? request.uri.queryParameters["team"].flatMap { Int64($0) }.map { Team.ID($0) }
        return TeamChoice(teams: teams, team: teams.first { $0.id == asked }?.id ?? teams.first { actor.ledTeams.contains($0.id) }?.id ?? first.id)
    }

    /// (id, name) for the page's team selector.
    var options: [(id: Team.ID, name: String)] { teams.map { ($0.id, $0.name) } }
}
