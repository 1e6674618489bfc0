import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import KvotaWeb
import KvotaStore
import KvotaTestSupport
import Testing

/// Issue 13's browser defences: every answer carries a Content-Security-Policy that runs no inline script and lets no
/// other site frame Kvota, with the older headers beside it; and no page Kvota renders has an inline script or an
/// inline event handler the policy would block (docs/security.md, "In the browser").
@Suite struct SecurityHeadersTests {
    @Test(arguments: TestDatabase.engines)
    func everyAnswerCarriesTheBrowsersDefences(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let token = try await client.token(for: org.rep)
            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.head)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let answers: [(String, TestResponse)] = [
                ("the sign-in page", try await client.get("/sign-in")),
                ("a page", try await client.get("/", headers: cookie)),
                ("a page for someone signed out", try await client.get("/deals")),
                ("an API list", try await client.get("/api/v1/deals", token: token)),
                ("an API problem", try await client.get("/api/v1/deals/987654", token: token)),
                ("an address that does not exist", try await client.get("/no-such-page", headers: cookie)),
                ("the script", try await client.get(StaticAssets.path("kvota.js"))),
                ("the OpenAPI document", try await client.get("/api/v1/openapi.json")),
            ]
            for (what, answer) in answers {
                let policy = answer.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
                let directives = Dictionary(policy.split(separator: ";").map { part in
                    let words = part.split(separator: " ").map(String.init)
                    return (words.first ?? "", Set(words.dropFirst()))
                }, uniquingKeysWith: { first, _ in first })
                #expect(directives["script-src"] == ["'self'"], "\(what) (\(answer.status.code)): \(policy)")
                #expect(directives["frame-ancestors"] == ["'none'"] && directives["object-src"] == ["'none'"], "\(what): \(policy)")
                #expect(directives["default-src"] == ["'self'"] && directives["form-action"] == ["'self'"], "\(what): \(policy)")
                #expect(answer.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(what)")
                #expect(answer.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(what)")
                #expect(answer.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin", "\(what)")
            }
            #expect(answers.map(\.1.status.code) == [200, 200, 303, 200, 404, 404, 200, 200], "each answer is what it says it is")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func noPageHasAScriptThePolicyWouldBlock(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            var visited: Set<String> = []
            for user in [org.head, org.director, org.admin, org.rep] {
                let (session, _) = try await BrowserSignInTests.signIn(client, as: user)
                // Every page the menus lead to, and the pages those link to, three links deep.
                var frontier = ["/"], seen: Set<String> = ["/"]
                for _ in 0..<3 {
                    var next: [String] = []
                    for path in frontier {
                        let page = try await client.get(path, headers: [.cookie: "kvota_session=\(session)"])
                        guard page.status == .ok, page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                        visited.insert(path)
                        let html = page.text, inline = Self.inlineScripts(in: html)
                        #expect(inline.isEmpty, "\(path) as \(user.role): \(inline)")
                        for link in Self.links(in: html) where seen.insert(link).inserted { next.append(link) }
                    }
                    frontier = next
                }
            }
            // The walk must reach the pages that once had an inline handler (the print buttons), or it proves little.
            #expect(visited.count > 40, "\(visited.count) pages: \(visited.sorted())")
            #expect(["/team/daily", "/team/weekly", "/plans/board"].allSatisfy { page in visited.contains { $0.hasPrefix(page) } },
                    "\(visited.sorted())")
        }
    }

    /// Script elements without a source, event handler attributes, and `javascript:` addresses.
    static func inlineScripts(in html: String) -> [String] {
        let patterns = [#"<script(?![^>]*\ssrc=)[^>]*>"#, #"<[^>]*\son[a-z]+\s*=[^>]*>"#, #"(?i)(href|src|action)\s*=\s*"\s*javascript:"#]
        return patterns.flatMap { pattern in
            html.ranges(of: try! Regex(pattern)).map { String(html[$0].prefix(120)) }
        }
    }

    /// Kvota's own pages a link leads to: not the API, files, exports or signing out.
    static func links(in html: String) -> [String] {
        html.matches(of: #/href="(/[^"#]*)"/#).map { String($0.output.1).htmlUnescaped }.filter { link in
            !["/api/", "/static/", "/sign-out", "format=", "/export", ".ics", "/download"].contains { link.contains($0) }
        }
    }
}

extension String {
    /// An attribute's text as the browser reads it: the references `AttributeEscaping` writes, back as characters.
    var htmlUnescaped: String {
        [("&quot;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")].reduce(self) { text, reference in
            text.replacingOccurrences(of: reference.0, with: reference.1)
        }
    }
}
