import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KvotaStore
import KvotaTestSupport
import Testing

/// Runs the built `kvota` executable the way an operator does.
@Suite(.serialized) struct CommandLineTests {
    /// The executable sits beside the test bundle in the build folder.
    static let executable: URL = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("kvota").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("kvota")
    }()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], in folder: URL? = nil,
                    input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "KVOTA_DATABASE_URL")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let folder { process.currentDirectoryURL = folder }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data((input ?? "").utf8))
        try stdin.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A port nothing listens on now, the kernel's pick for port 0: a random one was once the port of another test's
    /// server or PostgreSQL in CI.
    static func freePort() throws -> Int {
        let listener = try Listener()
        return listener.port
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kvota-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func badSettingsGiveOneClearLineAndAFailingExit() throws {
        let cases: [([String], [String: String], String)] = [
            (["migrate", "--database", "mysql://root@db/x"], [:],
             "kvota: --database: expected sqlite:PATH or postgres://user:password@host:port/database, got 'mysql://root@db/x'"),
            (["migrate"], ["KVOTA_DATABASE_URL": "postgres://kvota@127.0.0.1:9/kvota"], "kvota: cannot open the database postgres://kvota@127.0.0.1:9/kvota: "),
            (["demo", "--scale", "XL"], [:], "kvota: The value 'XL' is invalid for '--scale <scale>'"),
            (["serve", "--port", "http"], [:], "kvota: The value 'http' is invalid for '--port <port>'"),
            (["serve", "--log-level", "loud"], [:], "kvota: --log-level: expected one of trace, debug, info, notice, warning, error, critical, got 'loud'"),
            (["frobnicate"], [:], "kvota: Unexpected argument 'frobnicate'"),
            (["serve"], ["KVOTA_SECURE_COOKIES": "maybe"], "kvota: KVOTA_SECURE_COOKIES: expected true or false, got 'maybe'"),
            (["serve"], ["KVOTA_TRUST_PROXY": "2"], "kvota: KVOTA_TRUST_PROXY: expected true or false, got '2'"),
            (["serve", "--log-format", "xml"], [:], "kvota: --log-format: expected text or json, got 'xml'"),
            (["migrate"], ["KVOTA_LOG_FORMAT": "yaml"], "kvota: KVOTA_LOG_FORMAT: expected text or json, got 'yaml'"),
            (["serve"], ["KVOTA_METRICS_TOKEN": "short"], "kvota: KVOTA_METRICS_TOKEN: expected at least 16 characters without spaces"),
            (["serve"], ["KVOTA_LEASE_SECONDS": "1"], "kvota: KVOTA_LEASE_SECONDS: expected seconds from 3 to 3600, got '1'"),
        ]
        for (arguments, environment, expected) in cases {
            let result = try Self.run(arguments, environment: environment)
            #expect(result.status != 0, "\(arguments)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix(expected), "\(arguments): \(result.stderr)")
        }
    }

    @Test func migrateAndDemoWorkOnAFreshSQLiteFile() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = "sqlite:\(folder.path)/nested/kvota.sqlite"
        let migrated = try Self.run(["migrate", "--database", url])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        let applied = Migrations.all.map { "\($0.number) \($0.name)" }.joined(separator: ", ")
        #expect(migrated.stdout.contains("applied \(applied); schema version \(Migrations.latest)"))
        #expect(applied.hasPrefix("1 core schema, 2 people and sign-in, 3 record lists, 4 crm core, 5 crm details"))
        let again = try Self.run(["migrate", "--database", url])
        #expect(again.stdout.contains("up to date at schema version \(Migrations.latest)"))
        let json = try Self.run(["migrate", "--database", "sqlite:\(folder.path)/json.sqlite", "--log-format", "json"])
        let lines = json.stderr.split(separator: "\n")
        #expect(json.status == 0 && !lines.isEmpty, "\(json.stderr)")
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] as? String == "info" && object?["logger"] as? String == "kvota" && object?["time"] is String
                    && object?["message"] is String, "one JSON object a line: \(line)")
        }

        let demo = try Self.run(["demo", "--scale", "tiny", "--as-of", "2026-11-20", "--database", url, "--log-level", "warning"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("demo tiny into \(url):"))
        #expect(demo.stdout.contains("Sign in at /sign-in (or POST /api/v1/auth/token) with the password "))
        for role in ["rep", "order_desk", "head", "director", "analyst", "admin"] {
            #expect(demo.stdout.contains("\n  \(role) "), "a sign-in line for \(role)")
        }
        let refused = try Self.run(["demo", "--scale", "tiny", "--database", url])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("already holds data") && refused.stderr.contains("--replace"))
    }

    /// docs/backup.md: a backup of the demo company restores into a new file with every row, and neither command
    /// overwrites anything.
    @Test func aBackupRestoresIntoANewFile() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = "sqlite:\(folder.path)/kvota.sqlite", file = "\(folder.path)/kvota.backup"
        let demo = try Self.run(["demo", "--scale", "tiny", "--as-of", "2026-11-20", "--database", url, "--log-level", "warning"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let backup = try Self.run(["backup", "--out", file, "--database", url, "--log-level", "warning"])
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.hasPrefix("backed up to \(file): ") && backup.stdout.contains("integrity ok"), "\(backup.stdout)")
        let rows = try #require(backup.stdout.firstMatch(of: /tables, (\d+) rows/)?.1)
        let restored = try Self.run(["restore", file, "--database", "sqlite:\(folder.path)/restored.sqlite", "--log-level", "warning"])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains(" tables, \(rows) rows from \(file)"), "\(restored.stdout)")
        let again = try Self.run(["backup", "--out", file, "--database", url])
        #expect(again.status == 1 && again.stderr.contains("exists; a backup never overwrites a file"), "\(again.stderr)")
        let into = try Self.run(["restore", file, "--database", url])
        #expect(into.status == 1 && into.stderr.contains("a backup is restored only into a new database"), "\(into.stderr)")
    }

    /// docs/import.md's example file imports into the demo company, a dry run writes nothing, and a second import updates.
    @Test func theDocumentedAccountsFileImports() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = "sqlite:\(folder.path)/kvota.sqlite"
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/import/accounts.csv").path
        #expect(try Self.run(["demo", "--scale", "tiny", "--database", url, "--log-level", "warning"]).status == 0)
        let dry = try Self.run(["import", "accounts", example, "--dry-run", "--database", url, "--log-level", "warning"])
        #expect(dry.status == 0 && dry.stdout.contains("accounts: would create 2, would update 0, unchanged 0\ndry run: nothing written"), "\(dry.stderr)")
        let real = try Self.run(["import", "accounts", example, "--database", url, "--log-level", "warning"])
        #expect(real.stdout.contains("accounts: created 2, updated 0"), "\(real.stderr)")
        let again = try Self.run(["import", "accounts", example, "--database", url, "--log-level", "warning"])
        #expect(again.stdout.contains("accounts: created 0, updated 0, unchanged 2"), "the same file again changes nothing")

        let bad = folder.appendingPathComponent("bad.csv")
        try Data("name;region\nAcme;Atlantis\n".utf8).write(to: bad)
        let refused = try Self.run(["import", "accounts", bad.path, "--database", url, "--log-level", "warning"])
        #expect(refused.status == 1 && refused.stdout.contains("2    region  Atlantis  no region 'Atlantis'"), "\(refused.stdout)")
        #expect(refused.stdout.contains("1 problem; nothing was imported"))
        let unknown = try Self.run(["import", "accounts", bad.path, "--mapping", "/nonexistent.json", "--database", url])
        #expect(unknown.status == 1 && unknown.stderr.contains("cannot read /nonexistent.json"))
    }

    /// docs/import.md's 1C report (Windows-1251) imports with --format 1c, and says what it brought along.
    @Test func theDocumentedOneCReportImports() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = "sqlite:\(folder.path)/kvota.sqlite"
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/import/1c-sales.csv").path
        for (email, name, role) in [("admin@example.com", "Admin", "admin"), ("olena@example.com", "Петренко Олена", "rep"),
                                    ("sergey@example.com", "Иванов Сергей", "rep")] {
            #expect(try Self.run(["user", "add", "--email", email, "--name", name, "--role", role, "--database", url]).status == 0)
        }
        let report = try Self.run(["import", "orders", example, "--format", "1c", "--database", url, "--log-level", "warning"])
        #expect(report.status == 0, "\(report.stdout)\(report.stderr)")
        #expect(report.stdout == """
            accounts: created 3, updated 0, unchanged 0
            products: created 3, updated 0, unchanged 0
            orders: created 4, updated 0, unchanged 0
            skipped 5 rows of totals and group headings
            ignored columns: Валовая прибыль, Рентабельность, %

            """, "\(report.stdout)")
        let format = try Self.run(["import", "orders", example, "--format", "sap", "--database", url])
        #expect(format.status != 0 && format.stderr.contains("--format: expected kvota, 1c, hubspot, pipedrive, salesforce, asterisk-cdr"),
                "\(format.stderr)")
    }

    /// A real Asterisk session's Master.csv (Tests/Fixtures/asterisk) imports as five calls; again, it changes nothing.
    @Test func anAsteriskCDRFileImportsAsCalls() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = "sqlite:\(folder.path)/kvota.sqlite"
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/asterisk/Master.csv").path
        #expect(try Self.run(["user", "add", "--email", "admin@example.com", "--name", "Admin", "--role", "admin", "--database", url]).status == 0)
        let arguments = ["import", "calls", file, "--format", "asterisk-cdr", "--time-zone", "UTC", "--database", url, "--log-level", "warning"]
        let first = try Self.run(arguments)
        #expect(first.status == 0 && first.stdout.contains("calls: created 5, updated 0, unchanged 0"), "\(first.stdout)\(first.stderr)")
        #expect(try Self.run(arguments).stdout.contains("calls: created 0, updated 0, unchanged 5"))
        let zone = try Self.run(["import", "calls", file, "--format", "asterisk-cdr", "--time-zone", "Mars/Olympus", "--database", url])
        #expect(zone.status != 0 && zone.stderr.contains("no time zone 'Mars/Olympus'"))
    }

    @Test func usersAreAddedListedDisabledAndGivenPasswords() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = ["--database", "sqlite:\(folder.path)/kvota.sqlite", "--log-level", "warning"]

        let added = try Self.run(["user", "add", "--email", "Anna@Example.com", "--name", "Anna Berg", "--role", "rep",
                                  "--extension", "101"] + db)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.hasPrefix("added user 1: Anna@Example.com (rep)\npassword (shown once): "))
        let generated = added.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .newlines) } ?? ""
        #expect(generated.count == 16)

        let piped = try Self.run(["user", "add", "--email", "bo@example.com", "--name", "Bo Ek", "--role", "head",
                                  "--password-stdin"] + db, input: "correct horse battery\n")
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(!piped.stdout.contains("password"), "a password given on stdin is not echoed")

        let duplicate = try Self.run(["user", "add", "--email", "anna@example.com", "--name", " ", "--role", "rep",
                                      "--extension", "101"] + db)
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr == "kvota: name: must not be empty; email: 'anna@example.com' is already used by another user; extension: 101 is already someone else's extension\n")

        let badRole = try Self.run(["user", "add", "--email", "x@example.com", "--name", "X", "--role", "boss"] + db)
        #expect(badRole.status == 64)
        #expect(badRole.stderr == "kvota: The value 'boss' is invalid for '--role <role>'. Please provide one of the following: rep, order_desk, head, director, analyst, admin\n")

        #expect(try Self.run(["user", "disable", "ANNA@example.com"] + db).stdout == "disabled Anna@Example.com\n")
        let short = try Self.run(["user", "set-password", "bo@example.com", "--password-stdin"] + db, input: "short\n")
        #expect(short.status == 1)
        #expect(short.stderr == "kvota: password: must be at least 10 characters\n")
        #expect(try Self.run(["user", "set-password", "bo@example.com"] + db).status == 64)
        let set = try Self.run(["user", "set-password", "bo@example.com", "--password-stdin"] + db, input: "a much longer one\n")
        #expect(set.status == 0, "\(set.stderr)")

        let list = try Self.run(["user", "list"] + db)
        #expect(list.stdout == """
            id  email             name       role  team  ext  status
            1   Anna@Example.com  Anna Berg  rep   -     101  disabled
            2   bo@example.com    Bo Ek      head  -     -    active

            """)
    }

    @Test func serveOnAPortInUseSaysSoInOneLine() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let listener = try Listener()
        let result = try Self.run(["serve", "--port", String(listener.port), "--database", "sqlite:\(folder.path)/kvota.sqlite",
                                   "--log-level", "warning"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr == """
            kvota: 127.0.0.1:\(listener.port) is already in use (another Kvota or another server listens there); \
            choose another port with --port or KVOTA_PORT

            """, "\(result.stderr)")
    }

    @Test func serveAnswersHealthzAndStopsGracefullyOnSIGTERM() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["serve", "--port", String(port), "--database", "sqlite:\(folder.path)/kvota.sqlite", "--demo", "tiny"]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(["KVOTA_MAX_CONNECTIONS": "8"]) { $1 }
        // A file, not a pipe: a pipe nobody drains fills up and stalls the server's logging.
        let logURL = folder.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: logURL)
        defer { try? logHandle.close() }
        process.standardError = logHandle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var body: Data?
        let url = URL(string: "http://127.0.0.1:\(port)/healthz")!
        for _ in 0..<150 where body == nil && process.isRunning {
            try await Task.sleep(for: .milliseconds(200))
            if let (data, response) = try? await URLSession.shared.data(from: url),
               (response as? HTTPURLResponse)?.statusCode == 200 {
                body = data
            }
        }
        let startLog = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        let health = try #require(body.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }, "no /healthz answer; log:\n\(startLog)")
        #expect(health["status"] as? String == "ok")
        #expect(health["database"] as? String == "sqlite")
        #expect(health["schemaVersion"] as? Int == Migrations.latest)

        // The log tells the operator how to sign in to the demo; the admin account works over real HTTP.
        let password = try #require(startLog.firstMatch(of: /password=(\S+)/)?.1, "no demo password in the log:\n\(startLog)")
        let admin = try #require(startLog.firstMatch(of: /admin=(\S+@demo\.kvota\.test)/)?.1)
        var signIn = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/v1/auth/token")!)
        signIn.httpMethod = "POST"
        signIn.setValue("application/json", forHTTPHeaderField: "Content-Type")
        signIn.httpBody = try JSONSerialization.data(withJSONObject: ["email": String(admin), "password": String(password)])
        let (tokenData, tokenResponse) = try await URLSession.shared.data(for: signIn)
        #expect((tokenResponse as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: tokenData, as: UTF8.self))")

        // Past eight open connections (URLSession may keep some of its own) the next one is not served until one closes.
        var open: [RawConnection] = []
        var waiting: RawConnection?
        for _ in 0..<9 where waiting == nil {
            let connection = try RawConnection(port: port)
            try connection.send("GET /healthz HTTP/1.1\r\nHost: kvota\r\n\r\n")
            if connection.answer(within: 1)?.hasPrefix("HTTP/1.1 200") == true { open.append(connection) } else { waiting = connection }
        }
        let unserved = try #require(waiting, "nine connections were all served with KVOTA_MAX_CONNECTIONS=8")
        #expect(open.count >= 6, "\(open.count) connections were served before one had to wait")
        open[0].close()
        #expect(unserved.answer(within: 5)?.hasPrefix("HTTP/1.1 200") == true, "the waiting connection is served once one closes")

        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let log = try String(contentsOf: logURL, encoding: .utf8)
        #expect(log.contains("path=/healthz"))
        #expect(log.contains("status=200"))
        #expect(log.contains("request_id="))
    }
}
