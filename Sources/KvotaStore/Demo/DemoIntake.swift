import Foundation
import KvotaCore
import SQLKit

/// The demo company's intake (issue 9): the website's contact form, and rules that deal new requests in turns to the
/// first new-business team and messenger requests to the second (when there is one). Every rep starts on shift.
enum DemoIntake {
    static func load(_ options: DemoOptions, into database: Database) async throws {
        var random = DemoRandom(seed: options.seed, stream: "intake")
        let key = (0..<3).map { _ in String(random.next(), radix: 36) }.joined().prefix(24)
        let now = options.asOf.start(in: options.timeZone).epochMilliseconds
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO web_forms (form_key, name, source, active, created_at) VALUES (\(bind: String(key)), 'Website: contact us', 'web_form', TRUE, \(bind: now))
                """).run()
            let teams = try await sql.raw("SELECT id FROM teams WHERE kind = 'acquisition' ORDER BY id").all().map { try $0.decode(column: "id", as: Int64.self) }
            guard let first = teams.first else { return }
            try await sql.raw("INSERT INTO assignment_rules (kind, position, team_id) VALUES ('any', 1, \(bind: first))").run()
            if teams.count > 1 {
                try await sql.raw("INSERT INTO assignment_rules (kind, position, source, team_id) VALUES ('source', 1, 'messenger', \(bind: teams[1]))").run()
            }
        }
    }
}
