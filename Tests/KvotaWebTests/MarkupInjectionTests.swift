import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import SQLKit
import Testing

/// Issue 13's stored and reflected markup (docs/security.md, "In the browser"): text that would become an element
/// wherever a page writes it unescaped, put in every free-text column of the tiny demo company and in every field a
/// page's forms send, must come out as text on every page six roles reach. Plot escapes text but not attribute values;
/// this found a search box that wrote its query into `value="…"` as it came (`AttributeEscaping.swift`).
@Suite struct MarkupInjectionTests {
    /// Becomes a `<b>` element, in text or by closing an attribute, where it is written unescaped.
    static func payload(_ marker: String) -> String { #""'><b class=leak>"# + marker + "</b>" }

    /// The markers of payloads a page wrote as markup.
    static func leaks(in html: String) -> [String] {
        html.matches(of: #/<b class=leak>([^<]*)</#).map { String($0.output.1) }
    }

    /// Where the first leak is, for the failure's message.
    static func context(_ html: String) -> String {
        guard let range = html.range(of: "<b class=leak>") else { return "" }
        return String(html[..<range.upperBound].suffix(200))
    }

    /// The markers of payloads a page wrote as text, as it should.
    static func escapedMarkers(in html: String) -> Set<String> {
        Set(html.matches(of: #/&lt;b class=leak&gt;([a-z_]+\.[a-z_]+)/#).map { String($0.output.1) })
    }

    @Test func anAttributeValueKeepsEveryCharacterAsText() {
        #expect(#"Fish & "Chips" <'Ltd'>"#.attributeEscaped == "Fish &amp; &quot;Chips&quot; &lt;&#39;Ltd&#39;&gt;")
        #expect("Ångström Trading AB".attributeEscaped == "Ångström Trading AB")
        #expect("&amp;".attributeEscaped == "&amp;amp;", "text that looks escaped is someone's text too")
    }

    @Test(arguments: TestDatabase.engines)
    func textFromTheDatabaseIsEscapedOnEveryPage(engine: DatabaseEngine) async throws {
        try await DemoSite.run(engine) { client, site in
            var sessions: [(Role, String)] = []
            for (role, user) in site.people { sessions.append((role, try await BrowserSignInTests.signIn(client, as: user).session)) }
            // Text the demo leaves empty, so that it is there to be poisoned: a lead's page (a script address on every
            // other one, which a page must not make a link of) and a customer's notes.
            try await site.database.write { sql in
                try await sql.raw("""
                    UPDATE leads SET page_url = CASE WHEN id % 2 = 0 THEN 'https://example.com/offer' ELSE 'javascript:alert(1)//' END
                    """).run()
                try await sql.raw("UPDATE accounts SET notes = 'Prefers calls before noon'").run()
            }
            let poisoned = try await Self.poisonEveryTextColumn(of: site.database, engine)
            #expect(poisoned.count > 90, "free-text columns given the payload: \(poisoned.count)")
            var seen: Set<String> = [], pages = 0
            for (role, session) in sessions {
                for page in try await PageWalk.walk(client, session: session) {
                    pages += 1
                    #expect(Self.leaks(in: page.html).isEmpty, "\(page.path) as \(role) writes markup from \(Self.leaks(in: page.html)): \(Self.context(page.html))")
                    #expect(SecurityHeadersTests.inlineScripts(in: page.html).isEmpty, "\(page.path) as \(role)")
                    seen.formUnion(Self.escapedMarkers(in: page.html))
                }
            }
            // The walk proves something only if the poisoned text reaches the pages.
            let core: Set = ["accounts.name", "contacts.name", "deals.title", "leads.name", "leads.page_url", "products.name",
                             "users.name", "teams.name", "activities.subject", "stages.name", "regions.name", "channels.name",
                             "accounts.notes"]
            #expect(core.subtracting(seen).isEmpty, "never shown: \(core.subtracting(seen).sorted()); shown: \(seen.sorted())")
            #expect(pages > 200 && seen.count > 40, "\(pages) pages, \(seen.count) columns shown")
        }
    }

    /// Every form on the pages four roles reach, sent with the payload in each field: a search's query, a filter, a
    /// name the form shows again beside its error. Whatever comes back (the page, the form with its errors, the page a
    /// redirect leads to) writes it as text. And every form that posts needs its CSRF token: without it, 403.
    @Test(arguments: TestDatabase.engines)
    func whatAFormSendsIsEscapedOnThePageThatAnswers(engine: DatabaseEngine) async throws {
        try await DemoSite.run(engine) { client, site in
            var searched = 0, posted = 0
            for (role, user) in site.people where [.admin, .director, .head, .rep].contains(role) {
                let session = try await BrowserSignInTests.signIn(client, as: user).session
                let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
                var done: Set<String> = []
                for page in try await PageWalk.walk(client, session: session, depth: 3) {
                    for form in HTMLForm.all(in: page.html, on: page.path) where done.insert(form.shape).inserted {
                        let fields = form.fields.map { field in
                            (field.name, field.typed ? Self.payload("form.\(field.name)") : field.value)
                        }
                        let answer: TestResponse
                        if form.method == "get" {
                            answer = try await client.get(form.action + "?" + FormEncoding.encode(fields), headers: cookie)
                            searched += 1
                        } else {
                            guard form.fields.contains(where: \.typed) else { continue }
                            let forged = try await client.postForm(form.action, fields.filter { $0.0 != "_csrf" }, headers: cookie)
                            #expect(forged.status == .forbidden, "\(form.action) from \(page.path) as \(role) without its token: \(forged.status)")
                            answer = try await client.postForm(form.action, fields, headers: cookie)
                            posted += 1
                        }
                        #expect(answer.status.code < 500, "\(form.method) \(form.action) from \(page.path) as \(role): \(answer.status)")
                        var shown = answer.text
                        if answer.status == .seeOther, let location = answer.headers[.location], location.hasPrefix("/") {
                            shown = try await client.get(location, headers: cookie).text
                        }
                        #expect(Self.leaks(in: shown).isEmpty,
                                "\(form.method) \(form.action) from \(page.path) as \(role) writes markup: \(Self.context(shown))")
                    }
                }
            }
            #expect(searched > 20 && posted > 30, "\(searched) searches and filters, \(posted) posts")
        }
    }

    /// Appends the payload, marked `table.column`, to every non-empty value of every text column a person's words can
    /// reach, bypassing the API on purpose: imports, the PBX and public forms write text too. Returns those it changed;
    /// a column whose CHECK refuses the text (a status, a kind) is left as it was.
    static func poisonEveryTextColumn(of database: Database, _ engine: DatabaseEngine) async throws -> [String] {
        let columns = try await database.read { sql in
            let rows = switch engine {
            case .sqlite:
                try await sql.raw("""
                    SELECT m.name AS table_name, c.name AS column_name FROM sqlite_master AS m, pragma_table_info(m.name) AS c
                    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND UPPER(c.type) = 'TEXT'
                    """).all()
            case .postgres:
                try await sql.raw("""
                    SELECT table_name, column_name FROM information_schema.columns
                    WHERE table_schema = current_schema() AND data_type = 'text'
                    """).all()
            }
            return try rows.map { "\(try $0.decode(column: "table_name", as: String.self)).\(try $0.decode(column: "column_name", as: String.self))" }
        }
        var poisoned: [String] = []
        for column in columns.sorted() {
            let parts = column.split(separator: ".").map(String.init)
            guard !Self.notWords.tables.contains(parts[0]), !Self.notWords.columns.contains(column) else { continue }
            do {
                try await database.write { sql in
                    try await sql.raw("""
                        UPDATE \(unsafeRaw: parts[0]) SET \(unsafeRaw: parts[1]) = \(unsafeRaw: parts[1]) || \(bind: Self.payload(column))
                        WHERE \(unsafeRaw: parts[1]) <> ''
                        """).run()
                }
                poisoned.append(column)
            } catch {
                continue
            }
        }
        return poisoned
    }

    /// Text columns that hold no one's words: Kvota's own bookkeeping, codes it parses, JSON it decodes and secrets.
    static let notWords = (
        tables: Set(["schema_migrations", "sessions", "sign_in_failures", "job_leases", "idempotency_keys", "search_terms",
                     "settings", "calendar_feeds", "telephony_events"]),
        columns: Set([
            // JSON Kvota reads back
            "stages.required_fields", "stages.checklist", "custom_fields.options", "deals.score_detail", "leads.score_detail",
            "audit_log.changes", "import_jobs.mapping", "import_jobs.progress", "import_jobs.report", "import_jobs.file_base64",
            "pay_schemes.rules", "payouts.statement", "payouts.basis", "reviews.scores", "scorecards.criteria",
            "score_models.model", "score_models.evaluation", "survey_templates.questions", "survey_recipients.answers",
            "saved_views.query", "webhook_deliveries.payload", "custom_values.value",
            // hashes and sealed secrets
            "api_tokens.token_hash", "survey_recipients.token_hash", "users.password_hash", "users.email_key",
            "webhook_subscriptions.secret_sealed",
            // codes Kvota parses into its own kinds (those with a CHECK are refused by the database anyway)
            "plan_targets.measure", "plan_rows.dimension", "plan_rows.measure", "kpi_targets.kpi", "kpi_targets.role",
            "pay_schemes.role", "pay_schemes.applies_kind", "user_assignments.role", "plans.grain", "plans.subject_kind",
            "plans.status", "swot_boards.scope_kind", "swot_boards.grain", "swot_items.quadrant", "forecast_snapshots.scope",
            "alerts.rule", "alerts.episode", "alert_checks.rule", "assignment_rules.kind", "assignment_rules.channel",
            "teams.kind", "users.role", "users.language", "deals.status", "deals.forecast_category", "stages.outcome",
            "stages.forecast_category", "leads.status", "activities.kind", "activities.call_direction",
            "activities.call_disposition", "custom_fields.kind", "custom_fields.type", "custom_fields.key",
            "account_addresses.kind", "contact_channels.kind", "library_documents.kind", "training_records.kind",
            "api_tokens.kind", "api_tokens.scope", "audit_log.action", "audit_log.entity", "import_jobs.kind",
            "import_jobs.format", "import_jobs.status", "inbound_requests.via", "inbound_requests.outcome",
            "pbx_calls.direction", "pbx_calls.disposition", "webhook_deliveries.status", "webhook_deliveries.event",
            "webhook_subscription_events.event", "webhook_subscriptions.state", "score_models.subject",
            "score_models.method", "reviews.subject", "saved_views.list", "channels.kind", "loss_reasons.applies_to",
            "orders.status", "lead_sources.key", "leads.source", "web_forms.source", "assignment_rules.source",
            // currency codes
            "deals.currency", "orders.currency", "products.currency", "product_prices.currency", "exchange_rates.currency",
        ]))
}

/// The tiny demo company behind a running app, with one person of each role who can sign in.
struct DemoSite {
    let database: Database
    let people: [(Role, User)]

    static func run(_ engine: DatabaseEngine, _ body: @escaping @Sendable (any TestClientProtocol, DemoSite) async throws -> Void) async throws {
        try await TestDatabase.with(engine) { database in
            _ = try await DemoLoader.load(AnalyticsFixture.options, into: database)
            let users = try await database.users().filter(\.active).sorted { $0.id.rawValue < $1.id.rawValue }
            var people: [(Role, User)] = []
            for role in Role.allCases {
                let user = try #require(users.first { $0.role == role }, "the demo has a \(role)")
                try await database.setPasswordHash(email: user.email, WebFixture.passwordHash, by: nil, at: AnalyticsFixture.now)
                people.append((role, user))
            }
            let config = AppConfig(logLevel: .critical, alertsEverySeconds: 0, now: { AnalyticsFixture.now })
            let app = try await buildApplication(config, database: database)
            let site = DemoSite(database: database, people: people)
            try await app.test(.router) { client in try await body(client, site) }
        }
    }
}

/// The HTML pages a signed-in person reaches from the home page, a few of each shape (`/deals/#`), four links deep.
enum PageWalk {
    struct Page {
        let path: String
        let html: String
    }

    static func walk(_ client: any TestClientProtocol, session: String, depth: Int = 4, perShape: Int = 2) async throws -> [Page] {
        var frontier = ["/"], seen: Set<String> = ["/"], shapes: [String: Int] = [:], pages: [Page] = []
        for _ in 0..<depth {
            var next: [String] = []
            for path in frontier {
                let answer = try await client.get(path, headers: [.cookie: "kvota_session=\(session)"])
                #expect(answer.status.code < 500, "\(path) answered \(answer.status.code)")
                guard answer.status == .ok, answer.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                pages.append(Page(path: path, html: answer.text))
                for link in SecurityHeadersTests.links(in: answer.text) where seen.insert(link).inserted {
                    let shape = link.replacing(#/\d+/#, with: "#")
                    shapes[shape, default: 0] += 1
                    if shapes[shape]! <= perShape { next.append(link) }
                }
            }
            frontier = next
        }
        return pages
    }
}

/// A form on a page, read with regular expressions: Kvota's own markup is regular enough, and no HTML parser is on the
/// package list.
struct HTMLForm {
    struct Field {
        let name: String, value: String
        /// A field a person types into (not hidden, not a box to tick, not a button).
        let typed: Bool
    }

    let method: String, action: String
    let fields: [Field]

    /// What makes two forms the same for the test: where they go and what they send (`/deals/#` for every deal).
    var shape: String { "\(method) \(action.replacing(#/\d+/#, with: "#")) \(fields.map(\.name).sorted())" }

    static func all(in html: String, on path: String) -> [HTMLForm] {
        html.matches(of: #/(?s)<form([^>]*)>(.*?)</form>/#).map { match in
            let attributes = String(match.output.1), body = String(match.output.2)
            let method = (attribute("method", in: attributes) ?? "get").lowercased()
            let action = attribute("action", in: attributes).map { $0.isEmpty ? path : $0 } ?? path
            let fields = body.matches(of: #/<(input|select|textarea)([^>]*)>/#).compactMap { field -> Field? in
                let element = String(field.output.1), attributes = String(field.output.2)
                guard let name = attribute("name", in: attributes) else { return nil }
                let type = (attribute("type", in: attributes) ?? "text").lowercased()
                let typed = element == "textarea" || ["text", "search", "email", "tel", "url", "password"].contains(type)
                guard !["submit", "button", "file"].contains(type) else { return nil }
                return Field(name: name, value: attribute("value", in: attributes) ?? "", typed: typed)
            }
            return HTMLForm(method: method, action: String(action.prefix { $0 != "?" }), fields: fields)
        }
    }

    static func attribute(_ name: String, in attributes: String) -> String? {
        guard let match = attributes.firstMatch(of: try! Regex(#"(?:^|\s)"# + name + #"="([^"]*)""#)) else { return nil }
        return (match.output[1].substring.map(String.init) ?? "").htmlUnescaped
    }
}
