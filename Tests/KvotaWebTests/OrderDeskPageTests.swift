import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The order desk's queue: a won deal's draft order appears for the desk, is confirmed there, and leaves the queue;
/// reps have no desk.
@Suite struct OrderDeskPageTests {
    @Test(arguments: TestDatabase.engines)
    func aWonDealsDraftOrderWaitsForTheDeskUntilConfirmed(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let setup = try await BoardPageTests.setUp(org)
            let (_, admin) = try #require(try await org.database.signedInUser(org.admin.id))
            _ = try await org.database.updateStage(Stage.ID(setup.proposal), of: setup.pipeline, StagePatch(requiredFields: []),
                                                   expectedVersion: nil, by: admin, at: org.clock.now)
            let (_, rep) = try #require(try await org.database.signedInUser(org.rep.id))
            var win = DealPatch()
            win.stageID = Stage.ID(setup.won)
            _ = try await org.database.updateDeal(Deal.ID(setup.deal), win, expectedVersion: nil, by: rep, at: org.clock.now)

            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.desk)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let queue = try await client.get("/order-desk", headers: cookie)
            #expect(queue.status == .ok && queue.text.contains(#"aria-current="page">Order desk</a>"#))
            #expect(queue.text.contains("Nordvind AB") && queue.text.contains("Rita"))
            #expect(queue.text.contains("€0.00"), "a deal without product lines makes an empty draft for the desk to fill")
            #expect(queue.text.contains(#"href="/deals/\#(setup.deal)""#))

            let (_, desk) = try #require(try await org.database.signedInUser(org.desk.id))
            let draft = try #require(try await org.database.orders(OrderFilter(status: .draft), for: desk).items.first)
            let confirmed = try await client.postForm("/orders/\(draft.id)/confirm", [("_csrf", csrf), ("version", String(draft.version))],
                                                      headers: cookie)
            #expect(confirmed.status == .seeOther && confirmed.cookie("kvota_flash")?.value == "notice:desk.confirmed")
            #expect(try await org.database.order(draft.id, for: desk).status == .confirmed)
            #expect(try await client.get("/order-desk", headers: cookie).text.contains("No draft orders are waiting."))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func repsHaveNoOrderDesk(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            #expect(try await client.get("/order-desk", headers: cookie).status == .forbidden)
            #expect(!(try await client.get("/", headers: cookie).text.contains("/order-desk")), "and no menu entry for it")
        }
    }
}
