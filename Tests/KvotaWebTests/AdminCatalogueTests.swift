import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The settings area's lists: a head keeps the sales funnel's stages; an admin keeps loss reasons, custom fields,
/// integration tokens and regions.
@Suite struct AdminCatalogueTests {
    @Test(arguments: TestDatabase.engines)
    func aHeadBuildsAFunnelStageByStage(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.head)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let index = try await client.get("/admin", headers: cookie)
            #expect(index.status == .ok && index.text.contains(#"href="/admin/pipelines""#) && !index.text.contains(#"href="/admin/users""#))

            let created = try await client.postForm("/admin/pipelines", [("_csrf", csrf), ("name", "Export")], headers: cookie)
            #expect(created.status == .seeOther)
            let path = try #require(created.headers[.location])
            let pipelineID = try #require(Int64(path.split(separator: "/").last ?? ""))
            let stage = try await client.postForm("\(path)/stages", [("_csrf", csrf), ("name", "Proposal"), ("position", "2"), ("probability", "40"),
                                                                     ("outcome", "open"), ("required", "amount"), ("required", "expectedClose"),
                                                                     ("script", "Ask about the budget."), ("checklist", "Price list sent\nDecision maker met")],
                                                  headers: cookie)
            #expect(stage.status == .seeOther)
            let director = try #require(try await org.database.signedInUser(org.director.id)).1
            let stages = try await org.database.pipeline(Pipeline.ID(pipelineID), for: director).1
            let proposal = try #require(stages.first { $0.name == "Proposal" })
            #expect(proposal.position == 2 && proposal.probability == 40 && proposal.requiredFields == [.amount, .expectedClose])
            #expect(proposal.checklist == ["Price list sent", "Decision maker met"] && proposal.script == "Ask about the budget.")

            let bad = try await client.postForm("\(path)/stages/\(proposal.id.rawValue)", [("_csrf", csrf), ("name", "Proposal"), ("probability", "lots"),
                                                                                          ("outcome", "open"), ("version", String(proposal.version))],
                                                headers: cookie)
            #expect(bad.status == .unprocessableContent && bad.text.contains(#"id="probability-\#(proposal.id.rawValue)-error""#))
            let deleted = try await client.postForm("\(path)/stages/\(proposal.id.rawValue)/delete", [("_csrf", csrf)], headers: cookie)
            #expect(deleted.status == .seeOther)
            #expect(try await org.database.pipeline(Pipeline.ID(pipelineID), for: director).1.count == 3)

