import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The frame every page shares: its language (chosen on the sign-in page, kept in the profile, else the browser's),
/// the menu, flash messages, the stylesheet and script served by the app, and error pages without internal text.
@Suite struct WebFrameTests {
    @Test(arguments: TestDatabase.engines)
    func theSignInPageSpeaksTheBrowsersLanguageUntilOneIsChosen(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, _ in
            let russian = try await client.get("/sign-in", headers: [.acceptLanguage: "ru-RU,ru;q=0.9,en;q=0.5"])
            #expect(russian.text.contains(#"<html lang="ru">"#))
            #expect(russian.text.contains("Вход") && russian.text.contains("Войти"))

            let chosen = try await client.get("/sign-in?lang=sv&next=/profile", headers: [.acceptLanguage: "ru"])
            #expect(chosen.text.contains(#"<html lang="sv">"#) && chosen.text.contains("Logga in"))
            #expect(chosen.text.contains(#"name="next" value="/profile""#), "the way back survives the switch")
            let remembered = try #require(chosen.cookie("kvota_lang"))
            #expect(remembered.value == "sv")

            let again = try await client.get("/sign-in", headers: [.acceptLanguage: "ru", .cookie: "kvota_lang=sv"])
            #expect(again.text.contains(#"<html lang="sv">"#), "a choice outweighs the browser")
            let unknown = try await client.get("/sign-in?lang=xx", headers: [.acceptLanguage: "uk"])
            #expect(unknown.text.contains(#"<html lang="uk">"#) && unknown.cookie("kvota_lang") == nil)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aLanguageChosenOnTheSignInPageBecomesTheProfilesLanguage(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let form = try await client.get("/sign-in?lang=uk")
            let token = try #require(form.cookie("kvota_sign_in")?.value)
            let posted = try await client.postForm("/sign-in", [("email", org.rep.email), ("password", WebFixture.password), ("_csrf", token)],
                                                   headers: [.cookie: "kvota_sign_in=\(token); kvota_lang=uk"])
            let session = try #require(posted.cookie("kvota_session")).value
            let home = try await client.get("/", headers: [.cookie: "kvota_session=\(session)"])
            #expect(home.text.contains(#"<html lang="uk">"#) && home.text.contains("Мій день"))
            #expect(try await org.database.user(id: org.rep.id)?.language == .uk)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theProfileChangesTheLanguageAndTheFlashIsShownOnce(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.head)
            let saved = try await client.postForm("/profile/language", [("_csrf", csrf), ("language", "ru")],
                                                  headers: [.cookie: "kvota_session=\(session)"])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/profile")
            let flash = try #require(saved.cookie("kvota_flash"))
            #expect(saved.cookie("kvota_lang")?.value == "ru", "signing in next time is in Russian too")

            let profile = try await client.get("/profile", headers: [.cookie: "kvota_session=\(session); kvota_flash=\(flash.value)"])
            #expect(profile.text.contains(#"<html lang="ru">"#))
            #expect(profile.text.contains("Язык сохранён."))
            #expect(profile.text.contains("Руководитель отдела продаж"), "the role in the sales team's own words")
            #expect(profile.cookie("kvota_flash")?.header.contains("Max-Age=0") == true, "shown once, then spent")
            #expect(try await org.database.user(id: org.head.id)?.language == .ru)

            let refused = try await client.postForm("/profile/language", [("_csrf", csrf), ("language", "de")],
                                                    headers: [.cookie: "kvota_session=\(session)"])
            #expect(refused.status == .unprocessableContent && refused.text.contains("язык: ожидается одно из en, ru, uk, sv"))
            let forged = try await client.postForm("/profile/language", [("_csrf", "not-the-token"), ("language", "sv")],
                                                   headers: [.cookie: "kvota_session=\(session)"])
            #expect(forged.status == .forbidden)
            #expect(try await org.database.user(id: org.head.id)?.language == .ru, "nothing changed by a forged form")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theMenuAndHeaderShowWhoIsSignedIn(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let home = try await client.get("/", headers: [.cookie: "kvota_session=\(session)"])
            #expect(home.text.contains(#"<nav class="main" aria-label="Main menu">"#))
            #expect(home.text.contains(#"aria-current="page">My day</a>"#))
            #expect(home.text.contains("Sales rep"))
            #expect(home.text.contains(#"action="/sign-out""#))
            #expect(home.text.contains("/static/kvota.css?v=") && home.text.contains("/static/kvota.js?v="))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func signingOutLeavesAMessageInTheUsersLanguage(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            _ = try await org.database.updateUser(org.rep.id, UserPatch(language: .sv), expectedVersion: nil, by: nil, at: Date())
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let out = try await client.postForm("/sign-out", [("_csrf", csrf)], headers: [.cookie: "kvota_session=\(session)"])
            #expect(out.headers[.location] == "/sign-in?lang=sv")
            let flash = try #require(out.cookie("kvota_flash"))
            let page = try await client.get("/sign-in?lang=sv", headers: [.cookie: "kvota_flash=\(flash.value)"])
            #expect(page.text.contains("Du är utloggad."))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theStylesheetAndScriptAreServedByTheAppAndCachedByVersion(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, _ in
            let page = try await client.get("/sign-in")
            let link = try #require(page.text.firstMatch(of: #/href="(/static/kvota\.css\?v=[0-9a-f]+)"/#)?.1)
            let css = try await client.get(String(link))
            #expect(css.status == .ok && css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(css.text.contains("nav.main"))
            let etag = try #require(css.headers[.eTag])
            let unchanged = try await client.get("/static/kvota.css", headers: [.ifNoneMatch: etag])
            #expect(unchanged.status == .notModified)
            let script = try await client.get("/static/kvota.js")
            #expect(script.status == .ok && script.headers[.cacheControl] == "no-cache", "no version, so no long cache")
            #expect(try await client.get("/static/../Package.swift").status == .notFound)
            #expect(try await client.get("/static/other.css").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func errorPagesAreInTheReadersLanguageWithoutInternalText(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let missing = try await client.get("/no-such-page", headers: [.acceptLanguage: "sv"])
            #expect(missing.status == .notFound)
            #expect(missing.text.contains(#"<html lang="sv">"#) && missing.text.contains("Fel 404"))
            #expect(missing.headers[.contentType] == "text/html; charset=utf-8")

            _ = try await org.database.updateUser(org.rep.id, UserPatch(language: .ru), expectedVersion: nil, by: nil, at: Date())
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let bad = try await client.postForm("/profile/language", [("_csrf", csrf), ("language", "")],
                                                headers: [.cookie: "kvota_session=\(session)"])
            #expect(bad.status == .unprocessableContent && bad.text.contains("Ошибка 422"))
            #expect(bad.text.contains("Номер запроса:"))
        }
    }
}
