import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// Key-customer surveys: a template, a sending to the contacts of chosen accounts, respondents answering by their
/// link without signing in (once, and never seeing an answer), the answers per account for whoever may read the
/// account, and NPS and satisfaction by manager and ABC class. Both engines.
@Suite struct SurveysAPITests {
    struct Template: Decodable { struct Question: Decodable { let key: String; let kind: String; let required: Bool }; let id: Int64; let questions: [Question] }
    struct Link: Decodable { let recipientId: Int64; let accountId: Int64; let contactId: Int64; let email: String?; let url: String }
    struct Created: Decodable { struct Survey: Decodable { let id: Int64; let recipients: Int }; let survey: Survey; let links: [Link] }
    struct Recipient: Decodable { let accountId: Int64; let state: String; let nps: Int?; let managerId: Int64? }
    struct Details: Decodable { let recipients: [Recipient]; let summary: Summary }
    struct Summary: Decodable { let responses: Int; let promoters: Int; let passives: Int; let detractors: Int; let nps: Double?; let satisfaction: Double? }
    struct Report: Decodable { struct Group: Decodable { let key: String; let name: String; let summary: Summary }; let total: Summary; let groups: [Group] }

    /// The path of a link (`/q/…`), for the test client.
    static func path(_ link: Link) -> String { String(link.url[link.url.range(of: "/q/")!.lowerBound...]) }

    @Test(arguments: TestDatabase.engines)
    func aSendingAnsweredOnceByLinkAndReportedByWhoMaySee(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await client.token(for: org.director), head = try await client.token(for: org.head)
            let rep = try await client.token(for: org.rep), stranger = try await client.token(for: org.stranger)
            let questions: [[String: Any]] = [
                ["kind": "nps", "text": "How likely are you to recommend us?"],
                ["kind": "scale", "text": "How satisfied are you with delivery?", "min": 1, "max": 5],
                ["kind": "text", "text": "What should we do better?", "required": false],
            ]
            let made = try await PayAPITests.post(client, "/api/v1/survey-templates", ["name": "Key customers 2026",
                                                                                "questions": questions], token: head)
            #expect(made.status == .created)
            let template = try made.json(Template.self)
            #expect(template.questions.map(\.key) == ["q1", "q2", "q3"] && template.questions.map(\.required) == [true, true, false])
            let bad = try await PayAPITests.post(client, "/api/v1/survey-templates", ["name": "", "questions": [
                ["kind": "stars", "text": "?"], ["kind": "scale", "text": "Speed",
                                                                            "min": 5, "max": 3],
            ]], token: head)
            #expect(bad.status == .unprocessableContent)
            for field in ["\"questions[0].kind\"", "\"name\"", "\"questions[1].max\""] { #expect(bad.text.contains(field), "\(field)") }
            #expect(try await PayAPITests.post(client, "/api/v1/survey-templates", ["name": "Mine", "questions": questions],
                                          token: rep).status == .forbidden)

            // Rita's customer has two contacts, Sven's one; a third account has none.
            let records = try await TestRecords.make(org.database)
            let ritas = try await records.account(owner: org.rep.id, name: "Nordic Steel"), svens = try await records.account(owner: org.stranger.id, name: "Baltic Wood")
            let empty = try await records.account(owner: org.rep.id, name: "No One AB")
            for (account, name) in [(ritas, "Karin"), (ritas, "Lars"), (svens, "Mara")] { _ = try await records.contact(account: account, name: name) }
            func send(_ accounts: [Int64], token: String) async throws -> TestResponse {
                try await PayAPITests.post(client, "/api/v1/surveys", ["templateId": template.id, "title": "Q4 satisfaction",
                                                                "accounts": accounts], token: token)
            }
            let notHis = try await send([ritas, svens], token: head)
            #expect(notHis.status == .unprocessableContent && notHis.text.contains("\"accounts[1]\"") && notHis.text.contains("no account \(svens)"))
            let nobody = try await send([empty], token: director)
            #expect(nobody.status == .unprocessableContent && nobody.text.contains("has no contacts"))
            let sent = try await send([ritas, svens], token: director)
            #expect(sent.status == .created)
            let created = try sent.json(Created.self)
            #expect(created.survey.recipients == 3 && created.links.count == 3 && Set(created.links.map(\.url)).count == 3)
            let (karin, lars, mara) = (created.links[0], created.links[1], created.links[2])
            #expect(karin.accountId == ritas && mara.accountId == svens && karin.url.hasPrefix("http") && !karin.url.contains(String(karin.recipientId) + "/"))

