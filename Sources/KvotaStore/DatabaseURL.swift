import Foundation

/// Where Kvota keeps its data, parsed from `KVOTA_DATABASE_URL` or `--database`.
public enum DatabaseURL: Hashable, Sendable, CustomStringConvertible {
    /// `sqlite:PATH`: an embedded SQLite file; its folder is created when missing.
    case sqlite(path: String)
    /// `postgres://user:password@host:port/database`
    case postgres(host: String, port: Int, user: String, password: String?, database: String)

    public static let defaultSQLite = DatabaseURL.sqlite(path: "./data/kvota.sqlite")

    /// - Parameter setting: the name the user knows the value by, for the error message.
    public init(_ text: String, setting: String = "KVOTA_DATABASE_URL") throws(StoreError) {
        func bad(_ reason: String) -> StoreError { .badSetting(setting: setting, reason: reason) }
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }  // also accept sqlite://PATH
            guard !path.isEmpty else { throw bad("sqlite: needs a file path, e.g. sqlite:./data/kvota.sqlite") }
            self = .sqlite(path: path)
            return
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
              let components = URLComponents(string: text) else {
            throw bad("expected sqlite:PATH or postgres://user:password@host:port/database, got '\(Self.redacted(text))'")
        }
        guard let host = components.host, !host.isEmpty else { throw bad("the PostgreSQL URL has no host") }
        guard let user = components.user, !user.isEmpty else { throw bad("the PostgreSQL URL has no user name") }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty, !database.contains("/") else {
            throw bad("the PostgreSQL URL must end with /DATABASE_NAME")
        }
        if let port = components.port, !(1...65_535).contains(port) { throw bad("port \(port) is out of range") }
        self = .postgres(host: host, port: components.port ?? 5432, user: user,
                         password: components.password?.removingPercentEncoding ?? components.password,
                         database: database)
    }

    public var engine: DatabaseEngine {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// The URL with the password hidden, for logs and messages.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let host, let port, let user, let password, let database):
            "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
        }
    }

    static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://"),
              let colon = text[scheme.upperBound..<at].firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}

public enum DatabaseEngine: String, Sendable, Codable {
    case sqlite, postgres
}
