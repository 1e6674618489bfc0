import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/f/{key}`, a website's form posting without a token (issue 9): the hosted copy, an HTML post thanked or sent to the
/// admin's page, a script's JSON post with CORS, the honeypot, the size limit, the per-address rate limit that keeps
/// earlier requests, custom fields by name. Both engines.
@Suite struct WebFormTests {
    struct Form: Decodable { let id: Int64; let key: String; let url: String; let version: Int64 }

    static func leads(_ org: WebFixture) async throws -> [(name: String, source: String, utm: String?, region: Int64?)] {
        try await org.database.read { sql in
            try await sql.raw("SELECT name, source, utm_campaign, region_id FROM leads ORDER BY id").all().map {
                (try $0.decode(column: "name", as: String.self), try $0.decode(column: "source", as: String.self),
                 try $0.decode(column: "utm_campaign", as: String?.self), try $0.decode(column: "region_id", as: Int64?.self))
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aSitesFormPostsRequestsWithoutAToken(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine, configure: { $0.formPostRates = [RequestRate(limit: 6, window: 60)] }) { client, org in
            let admin = try await client.token(for: org.admin)
            let region = try await org.database.write { sql in
                try await sql.raw("INSERT INTO regions (code, name) VALUES ('UA', 'Ukraine') RETURNING id").first()!.decode(column: "id", as: Int64.self)
            }
            _ = try await client.post("/api/v1/custom-fields", json: ["kind": "lead", "key": "budget", "label": "Budget", "type": "number"], token: admin)
            let made = try await PayAPITests.post(client, "/api/v1/web-forms", ["name": "Kyiv landing", "regionId": region], token: admin)
            #expect(made.status == .created, "\(made.text)")
            let form = try made.json(Form.self)
            #expect(form.url.hasSuffix("/f/\(form.key)") && form.key.count == 24)
            #expect(try await PayAPITests.post(client, "/api/v1/web-forms", ["name": "Mine"], token: try await client.token(for: org.head)).status
                    == .forbidden)
            let badForm = try await PayAPITests.post(client, "/api/v1/web-forms", ["name": "", "redirectUrl": "javascript:alert(1)"], token: admin)
            #expect(badForm.status == .unprocessableContent && badForm.text.contains("\"redirectUrl\"") && badForm.text.contains("\"name\""))

            // The hosted copy, then an HTML post: thanked on Kvota's page, the form's region and the page's campaign on the lead.
            let hosted = try await client.get("/f/\(form.key)")
            #expect(hosted.status == .ok && hosted.text.contains("Kyiv landing") && hosted.text.contains("name=\"website\""))
            let posted = try await client.postForm("/f/\(form.key)", [("name", "Oksana"), ("phone", "+380 44 123 4567"), ("budget", "15000"),
                                                                       ("page_url", "https://example.ua/?utm_campaign=spring"), ("consent", "on")])
            #expect(posted.status == .ok && posted.text.contains("Thank you"), "\(posted.text)")
            var stored = try await Self.leads(org)
            #expect(stored.count == 1 && stored[0].name == "Oksana" && stored[0].source == "web_form" && stored[0].utm == "spring" && stored[0].region == region)
            let budget = try await org.database.read { sql in
                try await sql.raw("SELECT v.number FROM custom_values v JOIN custom_fields f ON f.id = v.field_id WHERE f.key = 'budget' ORDER BY v.record_id")
                    .all().map { try $0.decode(column: "number", as: Double.self) }
            }
            #expect(budget == [15_000], "a field named after a custom field fills it")

            // A robot fills the hidden field: thanked, dropped.
            let robot = try await client.postForm("/f/\(form.key)", [("name", "Bot"), ("email", "bot@spam.example"), ("website", "http://spam")])
            #expect(robot.status == .ok && robot.text.contains("Thank you"))
            // A script's JSON post from another origin: CORS, no lead id given away.
            let script = try await client.execute(uri: "/f/\(form.key)", method: .post, headers: [.contentType: "application/json"],
                                                  body: ByteBuffer(string: #"{"name":"Taras","email":"taras@example.ua","budget":900}"#))
            #expect(script.status == .created && script.headers[HTTPField.Name("Access-Control-Allow-Origin")!] == "*")
            #expect(!script.text.contains("lead") && script.text.contains("\"received\":true"))
            let badScript = try await client.execute(uri: "/f/\(form.key)", method: .post, headers: [.contentType: "application/json"],
                                                     body: ByteBuffer(string: #"{"name":"Ivan","email":"ivan@"}"#))
            #expect(badScript.status == .unprocessableContent && badScript.headers[HTTPField.Name("Access-Control-Allow-Origin")!] == "*")
            #expect(badScript.text.contains("\"received\":false") && badScript.text.contains("\"email\":"), "\(badScript.text)")
            let preflight = try await client.execute(uri: "/f/\(form.key)", method: .options, headers: [:], body: nil)
            #expect(preflight.status == .noContent && preflight.headers[HTTPField.Name("Access-Control-Allow-Methods")!] == "POST")
            // A bad post names the field on the form, keeps what was typed, and writes nothing.
            let bad = try await client.postForm("/f/\(form.key)", [("name", "Ivan"), ("email", "ivan-at-example")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("ivan-at-example") && bad.text.contains("aria-invalid=\"true\""))
            let badBudget = try await client.postForm("/f/\(form.key)", [("email", "olena@example.ua"), ("budget", "a lot")])
            #expect(badBudget.status == .unprocessableContent && badBudget.text.contains("custom.budget: "), "a field the copy does not show is listed")
            stored = try await Self.leads(org)
            #expect(stored.map(\.name) == ["Oksana", "Taras"])
            #expect(try await org.database.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM custom_values").first()!.decode(column: "n", as: Int.self)
            } == 2, "the JSON post's number filled the field too")

            // Six posts a minute from one address (this test's): the seventh is refused, the earlier ones stay.
            let flood = try await client.postForm("/f/\(form.key)", [("email", "five@example.ua")])
            #expect(flood.status == .tooManyRequests && flood.headers[.retryAfter] != nil)
            #expect(try await Self.leads(org).count == 2)
            org.clock.advance(61)
            #expect(try await client.postForm("/f/\(form.key)", [("email", "later@example.ua")]).status == .ok)

            // Too big: 413, nothing written. Retired or unknown: 404.
            org.clock.advance(61)
            let huge = try await client.postForm("/f/\(form.key)", [("email", "big@example.ua"), ("message", String(repeating: "x", count: 70_000))])
            #expect(huge.status == .contentTooLarge)
            var retire = HTTPFields()
            retire[.ifMatch] = "\"\(form.version)\""
            struct Retire: Encodable { let active = false; let redirectUrl = "https://example.ua/thanks" }
            let retired = try await client.send(.patch, "/api/v1/web-forms/\(form.id)", json: Retire(), token: admin, headers: retire)
            #expect(retired.status == .ok)
            #expect(try await client.postForm("/f/\(form.key)", [("email", "gone@example.ua")]).status == .notFound)
            #expect(try await client.get("/f/nothing-here").status == .notFound)
            #expect(try await Self.leads(org).count == 3)

            // A form with the site's own thank-you page sends the browser there (the admin's address, never the post's).
            let own = try await PayAPITests.post(client, "/api/v1/web-forms", ["name": "Shop", "redirectUrl": "https://shop.example.com/thanks"],
                                                 token: admin).json(Form.self)
            let redirected = try await client.postForm("/f/\(own.key)", [("email", "r@example.com"), ("redirect", "https://evil.example")])
            #expect(redirected.status == .seeOther && redirected.headers[.location] == "https://shop.example.com/thanks")
        }
    }
}
