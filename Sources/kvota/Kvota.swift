import ArgumentParser
import Foundation
import KvotaCore
import KvotaStore

/// `kvota`: the server and its operator commands.
struct Kvota: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kvota",
        abstract: "Kvota: the sales department's CRM, plans, KPIs and analytics in one server.",
        subcommands: [Serve.self, Migrate.self, Demo.self, UserCommand.self, ImportCommand.self, Verify.self, Backup.self, Restore.self,
                      Train.self, Bench.self])
}

/// Parses and runs, and turns every failure into one line on stderr and a non-zero exit: an operator reads the
/// reason, not a stack trace.
@main
enum Main {
    static func main() async {
        do {
            var command = try Kvota.parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let code = Kvota.exitCode(for: error)
            if code == .success { Kvota.exit(withError: error) }  // --help, --version
            let message: String
            switch error {
            case let error as StoreError: message = error.description
            case let error as CLIError: message = error.description
            case let error as ValidationFailure: message = error.description
            case is ExitCode, is CleanExit: Kvota.exit(withError: error)
            default:
                if let text = StoreError.databaseMessage(error) {
                    message = text
                    break
                }
                // One line: a list of allowed values that the parser puts on lines of its own joins the first.
                let lines = Kvota.message(for: error).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                var first = lines.first ?? "\(error)"
                let choices = lines.dropFirst().prefix { $0.hasPrefix("- ") }.map { $0.dropFirst(2) }
                if !choices.isEmpty { first += " " + choices.joined(separator: ", ") }
                message = first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first
            }
            FileHandle.standardError.write(Data("kvota: \(message)\n".utf8))
            exit(code == .validationFailure ? 64 : 1)
        }
    }
}

/// A command-line mistake with a message for the person who typed it.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
