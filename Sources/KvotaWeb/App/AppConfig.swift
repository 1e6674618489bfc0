import Hummingbird
import Foundation
import KvotaCore
import KvotaStore
import Logging

/// Everything the server is told at start, read once and checked at once (STYLE.md "Shape").
/// Flags override environment variables; every bad value fails with the name of the setting.
public struct AppConfig: Sendable {
    public var host: String
    public var port: Int
    public var database: DatabaseURL
    /// Run pending migrations before serving (on by default; `--no-migrate` turns it off).
    public var migrateOnStart: Bool
    /// Generate this demo company first when the database is empty.
    public var demo: DemoScale?
    public var demoSeed: UInt64
    public var logLevel: Logger.Level
    /// Marks the session cookie Secure; set it when Kvota is reached over HTTPS (directly or behind a proxy).
    public var secureCookies: Bool
    /// Takes the client address from the last `X-Forwarded-For` entry, for throttling and the audit trail. Only
    /// behind a reverse proxy that sets it: otherwise a client could claim any address.
    public var trustProxy: Bool
    public var signIn: SignInSettings
    /// How often the server evaluates the alert rules, in seconds (each rule also keeps its own cadence); 0 turns the
    /// schedule off (another server of the cluster may run it).
    public var alertsEverySeconds: Int
    /// How often the server looks whether the week's forecast snapshots are taken, in seconds; 0 turns it off
    /// (another server of the cluster may take them). Off unless configured (`fromEnvironment` makes it hourly), so an
    /// app built for a test takes none behind the test's back.
    public var snapshotsEverySeconds = 0
    /// How often the server rescores every open lead and deal, in seconds; 0 turns it off. Off unless configured
    /// (`fromEnvironment` makes it every 15 minutes), like the snapshots.
    public var scoreEverySeconds = 0
    /// How old the lead and deal scores' training may grow before a rescoring round trains them again, in seconds;
    /// 0 never trains on the server (`kvota train` still does). `fromEnvironment` makes it a day.
    public var trainEverySeconds = 0
    /// How people outside reach this server (`https://crm.example.com`), for links that leave it: survey links.
    /// Unset, a link is made from the address the request came to.
    public var publicURL: String?
    /// The PBX's manager interface to follow for calls (`KVOTA_AMI_URL`); nil: no live PBX connection.
    public var ami: AMIEndpoint?
    /// The company's default country for reading national phone numbers, set at the first start only
    /// (`KVOTA_DEFAULT_COUNTRY=SE`); afterwards it is a company setting.
    public var defaultCountry: String?
    /// Connections the server holds open at once (`KVOTA_MAX_CONNECTIONS`); more wait to be accepted.
    public var maxConnections = 1_000
    /// Seconds a connection may send and read nothing before the server closes it (`KVOTA_IDLE_SECONDS`): longer than
    /// nginx's 60-second keep-alive, so a proxy closes its idle connections first.
    public var idleSeconds = 75
    /// Seconds a request may take to arrive whole once its head has (`KVOTA_REQUEST_SECONDS`, `RequestReadDeadline`):
    /// long enough for a large import file over a slow line, short enough that slow senders cannot hold connections.
    public var requestSeconds = 300
    /// Requests one signed-in person may make a minute, pages and API together, with bursts of a sixth of it
    /// (`PersonRateLimiter`, `KVOTA_REQUESTS_PER_MINUTE`; 0 turns the limit off, as the benchmark does).
    public var requestsPerMinute = 12_000
    /// Posts to a web form one client address may make: 5 a minute and 30 an hour (tests narrow it).
    public var formPostRates = [RequestRate(limit: 5, window: 60), RequestRate(limit: 30, window: 3600)]
    /// The server's key for the secrets Kvota reads back (webhook signing secrets): `KVOTA_SECRET_KEY`, else the key
    /// file (`secretKeyFile`). Nil with no file either: a key for this process only, which a test app is content with.
    public var secrets: SecretBox?
    /// Where the key is kept when `KVOTA_SECRET_KEY` is not given (`KVOTA_SECRET_KEY_FILE`; `kvota serve` makes it
    /// `kvota.key` beside a SQLite file, else ./data/kvota.key). Made on first use, readable by its owner only.
    public var secretKeyFile: String?
    /// How often the server looks for webhook deliveries that are due, in seconds; 0 turns the round off (another
    /// server of the cluster posts them). Off unless configured (`fromEnvironment` makes it every second), like the
    /// snapshots: an app built for a test posts nothing behind the test's back.
    public var webhooksEverySeconds = 0
    /// How often the server looks for background imports that wait, in seconds; 0 turns the round off (another
    /// server of the cluster runs them). Off unless configured (`fromEnvironment` makes it every second).
    public var importsEverySeconds = 0
    /// How often the server looks for ended months of sales per customer to pack for the analyses, in seconds; 0
    /// turns it off. Off unless configured (`fromEnvironment` makes it every five minutes).
    public var packEverySeconds = 0
    /// How many analyses (analytics, forecasts, KPIs) run at once; the rest wait their turn (`AnalysisGate`). The
    /// processor count, at least 2 (`KVOTA_ANALYSES_AT_ONCE`).
    public var analysesAtOnce = max(2, ProcessInfo.processInfo.activeProcessorCount)
    /// The bearer token a Prometheus scraper brings to `GET /metrics` (`KVOTA_METRICS_TOKEN`, at least 16 characters);
    /// nil turns the endpoint off. Read from the environment only, so it is not in `ps` output.
    public var metricsToken: String?
    /// How long a job's lease lasts when its server stops renewing it (`JobLeaseKeeper`): the most a job that runs
    /// on one server at a time waits after its server died. Renewed every third of it (`KVOTA_LEASE_SECONDS`).
    public var leaseSeconds = 30
    /// Whether reads on PostgreSQL run as named prepared statements once seen twice (`KVOTA_POSTGRES_PREPARE`, on by
    /// default). Off for a connection pooler in transaction mode that cannot keep them (PgBouncer before 1.21, or
    /// without `max_prepared_statements`; docs/deployment.md).
    public var preparePostgresReads = true
    /// The clock, injected so tests can move time (session expiry, throttling windows).
    public var now: @Sendable () -> Date