            let (repSession, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            #expect(try await client.get(path, headers: [.cookie: "kvota_session=\(repSession)"]).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func anAdminKeepsReasonsFieldsTokensAndRegions(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.admin)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let admin = try #require(try await org.database.signedInUser(org.admin.id)).1

            #expect(try await client.postForm("/admin/loss-reasons", [("_csrf", csrf), ("appliesTo", "deal"), ("name", "Chose a rival")],
                                              headers: cookie).status == .seeOther)
            let reason = try #require(try await org.database.lossReasons(for: admin, appliesTo: .deal).first { $0.name == "Chose a rival" })
            let retired = try await client.postForm("/admin/loss-reasons/\(reason.id.rawValue)", [("_csrf", csrf), ("name", "Chose a rival"),
                                                                                                 ("active", "false"), ("version", String(reason.version))],
                                                    headers: cookie)
            #expect(retired.status == .seeOther)
            #expect(try await org.database.lossReasons(for: admin, appliesTo: .deal).first { $0.id == reason.id }?.active == false)

            let noOptions = try await client.postForm("/admin/custom-fields", [("_csrf", csrf), ("kind", "deal"), ("key", "tender"), ("label", "Tender"),
                                                                               ("type", "select"), ("options", "")], headers: cookie)
            #expect(noOptions.status == .unprocessableContent && noOptions.text.contains(#"class="error""#))
            let field = try await client.postForm("/admin/custom-fields", [("_csrf", csrf), ("kind", "deal"), ("key", "tender"), ("label", "Tender"),
                                                                           ("type", "select"), ("options", "Open\nClosed")], headers: cookie)
            #expect(field.status == .seeOther)
            let tender = try #require(try await org.database.customFields(for: admin, kind: .deal).first { $0.key == "tender" })
            #expect(tender.options == ["Open", "Closed"] && tender.active)
            let off = try await client.postForm("/admin/custom-fields/\(tender.id.rawValue)", [("_csrf", csrf), ("label", "Tender type"),
                                                                                               ("options", "Open\nClosed\nInvited"),
                                                                                               ("version", String(tender.version))], headers: cookie)
            #expect(off.status == .seeOther)
            let changed = try #require(try await org.database.customFields(for: admin, kind: .deal).first { $0.key == "tender" })
            #expect(changed.label == "Tender type" && changed.options.count == 3 && !changed.active, "unticked: no longer in use")

            let token = try await client.postForm("/admin/tokens", [("_csrf", csrf), ("name", "Asterisk")], headers: cookie)
            let secret = try #require(token.text.firstMatch(of: /shown only now: (kvt_[^<]+)</)?.1)
            #expect(token.status == .created)
            let me = try await client.get("/api/v1/me", token: String(secret))
            #expect(me.status == .ok, "the integration token works")
            let listed = try #require(try await org.database.integrationTokens().first { $0.name == "Asterisk" })
            #expect(try await client.postForm("/admin/tokens/\(listed.id.rawValue)/revoke", [("_csrf", csrf)], headers: cookie).status == .seeOther)
            #expect(try await client.get("/api/v1/me", token: String(secret)).status == .unauthorized)

            let region = try await client.postForm("/admin/regions", [("_csrf", csrf), ("code", "SE-N"), ("name", "Norrland"), ("parent", "")],
                                                   headers: cookie)
            #expect(region.status == .seeOther)
            #expect(try await client.get("/admin/regions", headers: cookie).text.contains("Norrland"))
            let noKind = try await client.postForm("/admin/channels", [("_csrf", csrf), ("code", "ONLINE"), ("name", "Web shop"), ("kind", "")],
                                                   headers: cookie)
            #expect(noKind.status == .unprocessableContent && noKind.text.contains(#"id="channel-kind-error""#))
            #expect(try await client.postForm("/admin/channels", [("_csrf", csrf), ("code", "ONLINE"), ("name", "Web shop"), ("kind", "retail")],
                                              headers: cookie).status == .seeOther)
            let rep = try await client.token(for: org.rep)
            let channels = try await client.get("/api/v1/channels", token: rep)
            #expect(channels.status == .ok && channels.text.contains(#""code":"ONLINE""#))
            let repAdds = try await client.post("/api/v1/channels", json: ["code": "X", "name": "X", "kind": "direct"], token: rep)
            #expect(repAdds.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func ownLeadSourcesStandBesideTheStandardOnes(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.admin)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let clash = try await client.postForm("/admin/lead-sources", [("_csrf", csrf), ("key", "email"), ("label", "Mail")], headers: cookie)
            #expect(clash.status == .unprocessableContent && clash.text.contains(#"id="key-error""#))
            #expect(try await client.postForm("/admin/lead-sources", [("_csrf", csrf), ("key", "trade_fair"), ("label", "Trade fair Kyiv")],
                                              headers: cookie).status == .seeOther)

            let rep = try await client.token(for: org.rep)
            let own = try await client.post("/api/v1/leads", json: ["source": "trade_fair", "name": "Olena"], token: rep)
            #expect(own.status == .created)
            let unknown = try await client.post("/api/v1/leads", json: ["source": "carrier_pigeon", "name": "Olena"], token: rep)
            #expect(unknown.status == .unprocessableContent)
            let problem = try unknown.problem().errors?.first
            #expect(problem?.field == "source" && problem?.reason.contains("trade_fair") == true, "the own sources are named")
            let sources = try await client.get("/api/v1/lead-sources", token: rep)
            #expect(sources.status == .ok && sources.text.contains(#""key":"trade_fair""#) && sources.text.contains(#""key":"web_form""#))

            let (repSession, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let list = try await client.get("/leads/list?source=trade_fair", headers: [.cookie: "kvota_session=\(repSession)"])
            #expect(list.text.contains("Olena") && list.text.contains(#"<option value="trade_fair" selected>Trade fair Kyiv</option>"#))

            #expect(try await client.postForm("/admin/lead-sources/trade_fair", [("_csrf", csrf), ("label", "Trade fair Kyiv"), ("active", "false")],
                                              headers: cookie).status == .seeOther)
            let retired = try await client.post("/api/v1/leads", json: ["source": "trade_fair", "name": "Petro"], token: rep)
            #expect(retired.status == .unprocessableContent, "a retired source takes no new leads")
            #expect(try await client.send(.patch, "/api/v1/lead-sources/trade_fair", json: ["active": true], token: rep).status == .forbidden)
        }
    }
}
