import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The settings area: company settings with their rules, users and teams, and who may open it.
@Suite struct AdminPagesTests {
    @Test(arguments: TestDatabase.engines)
    func anAdminKeepsTheCompanySettingsAndTheBaseCurrencyHoldsOnceThereAreOrders(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.admin)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let index = try await client.get("/admin", headers: cookie)
            #expect(index.status == .ok && index.text.contains(#"href="/admin/settings""#) && index.text.contains(#"href="/admin/users""#))
            #expect(try await client.get("/admin/settings", headers: cookie).status == .ok)

            let bad = try await client.postForm("/admin/settings", [("_csrf", csrf), ("name", "Nordvind"), ("baseCurrency", "SEK"),
                                                                    ("timeZone", "Mars/Olympus"), ("defaultCountry", "SE")], headers: cookie)
            #expect(bad.status == .unprocessableContent && bad.text.contains(#"id="timeZone-error""#))
            #expect(try await org.database.companySettings().baseCurrency != .SEK, "nothing of a refused form is saved")
            let good = try await client.postForm("/admin/settings", [("_csrf", csrf), ("name", "Nordvind"), ("baseCurrency", "sek"),
                                                                     ("timeZone", "Europe/Helsinki"), ("defaultCountry", "FI")], headers: cookie)
            #expect(good.status == .seeOther)
            let settings = try await org.database.companySettings()
            #expect(settings.name == "Nordvind" && settings.baseCurrency == .SEK && settings.timeZone.identifier == "Europe/Helsinki"
                && settings.defaultCountry == "FI")
            let audit = try await org.database.auditEntries(AuditQuery(entity: "settings"))
            #expect(audit.first?.changes.map(\.field).sorted() == ["base_currency", "default_country", "name", "time_zone"])

            let records = try await TestRecords.make(org.database)
            _ = try await records.order(account: try await records.account(owner: org.rep.id), owner: org.rep.id)
            let admin = try await client.token(for: org.admin)
            let fixed = try await client.send(.patch, "/api/v1/settings", json: ["baseCurrency": "EUR"], token: admin)
            #expect(fixed.status == .unprocessableContent)
            #expect(try fixed.problem().errors?.map(\.field) == ["baseCurrency"])
            let renamed = try await client.send(.patch, "/api/v1/settings", json: ["name": "Nordvind AB"], token: admin)
            #expect(renamed.status == .ok)
            struct Named: Decodable { let name: String }
            #expect(try renamed.json(Named.self).name == "Nordvind AB")

            let rep = try await client.token(for: org.rep)
            #expect(try await client.get("/api/v1/settings", token: rep).status == .forbidden)
            let (repSession, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let repCookie: HTTPFields = [.cookie: "kvota_session=\(repSession)"]
            #expect(try await client.get("/admin", headers: repCookie).status == .forbidden)
            #expect(try await client.get("/admin/settings", headers: repCookie).status == .forbidden)
            #expect(!(try await client.get("/", headers: repCookie).text.contains(#"href="/admin""#)), "no settings in a rep's menu")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func anAdminAddsAUserWhoSignsInAndSwitchesThemOff(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.admin)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let list = try await client.get("/admin/users", headers: cookie)
            #expect(list.text.contains("Rita") && list.text.contains(#"href="/admin/users/new""#))

            let bad = try await client.postForm("/admin/users", [("_csrf", csrf), ("name", "Petra"), ("email", "not-an-address"), ("role", "rep"),
                                                                 ("team", ""), ("language", "sv"), ("extension", "")], headers: cookie)
            #expect(bad.status == .unprocessableContent && bad.text.contains(#"id="email-error""#) && bad.text.contains(#"value="Petra""#))
            let created = try await client.postForm("/admin/users", [("_csrf", csrf), ("name", "Petra"), ("email", "petra@example.com"),
                                                                     ("role", "rep"), ("team", String(org.rep.teamID!.rawValue)),
                                                                     ("language", "sv"), ("extension", "214")], headers: cookie)
            #expect(created.status == .created)
            let password = try #require(created.text.firstMatch(of: /shown only now: ([^<]+)</)?.1)
            let signIn = try await client.post("/api/v1/auth/token", json: ["email": "petra@example.com", "password": String(password)])
            #expect(signIn.status == .ok, "the password shown once works")

            let petra = try #require(try await org.database.user(email: "petra@example.com"))
            #expect(petra.teamID == org.rep.teamID && petra.language == .sv && petra.phoneExtension == "214")
            let off = try await client.postForm("/admin/users/\(petra.id.rawValue)", [("_csrf", csrf), ("name", "Petra Ek"), ("role", "rep"),
                                                                                      ("team", ""), ("language", "sv"), ("extension", "214"),
                                                                                      ("version", String(petra.version))], headers: cookie)
            #expect(off.status == .seeOther)
            let after = try #require(try await org.database.user(id: petra.id))
            #expect(after.name == "Petra Ek" && !after.active && after.teamID == nil, "an unticked box switches the user off")

            let (headSession, _) = try await BrowserSignInTests.signIn(client, as: org.head)
            #expect(try await client.get("/admin/users", headers: [.cookie: "kvota_session=\(headSession)"]).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func anAdminAddsATeamAndNamesItsHead(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.admin)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let empty = try await client.postForm("/admin/teams", [("_csrf", csrf), ("name", ""), ("kind", "retention"), ("head", "")],
                                                  headers: cookie)
            #expect(empty.status == .unprocessableContent && empty.text.contains(#"id="name-error""#))
            let added = try await client.postForm("/admin/teams", [("_csrf", csrf), ("name", "Key accounts East"), ("kind", "retention"),
                                                                   ("head", "")], headers: cookie)
            #expect(added.status == .seeOther)
            let team = try #require(try await org.database.teams().first { $0.name == "Key accounts East" })
            let page = try await client.get("/admin/teams/\(team.id.rawValue)", headers: cookie)
            #expect(page.status == .ok && page.text.contains(#"<option value="\#(org.head.id.rawValue)">Hanna</option>"#))
            let headed = try await client.postForm("/admin/teams/\(team.id.rawValue)", [("_csrf", csrf), ("name", "Key accounts East"),
                                                                                        ("kind", "retention"), ("head", String(org.head.id.rawValue)),
                                                                                        ("version", String(team.version))], headers: cookie)
            #expect(headed.status == .seeOther)
            #expect(try await org.database.team(id: team.id)?.headID == org.head.id)
        }
    }
}
