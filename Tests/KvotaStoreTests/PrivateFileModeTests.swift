import Foundation
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// Issue 13: the SQLite file and its write-ahead log and shared memory are readable by the user Kvota runs as only.
/// SQLite only: PostgreSQL's files are its server's, which keeps its data folder 0700 itself.
@Suite struct PrivateFileModeTests {
    static func mode(_ file: String) throws -> Int16 {
        try #require((FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.int16Value)
    }

    /// A new SQLite database holding one note, its file's path, and how to remove it.
    static func databaseWithANote() async throws -> (Database, DatabaseURL, path: String, remove: @Sendable () async throws -> Void) {
        let (url, remove) = try await TestDatabase.make(.sqlite, migrated: false)
        guard case .sqlite(let path) = url else { preconditionFailure("a SQLite database has a path") }
        let database = try await Database.open(url)
        try await database.write { sql in
            try await sql.raw("CREATE TABLE secrets (note TEXT)").run()
            try await sql.raw("INSERT INTO secrets VALUES ('pay')").run()
        }
        return (database, url, path, remove)
    }

    @Test func aNewDatabaseIsReadableByItsOwnerOnly() async throws {
        let (database, _, path, remove) = try await Self.databaseWithANote()
        for file in [path, path + "-wal", path + "-shm"] {
            let mode = try Self.mode(file)
            #expect(mode == 0o600, "\(file): \(String(mode, radix: 8))")
        }
        await database.close()
        try await remove()
    }

    @Test func aFileOthersCouldReadIsMadePrivateAndKeepsItsData() async throws {
        let (first, url, path, remove) = try await Self.databaseWithANote()
        await first.close()
        // As a restore with cp under the usual umask leaves it.
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: Int16(0o644))], ofItemAtPath: file)
        }
        #expect(try Self.mode(path) == 0o644)
        let again = try await Database.open(url)
        #expect(try Self.mode(path) == 0o600)
        let notes = try await again.read { sql in try await sql.raw("SELECT note FROM secrets").all().map { try $0.decode(column: "note", as: String.self) } }
        #expect(notes == ["pay"])
        await again.close()
        try await remove()
    }
}
