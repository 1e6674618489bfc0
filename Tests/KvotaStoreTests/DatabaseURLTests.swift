import Testing
@testable import KvotaStore

@Suite struct DatabaseURLTests {
    @Test func parsesBothEngines() throws {
        #expect(try DatabaseURL("sqlite:./data/kvota.sqlite") == .sqlite(path: "./data/kvota.sqlite"))
        #expect(try DatabaseURL("sqlite:///var/lib/kvota.sqlite") == .sqlite(path: "/var/lib/kvota.sqlite"))
        #expect(try DatabaseURL("postgres://kvota:s%40cret@db.internal:6432/sales")
                == .postgres(host: "db.internal", port: 6432, user: "kvota", password: "s@cret", database: "sales"))
        #expect(try DatabaseURL("postgresql://kvota@127.0.0.1/sales")
                == .postgres(host: "127.0.0.1", port: 5432, user: "kvota", password: nil, database: "sales"))
    }

    @Test func badURLsNameTheSettingAndHideThePassword() {
        #expect(throws: StoreError.badSetting(setting: "--database",
                                              reason: "expected sqlite:PATH or postgres://user:password@host:port/database, got 'mysql://root:***@db/x'")) {
            try DatabaseURL("mysql://root:hunter2@db/x", setting: "--database")
        }
        #expect(throws: StoreError.badSetting(setting: "KVOTA_DATABASE_URL", reason: "the PostgreSQL URL must end with /DATABASE_NAME")) {
            try DatabaseURL("postgres://kvota@localhost:5432")
        }
        #expect(throws: StoreError.badSetting(setting: "KVOTA_DATABASE_URL", reason: "the PostgreSQL URL has no user name")) {
            try DatabaseURL("postgres://localhost/kvota")
        }
        #expect(throws: StoreError.self) { try DatabaseURL("sqlite:") }
    }

    @Test func descriptionNeverShowsThePassword() throws {
        let url = try DatabaseURL("postgres://kvota:hunter2@127.0.0.1:5432/sales")
        #expect(url.description == "postgres://kvota:***@127.0.0.1:5432/sales")
        #expect(!url.description.contains("hunter2"))
    }
}