            // Respondents need no sign-in. Karin answers; her link then takes no second answer and shows no answer.
            let form = try await client.get(Self.path(karin))
            #expect(form.status == .ok && form.text.contains("How likely are you to recommend us?") && form.text.contains("Nordic Steel"))
            let answered = try await client.postForm(Self.path(karin), [("q1", "10"), ("q2", "4"), ("q3", "Faster deliveries, please")])
            #expect(answered.status == .ok && answered.text.contains("your answers are recorded"))
            let again = try await client.postForm(Self.path(karin), [("q1", "0"), ("q2", "1")])
            #expect(again.status == .conflict)
            for page in [try await client.get(Self.path(karin)), try await client.get(Self.path(lars)), try await client.get(Self.path(mara))] {
                #expect(!page.text.contains("Faster deliveries"), "no link shows an answer")
            }
            #expect(try await client.get(Self.path(karin)).text.contains("has been answered"))
            #expect(try await client.get("/q/kvq_" + String(repeating: "A", count: 43)).status == .notFound)
            let offScale = try await client.postForm(Self.path(lars), [("q1", "11"), ("q2", "")])
            #expect(offScale.status == .unprocessableContent && offScale.text.contains("expected a whole number from 0 to 10") && offScale.text.contains("is required"))
            #expect(try await client.postForm(Self.path(lars), [("q1", "3"), ("q2", "2")]).status == .ok)
            #expect(try await client.postForm(Self.path(mara), [("q1", "8"), ("q2", "5")]).status == .ok)

            // The answers per account, as far as each reader may see the account.
            struct Items: Decodable { let items: [Recipient] }
            #expect(try await client.get("/api/v1/survey-responses", token: rep).json(Items.self).items.map(\.accountId) == [ritas, ritas])
            #expect(try await client.get("/api/v1/survey-responses", token: stranger).json(Items.self).items.map(\.accountId) == [svens])
            #expect(try await client.get("/api/v1/survey-responses", token: head).json(Items.self).items.count == 2)
            #expect(try await client.get("/api/v1/survey-responses?account=\(svens)", token: director).json(Items.self).items.map(\.nps) == [8])
            #expect(try await client.get("/api/v1/survey-responses", token: try await client.token(for: org.desk)).status == .forbidden)
            let ritasView = try await client.get("/api/v1/surveys/\(created.survey.id)", token: rep).json(Details.self)
            #expect(ritasView.recipients.map(\.accountId) == [ritas, ritas] && ritasView.summary.responses == 2)

            // NPS: 10 promotes, 8 is passive, 3 detracts: (1 − 1) / 3 = 0. Satisfaction: (3/4 + 1/4 + 4/4) / 3.
            let report = try await client.get("/api/v1/survey-report?by=manager", token: director).json(Report.self)
            #expect(report.total.responses == 3 && report.total.promoters == 1 && report.total.passives == 1 && report.total.detractors == 1)
            #expect(report.total.nps == 0 && abs((report.total.satisfaction ?? 0) - 2.0 / 3.0) < 1e-9)
            let rita = try #require(report.groups.first { $0.key == String(org.rep.id.rawValue) })
            #expect(rita.name == "Rita" && rita.summary.responses == 2 && rita.summary.nps == 0 && rita.summary.satisfaction == 0.5)
            #expect(report.groups.first { $0.key == String(org.stranger.id.rawValue) }?.summary.nps == 0)
            let regions = try await client.get("/api/v1/survey-report?by=region", token: director).json(Report.self)
            #expect(regions.groups.map(\.key) == [""] && regions.groups.first?.summary.responses == 3, "the test's accounts have no region")
            let ritasReport = try await client.get("/api/v1/survey-report?by=month", token: rep).json(Report.self)
            #expect(ritasReport.total.responses == 2 && ritasReport.groups.map(\.key) == ["2026-11"])

            // By ABC class over the 12 months to the report's last day: Rita's customer bought, Sven's did not.
            let desk = try await SalesDesk.open(client, org)
            try await desk.sell(50, by: org.rep, on: "2026-10-01", to: ritas)
            let classes = try await client.get("/api/v1/survey-report?by=abc_class&to=2026-11-30", token: director).json(Report.self)
            #expect(classes.groups.map(\.key) == ["", "A"] && classes.groups.last?.summary.responses == 2)
            #expect(try await client.get("/api/v1/survey-report?by=planet", token: director).status == .unprocessableContent)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aLostLinkIsReplacedAndTheOldOneStops(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let head = try await client.token(for: org.head)
            let template = try await PayAPITests.post(client, "/api/v1/survey-templates", ["name": "Short", "questions": [
                ["kind": "nps", "text": "Recommend us?"],
            ]], token: head).json(Template.self)
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.teammate.id, name: "Tove's customer")
            _ = try await records.contact(account: account, name: "Olga")
            let created = try await PayAPITests.post(client, "/api/v1/surveys", ["templateId": template.id, "title": "Pulse",
                                                                          "accounts": [account], "closesOn": "2026-12-31"],
                                                token: head).json(Created.self)
            let old = try #require(created.links.first)
            #expect(try await client.get(Self.path(old)).status == .ok)
            let reissued = try await PayAPITests.post(client, "/api/v1/surveys/recipients/\(old.recipientId)/reissue", [String: String](), token: head)
            #expect(reissued.status == .ok)
            let new = try reissued.json(Link.self)
            #expect(new.url != old.url)
            #expect(try await client.get(Self.path(old)).status == .notFound)
            #expect(try await client.postForm(Self.path(new), [("q1", "9")]).status == .ok)
            let spent = try await PayAPITests.post(client, "/api/v1/surveys/recipients/\(old.recipientId)/reissue", [String: String](), token: head)
            #expect(spent.status == .unprocessableContent && spent.text.contains("has answered"))
            // A rep cannot send or reissue; the stranger does not even see the recipient.
            #expect(try await PayAPITests.post(client, "/api/v1/surveys/recipients/\(old.recipientId)/reissue", [String: String](),
                                          token: try await client.token(for: org.teammate)).status == .forbidden)
            let past = try await PayAPITests.post(client, "/api/v1/surveys", ["templateId": template.id, "title": "Late",
                                                                       "accounts": [account], "closesOn": "2026-01-31"], token: head)
            #expect(past.status == .unprocessableContent && past.text.contains("\"closesOn\""))
        }
    }
}

