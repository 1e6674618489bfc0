import Foundation
import HTTPTypes
import HummingbirdTesting
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// Issue 13's open redirects: the addresses Kvota follows back to after an action (`next` after signing in, `return`
/// after moving a deal or working a lead) are its own paths only, however the address is dressed up.
@Suite struct OpenRedirectTests {
    /// Ways a browser can be sent to another site by an address that starts like a path. A browser drops a tab or a
    /// line break inside an address, so `/<tab>/evil.example` is followed as `//evil.example`.
    static let elsewhere = ["//evil.example/", "/\\evil.example", "\\/evil.example", "https://evil.example/", "http:evil.example",
                            "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", " //evil.example", "javascript:alert(1)",
                            "/\u{0B}/evil.example", "/\u{2028}/evil.example"]

    @Test func onlyThisServersOwnPathsAreFollowed() {
        for address in Self.elsewhere { #expect(SiteURL.local(address) == nil, "\(address.debugDescription)") }
        for address in ["/", "/deals?status=open&sort=-amount", "/leads?status=new&order=score", "/accounts/12"] {
            #expect(SiteURL.local(address) == address)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func signingInNeverSendsAPersonToAnotherSite(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            for next in Self.elsewhere + ["/deals?status=open"] {
                let form = try await client.get("/sign-in?next=" + FormEncoding.escape(next))
                #expect(form.status == .ok)
                let token = try #require(form.cookie("kvota_sign_in")?.value)
                let posted = try await client.postForm("/sign-in", [("email", org.rep.email), ("password", WebFixture.password),
                                                                    ("_csrf", token), ("next", next)],
                                                       headers: [.cookie: "kvota_sign_in=\(token)"])
                #expect(posted.status == .seeOther)
                let expected = next.hasPrefix("/deals") ? next : "/"
                #expect(posted.headers[.location] == expected, "next=\(next.debugDescription) → \(posted.headers[.location] ?? "none")")
            }
        }
    }
}