    public init(host: String = "127.0.0.1", port: Int = 8080, database: DatabaseURL = .defaultSQLite,
                migrateOnStart: Bool = true, demo: DemoScale? = nil, demoSeed: UInt64 = 1, logLevel: Logger.Level = .info,
                secureCookies: Bool = false, trustProxy: Bool = false, signIn: SignInSettings = SignInSettings(),
                alertsEverySeconds: Int = 60, now: @escaping @Sendable () -> Date = { Date() }) {
        self.host = host; self.port = port; self.database = database; self.migrateOnStart = migrateOnStart
        self.demo = demo; self.demoSeed = demoSeed; self.logLevel = logLevel; self.secureCookies = secureCookies
        self.trustProxy = trustProxy; self.signIn = signIn; self.alertsEverySeconds = alertsEverySeconds; self.now = now
    }

    /// Reads `KVOTA_HOST`, `KVOTA_PORT`, `KVOTA_DATABASE_URL`, `KVOTA_LOG_LEVEL`, `KVOTA_SECURE_COOKIES`,
    /// `KVOTA_TRUST_PROXY`, `KVOTA_ALERTS_EVERY`, `KVOTA_SNAPSHOTS_EVERY`, `KVOTA_SCORE_EVERY`, `KVOTA_TRAIN_EVERY`,
    /// `KVOTA_PUBLIC_URL`, `KVOTA_AMI_URL`, `KVOTA_DEFAULT_COUNTRY`, `KVOTA_SECRET_KEY`, `KVOTA_SECRET_KEY_FILE`,
    /// `KVOTA_WEBHOOKS_EVERY`, `KVOTA_IMPORTS_EVERY`, `KVOTA_PACK_EVERY`, `KVOTA_ANALYSES_AT_ONCE`, `KVOTA_LEASE_SECONDS`,
    /// `KVOTA_MAX_CONNECTIONS`, `KVOTA_IDLE_SECONDS`, `KVOTA_REQUEST_SECONDS`, `KVOTA_REQUESTS_PER_MINUTE`,
    /// `KVOTA_POSTGRES_PREPARE` and `KVOTA_METRICS_TOKEN`.
    public static func fromEnvironment(_ environment: [String: String]) throws(StoreError) -> AppConfig {
        var config = AppConfig()
        config.snapshotsEverySeconds = 3600
        config.scoreEverySeconds = 900
        config.trainEverySeconds = 86_400
        config.webhooksEverySeconds = 1
        config.importsEverySeconds = 1
        config.packEverySeconds = 300
        if let host = environment["KVOTA_HOST"], !host.isEmpty { config.host = host }
        if let port = environment["KVOTA_PORT"], !port.isEmpty { config.port = try parsePort(port, setting: "KVOTA_PORT") }
        if let url = environment["KVOTA_DATABASE_URL"], !url.isEmpty {
            config.database = try DatabaseURL(url, setting: "KVOTA_DATABASE_URL")
        }
        if let level = environment["KVOTA_LOG_LEVEL"], !level.isEmpty {
            config.logLevel = try parseLogLevel(level, setting: "KVOTA_LOG_LEVEL")
        }
        if let secure = environment["KVOTA_SECURE_COOKIES"], !secure.isEmpty {
            config.secureCookies = try parseFlag(secure, setting: "KVOTA_SECURE_COOKIES")
        }
        if let trust = environment["KVOTA_TRUST_PROXY"], !trust.isEmpty {
            config.trustProxy = try parseFlag(trust, setting: "KVOTA_TRUST_PROXY")
        }
        let day = 86_400
        if let every = environment["KVOTA_ALERTS_EVERY"], !every.isEmpty {
            config.alertsEverySeconds = try parseSeconds(every, setting: "KVOTA_ALERTS_EVERY", upTo: day)
        }
        if let every = environment["KVOTA_SNAPSHOTS_EVERY"], !every.isEmpty {
            config.snapshotsEverySeconds = try parseSeconds(every, setting: "KVOTA_SNAPSHOTS_EVERY", upTo: day)
        }
        if let every = environment["KVOTA_SCORE_EVERY"], !every.isEmpty {
            config.scoreEverySeconds = try parseSeconds(every, setting: "KVOTA_SCORE_EVERY", upTo: day)
        }
        if let every = environment["KVOTA_TRAIN_EVERY"], !every.isEmpty {
            config.trainEverySeconds = try parseSeconds(every, setting: "KVOTA_TRAIN_EVERY", upTo: 30 * day)
        }
        if let url = environment["KVOTA_PUBLIC_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host?.isEmpty == false,
                  parsed.query == nil else {
                throw .badSetting(setting: "KVOTA_PUBLIC_URL", reason: "expected an http or https address like https://crm.example.com, got '\(url)'")
            }
            config.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        if let url = environment["KVOTA_AMI_URL"], !url.isEmpty { config.ami = try AMIEndpoint(url) }
        if let key = environment["KVOTA_SECRET_KEY"], !key.isEmpty {
            guard let bytes = Data(base64Encoded: key.trimmingCharacters(in: .whitespaces)) else {
                throw .badSetting(setting: "KVOTA_SECRET_KEY", reason: "expected 32 bytes in base64 (openssl rand -base64 32)")
            }
            config.secrets = try SecretBox(key: bytes)
        }
        if let file = environment["KVOTA_SECRET_KEY_FILE"], !file.isEmpty { config.secretKeyFile = file }
        if let every = environment["KVOTA_PACK_EVERY"], !every.isEmpty {
            config.packEverySeconds = try parseSeconds(every, setting: "KVOTA_PACK_EVERY", upTo: day)
        }
        if let every = environment["KVOTA_IMPORTS_EVERY"], !every.isEmpty {
            config.importsEverySeconds = try parseSeconds(every, setting: "KVOTA_IMPORTS_EVERY", upTo: 3600)
        }
        if let every = environment["KVOTA_WEBHOOKS_EVERY"], !every.isEmpty {
            config.webhooksEverySeconds = try parseSeconds(every, setting: "KVOTA_WEBHOOKS_EVERY", upTo: 3600)
        }
        if let count = environment["KVOTA_ANALYSES_AT_ONCE"], !count.isEmpty {
            config.analysesAtOnce = try parseNumber(count, setting: "KVOTA_ANALYSES_AT_ONCE", of: "a number of analyses", in: 1...256)
        }
        if let count = environment["KVOTA_MAX_CONNECTIONS"], !count.isEmpty {
            config.maxConnections = try parseNumber(count, setting: "KVOTA_MAX_CONNECTIONS", of: "a number of connections", in: 8...100_000)
        }
        if let idle = environment["KVOTA_IDLE_SECONDS"], !idle.isEmpty {
            config.idleSeconds = try parseNumber(idle, setting: "KVOTA_IDLE_SECONDS", of: "seconds", in: 1...3_600)
        }
        if let seconds = environment["KVOTA_REQUEST_SECONDS"], !seconds.isEmpty {
            config.requestSeconds = try parseNumber(seconds, setting: "KVOTA_REQUEST_SECONDS", of: "seconds", in: 1...3_600)
        }
        if let rate = environment["KVOTA_REQUESTS_PER_MINUTE"], !rate.isEmpty {
            guard let number = Int(rate), (0...1_000_000).contains(number), number == 0 || number >= 60 else {
                throw .badSetting(setting: "KVOTA_REQUESTS_PER_MINUTE",
                                  reason: "expected requests a minute from 60 to 1000000, or 0 for no limit; got '\(rate)'")
            }
            config.requestsPerMinute = number
        }
        if let prepare = environment["KVOTA_POSTGRES_PREPARE"], !prepare.isEmpty {
            config.preparePostgresReads = try parseFlag(prepare, setting: "KVOTA_POSTGRES_PREPARE")
        }
        if let lease = environment["KVOTA_LEASE_SECONDS"], !lease.isEmpty {
            config.leaseSeconds = try parseNumber(lease, setting: "KVOTA_LEASE_SECONDS", of: "seconds", in: 3...3_600)
        }
        if let token = environment["KVOTA_METRICS_TOKEN"], !token.isEmpty {
            guard token.count >= 16, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw .badSetting(setting: "KVOTA_METRICS_TOKEN", reason: "expected at least 16 characters without spaces (openssl rand -hex 16)")
            }
            config.metricsToken = token
        }
        if let country = environment["KVOTA_DEFAULT_COUNTRY"], !country.isEmpty {
            guard PhoneNumber.callingCodes[country.uppercased()] != nil else {
                throw .badSetting(setting: "KVOTA_DEFAULT_COUNTRY", reason: "expected a country code Kvota knows the phone numbers of, like SE, RU or UA; got '\(country)'")
            }
            config.defaultCountry = country.uppercased()
        }
        return config
    }