/// The survey pages: a head writes a template in lines, sends it to a key customer and one more by id, gets the links
/// once, a contact answers on the page without signing in, and the sending and the NPS report show the answer; a rep
/// reads without forms.
@Suite struct SurveyPagesTests {
    @Test(arguments: TestDatabase.engines)
    func aHeadSendsASurveyAndReadsTheAnswers(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let key = try await records.account(owner: org.rep.id, name: "Nordic Steel"), other = try await records.account(owner: org.teammate.id, name: "Tove's AB")
            for account in [key, other] { _ = try await records.contact(account: account, name: "Karin") }
            let desk = try await SalesDesk.open(client, org)
            try await desk.sell(100, by: org.rep, on: "2026-09-01", to: key)
            let head = try await PlanPagesTests.Browser.signIn(client, org.head)
            let bad = try await head.post("/survey-templates", [("name", "Pulse"), ("intro", ""), ("questions", "stars: Rate us")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("line 1: expected"))
            let made = try await head.post("/survey-templates", [("name", "Pulse"), ("intro", "Two minutes, promise."),
                                                                 ("questions", "nps: Would you recommend us?\nscale 1-5: Delivery\ntext?: Anything else?")])
            #expect(made.status == .seeOther)
            let templates = try await head.get("/survey-templates")
            #expect(templates.text.contains("scale 1-5: Delivery") && templates.text.contains("text?: Anything else?"))

            let list = try await head.get("/surveys")
            #expect(list.status == .ok && list.text.contains("Nordic Steel") && !list.text.contains("Tove&#39;s AB") && !list.text.contains("Tove's AB"),
                    "the key customers are offered: the company's A class")
            let templateID = try #require(list.text.range(of: #"<option value="(\d+)""#, options: .regularExpression).map {
                String(list.text[$0].dropFirst(15).dropLast(1))
            })
            let sent = try await head.post("/surveys", [("templateId", templateID), ("title", "Q4 pulse"), ("closesOn", ""), ("account", String(key)),
                                                        ("more", String(other))])
            #expect(sent.status == .ok && sent.text.contains("shown once") == false && sent.text.contains("cannot show them again"))
            let links = sent.text.matches(of: /\/q\/kvq_[A-Za-z0-9_-]+/).map { String($0.output) }
            #expect(Set(links).count == 2)
            let none = try await head.post("/surveys", [("templateId", templateID), ("title", "Empty"), ("more", "x1")])
            #expect(none.status == .unprocessableContent && none.text.contains("expected account ids separated by commas"))

            let page = try await client.get(links[0])
            #expect(page.text.contains("Would you recommend us?") && page.text.contains("Two minutes, promise.") && page.headers[.cacheControl] == "no-store")
            #expect(try await client.postForm(links[0], [("q1", "9"), ("q2", "5"), ("q3", "Keep it up")]).status == .ok)
            let account = try await head.get("/accounts/\(key)")
            #expect(account.text.contains("Survey answers") && account.text.contains("NPS 9") && account.text.contains("Keep it up"))

            let surveys = try await head.get("/surveys")
            let surveyPath = try #require(surveys.text.range(of: #"/surveys/\d+"#, options: .regularExpression).map { String(surveys.text[$0]) })
            let survey = try await head.get(surveyPath)
            #expect(survey.text.contains("Keep it up") && survey.text.contains("answered") && survey.text.contains("New link"))
            let report = try await head.get("/survey-report?by=abc_class&to=2026-11-30")
            #expect(report.status == .ok && report.text.contains("<td>A</td>") && report.text.contains(">100<"), "one promoter: NPS 100")
            #expect(try await head.get("/survey-report?from=soon").status == .badRequest)

            let rep = try await PlanPagesTests.Browser.signIn(client, org.rep)
            let repList = try await rep.get("/surveys")
            #expect(repList.status == .ok && !repList.text.contains("Make the links"))
            // Rita's customer answered (the first link: the accounts keep the order chosen); Tove's did not, and Sven sees no one.
            #expect(try await rep.get(surveyPath).text.contains("Keep it up"))
            #expect(try await PlanPagesTests.Browser.signIn(client, org.stranger).get(surveyPath).text.contains("Karin") == false)
            #expect(try await PlanPagesTests.Browser.signIn(client, org.desk).get("/surveys").status == .forbidden)
        }
    }
}
