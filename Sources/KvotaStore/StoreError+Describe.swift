import PostgresNIO
import SQLiteNIO

extension StoreError {
    /// The operator-facing text of a database driver's error, or nil for any other error. PostgreSQL's errors hide
    /// their message from `description` on purpose (it may hold data); the server's message and detail are what the
    /// person running Kvota needs, and they only reach a log or the terminal.
    public static func databaseMessage(_ error: any Error) -> String? {
        switch error {
        case let error as PSQLError:
            if let message = error.serverInfo?[.message] {
                let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
                return message + detail
            }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        case let error as SQLiteError:
            return error.message
        default:
            return nil
        }
    }

    /// `databaseMessage`, or the error's own description.
    static func describe(_ error: any Error) -> String {
        databaseMessage(error) ?? "\(error)"
    }
}