    public static func parseFlag(_ text: String, setting: String) throws(StoreError) -> Bool {
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw .badSetting(setting: setting, reason: "expected true or false, got '\(text)'")
        }
    }

    /// A period in seconds from 0 (off) to `limit`.
    public static func parseSeconds(_ text: String, setting: String, upTo limit: Int) throws(StoreError) -> Int {
        guard let seconds = Int(text), (0...limit).contains(seconds) else {
            throw .badSetting(setting: setting, reason: "expected seconds from 0 (off) to \(limit), got '\(text)'")
        }
        return seconds
    }

    /// A whole number within `range`, named in the error by what it counts ("seconds", "a number of connections").
    public static func parseNumber(_ text: String, setting: String, of what: String, in range: ClosedRange<Int>) throws(StoreError) -> Int {
        guard let number = Int(text), range.contains(number) else {
            throw .badSetting(setting: setting, reason: "expected \(what) from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return number
    }

    public static func parsePort(_ text: String, setting: String) throws(StoreError) -> Int {
        try parseNumber(text, setting: setting, of: "a port number", in: 1...65_535)
    }

    public static func parseLogLevel(_ text: String, setting: String) throws(StoreError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw .badSetting(setting: setting, reason: "expected one of \(names), got '\(text)'")
        }
        return level
    }
}

/// How long sign-ins last and how failed ones are throttled.
public struct SignInSettings: Sendable {
    /// A browser session ends after this long without a request…
    public var sessionIdle: TimeInterval = 12 * 3600
    /// …and in any case this long after signing in.
    public var sessionMaximum: TimeInterval = 7 * 24 * 3600
    /// Lifetime of a token from `POST /api/v1/auth/token`.
    public var accessTokenLifetime: TimeInterval = 24 * 3600
    public var throttle = SignInThrottle()

    public init() {}
}

extension AppConfig {
    /// Where people outside reach Kvota (survey links, web-form addresses): the configured public address, else the
    /// one this request came to.
    func publicBase(for request: Request) -> String {
        publicURL ?? ((secureCookies ? "https://" : "http://") + (request.head.authority ?? "\(host):\(port)"))
    }
}
