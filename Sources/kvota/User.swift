import ArgumentParser
import Foundation
import KvotaCore
import KvotaStore
import KvotaWeb

/// `kvota user …`: the operator's way to manage people before (or without) the web UI.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list and disable users; set passwords.",
        subcommands: [Add.self, List.self, Disable.self, SetPassword.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user. Without --password-stdin a password is generated and printed once.")

        @Option(help: "Sign-in email (unique, any case).") var email: String
        @Option(help: "Full name.") var name: String
        @Option(help: "rep, order_desk, head, director, analyst or admin.") var role: Role
        @Option(help: "Team, by name or id.") var team: String?
        @Option(help: "Language of the user's pages: en, ru, uk or sv.") var language: Language = .en
        @Option(help: "Phone extension, for telephony.") var `extension`: String?
        @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of standard input.")
        var passwordStdin = false
        @OptionGroup var database: DatabaseOption
        @OptionGroup var log: LogOption

        func run() async throws {
            let logger = try log.bootstrap()
            let password = passwordStdin ? try readPassword() : Passwords.generate()
            let hash = try Passwords.hash(password)
            try await withDatabase(try database.url(), logger: logger) { db in
                try await Migrator.migrate(db, logger: logger)
                var teamID: Team.ID? = nil
                if let team { teamID = try await findTeam(team, in: db) }
                let user = try await db.addUser(
                    UserDraft(name: name, email: email, role: role, teamID: teamID, language: language,
                              phoneExtension: `extension`),
                    passwordHash: hash, by: nil, at: Date())
                print("added user \(user.id): \(user.email) (\(user.role.rawValue))")
                if !passwordStdin { print("password (shown once): \(password)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users: id, email, name, role, team, extension, active.")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var log: LogOption

        func run() async throws {
            let logger = try log.bootstrap()
            try await withDatabase(try database.url(), logger: logger) { db in
                let teams = Dictionary(uniqueKeysWithValues: try await db.teams().map { ($0.id, $0.name) })
                let rows = try await db.users().map { user in
                    [user.id.description, user.email, user.name, user.role.rawValue, user.teamID.flatMap { teams[$0] } ?? "-",
                     user.phoneExtension ?? "-", user.active ? "active" : "disabled"]
                }
                printTable([["id", "email", "name", "role", "team", "ext", "status"]] + rows)
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a user signing in; ends their sessions and revokes their tokens. Their records stay.")
        @Argument(help: "The user's email.") var email: String
        @OptionGroup var database: DatabaseOption
        @OptionGroup var log: LogOption

        func run() async throws {
            let logger = try log.bootstrap()
            try await withDatabase(try database.url(), logger: logger) { db in
                let user = try await db.setActive(email: email, false, by: nil, at: Date())
                print("disabled \(user.email)")
            }
        }
    }

    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password", abstract: "Set a user's password from the first line of standard input.")
        @Argument(help: "The user's email.") var email: String
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (required).")
        var passwordStdin = false
        @OptionGroup var database: DatabaseOption
        @OptionGroup var log: LogOption

        func validate() throws {
            // A password on the command line would end up in the shell history and the process list.
            guard passwordStdin else { throw ValidationError("--password-stdin is required") }
        }

        func run() async throws {
            let logger = try log.bootstrap()
            let hash = try Passwords.hash(try readPassword())
            try await withDatabase(try database.url(), logger: logger) { db in
                try await db.setPasswordHash(email: email, hash, by: nil, at: Date())
                print("password set for \(email)")
            }
        }
    }
}

private func readPassword() throws -> String {
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw CLIError("password: expected it on the first line of standard input")
    }
    return line
}

private func findTeam(_ text: String, in db: Database) async throws -> Team.ID {
    let teams = try await db.teams()
    if let id = Int64(text), let team = teams.first(where: { $0.id.rawValue == id }) { return team.id }
    let matches = teams.filter { $0.name.lowercased() == text.lowercased() }
    guard matches.count == 1 else {
        throw CLIError(matches.isEmpty ? "--team: no team '\(text)'" : "--team: several teams are called '\(text)'; use its id")
    }
    return matches[0].id
}

extension Role: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}
