import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The pipeline board: columns with counts and sums, cards only of deals the viewer may see, and moving a card with
/// the plain form (what a drag submits), including the form that asks for what a stage requires.
@Suite struct BoardPageTests {
    struct Setup {
        let records: TestRecords
        let pipeline: Pipeline.ID
        let offer: Int64, proposal: Int64, won: Int64, lost: Int64
        let account: Int64
        let deal: Int64

        /// Petra Lind, one of the account's people, added by the rep who owns it.
        func person(_ org: WebFixture) async throws -> Contact {
            let (_, rep) = try #require(try await org.database.signedInUser(org.rep.id))
            var person = ContactPatch()
            person.accountID = Account.ID(account); person.name = "Petra Lind"
            return try await org.database.addContact(person, by: rep, at: org.clock.now)
        }
    }

    /// A pipeline Offer → Proposal (needs an expected close date and a contact) → Won / Lost, and a rep's deal.
    static func setUp(_ org: WebFixture) async throws -> Setup {
        let records = try await TestRecords.make(org.database)
        let (_, admin) = try #require(try await org.database.signedInUser(org.admin.id))
        let proposal = try await records.stage("Proposal", position: 2, outcome: "open", probability: 60)
        let won = try await records.stage("Won", position: 3, outcome: "won", probability: 100)
        let lost = try await records.stage("Lost", position: 4, outcome: "lost", probability: 0)
        let pipeline = try #require(try await org.database.pipelines(for: admin).first?.0.id)
        _ = try await org.database.updateStage(Stage.ID(proposal), of: pipeline, StagePatch(requiredFields: [.expectedClose, .contact]),
                                               expectedVersion: nil, by: admin, at: org.clock.now)
        _ = try await org.database.addLossReason(appliesTo: .deal, name: "Price too high", by: admin, at: org.clock.now)
        let account = try await records.account(owner: org.rep.id, name: "Nordvind AB")
        let deal = try await records.deal(account: account, owner: org.rep.id)
        return Setup(records: records, pipeline: pipeline, offer: records.firstStageID, proposal: proposal, won: won, lost: lost,
                     account: account, deal: deal)
    }

    @Test(arguments: TestDatabase.engines)
    func theBoardShowsTheViewersDealsWithCountsAndSums(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let setup = try await Self.setUp(org)
            _ = try await setup.records.deal(account: setup.account, owner: org.rep.id)
            let strangers = try await setup.records.account(owner: org.stranger.id, name: "Elsewhere Oy")
            _ = try await setup.records.deal(account: strangers, owner: org.stranger.id)

            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let board = try await client.get("/board", headers: [.cookie: "kvota_session=\(session)"])
            #expect(board.status == .ok)
            #expect(board.text.contains(#"aria-current="page">Sales funnel</a>"#))
            #expect(board.text.contains("2 deals · €2,000"), "the Offer column: two of the rep's deals of €1,000")
            #expect(board.text.contains("Nordvind AB") && !board.text.contains("Elsewhere Oy"))
            #expect(!board.text.contains(#"name="owner""#), "a rep has nobody to narrow the board to")
            let start = try #require(board.text.range(of: "href=\"/deals/\(setup.deal)/move?return="))
            let link = board.text[board.text.index(start.lowerBound, offsetBy: 6)...].prefix { $0 != "\"" }
            let choice = try await client.get(String(link).replacingOccurrences(of: "&amp;", with: "&"),
                                              headers: [.cookie: "kvota_session=\(session)"])
            #expect(choice.status == .ok && choice.text.contains(">Proposal</button>") && choice.text.contains(">Won</button>"))
            #expect(!choice.text.contains(">Offer</button>"), "not the stage it is in")
            #expect(choice.text.contains(#"name="return" value="/board?pipeline="#), "back to the same board")

            let (headSession, _) = try await BrowserSignInTests.signIn(client, as: org.head)
            let all = try await client.get("/board", headers: [.cookie: "kvota_session=\(headSession)"])
            #expect(all.text.contains("2 deals · €2,000") && !all.text.contains("Elsewhere Oy"), "a head sees the team's deals")
            #expect(all.text.contains(">\(org.teammate.name)</option>") && !all.text.contains(org.stranger.name),
                    "a head narrows the board to the team's own people only")
            let director = try await BrowserSignInTests.signIn(client, as: org.director).session
            let everyone = try await client.get("/board", headers: [.cookie: "kvota_session=\(director)"])
            #expect(everyone.text.contains("3 deals · €3,000") && everyone.text.contains("Elsewhere Oy"))
            #expect(everyone.text.contains(">\(org.stranger.name)</option>"), "a director narrows it to anyone")
            let narrowed = try await client.get("/board?owner=\(org.stranger.id)", headers: [.cookie: "kvota_session=\(director)"])
            #expect(narrowed.text.contains("1 deal · €1,000") && !narrowed.text.contains("Nordvind AB"))
        }
    }

    /// A column shows its newest 30 cards, newest first, and counts them all; a closed column only the deals closed
    /// since the board's cut-off.
    @Test(arguments: TestDatabase.engines)
    func aColumnShowsItsNewestCardsAndCountsThemAll(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { _, org in
            let setup = try await Self.setUp(org)
            let (_, admin) = try #require(try await org.database.signedInUser(org.admin.id))
            var offers = [setup.deal]
            for _ in 0..<34 { offers.append(try await setup.records.deal(account: setup.account, owner: org.rep.id)) }
            let since = org.clock.now.addingTimeInterval(-30 * 86_400)
            let recent = try await setup.records.deal(account: setup.account, owner: org.rep.id, status: "won")
            let old = try await setup.records.deal(account: setup.account, owner: org.rep.id, status: "won")
            let elsewhere = try await setup.records.deal(account: setup.account, owner: org.teammate.id)
            try await org.database.write { sql in
                // Changed in a shuffled order, so the newest are not simply the last made.
                for (place, deal) in offers.shuffled().enumerated() {
                    try await sql.raw("UPDATE deals SET updated_at = \(bind: 1_000 * Int64(place + 1)) WHERE id = \(bind: deal)").run()
                }
                for (deal, closed) in [(recent, since.addingTimeInterval(3_600)), (old, since.addingTimeInterval(-3_600))] {
                    try await sql.raw("""
                        UPDATE deals SET stage_id = \(bind: setup.won), closed_at = \(bind: closed.epochMilliseconds),
                            closed_on = \(bind: LocalDate(closed, in: TimeZone(identifier: "UTC")!).key) WHERE id = \(bind: deal)
                        """).run()
                }
            }
            let board = try await org.database.board(Pipeline.ID(setup.pipeline.rawValue), filter: Board.Filter(ownerID: org.rep.id),
                                                     closedSince: since, for: admin)
            let offer = try #require(board.columns.first { $0.stage.id.rawValue == setup.offer })
            #expect(offer.count == 35 && offer.cards.count == Board.cardsPerColumn)
            let newest = try await org.database.read { sql in
                try await sql.raw("""
                    SELECT id FROM deals WHERE stage_id = \(bind: setup.offer) AND owner_id = \(bind: org.rep.id.rawValue)
                    ORDER BY updated_at DESC, id DESC LIMIT 30
                    """).all().map { try $0.decode(column: "id", as: Int64.self) }
            }
            #expect(offer.cards.map(\.deal.id.rawValue) == newest)
            #expect(!offer.cards.contains { $0.deal.id.rawValue == elsewhere })
            let won = try #require(board.columns.first { $0.stage.id.rawValue == setup.won })
            #expect(won.count == 1 && won.cards.map(\.deal.id.rawValue) == [recent], "the deal closed before the cut-off is off the board")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func movingAskForWhatTheStageRequiresThenMoves(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let setup = try await Self.setUp(org)
            let (_, rep) = try #require(try await org.database.signedInUser(org.rep.id))
            let contact = try await setup.person(org)
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]

            let asked = try await client.postForm("/deals/\(setup.deal)/move", [("_csrf", csrf), ("stage", String(setup.proposal)),
                                                                                ("version", "1"), ("return", "/board")], headers: cookie)
            #expect(asked.status == .unprocessableContent)
            #expect(asked.text.contains("Move “Deal” to Proposal"))
            #expect(asked.text.contains(#"name="expectedClose""#) && asked.text.contains(#"name="contact""#))
            #expect(asked.text.contains("is required in stage &apos;Proposal&apos;") || asked.text.contains("is required in stage 'Proposal'"))
            #expect(asked.text.contains("Petra Lind"), "the account's people to choose from")
            #expect(!asked.text.contains(#"name="lossReason""#))
            #expect(try await org.database.deal(Deal.ID(setup.deal), for: rep).stageID.rawValue == setup.offer, "nothing moved")

            let badDate = try await client.postForm("/deals/\(setup.deal)/move", [
                ("_csrf", csrf), ("stage", String(setup.proposal)), ("version", "1"), ("return", "/board"),
                ("expectedClose", "next week"), ("contact", String(contact.id.rawValue))], headers: cookie)
            #expect(badDate.status == .unprocessableContent && badDate.text.contains("Enter a date such as 2026-12-31."))
            #expect(badDate.text.contains(#"value="next week""#), "what was typed stays")

            let moved = try await client.postForm("/deals/\(setup.deal)/move", [
                ("_csrf", csrf), ("stage", String(setup.proposal)), ("version", "1"), ("return", "/board"),
                ("expectedClose", "2026-12-31"), ("contact", String(contact.id.rawValue))], headers: cookie)
            #expect(moved.status == .seeOther && moved.headers[.location] == "/board")
            let deal = try await org.database.deal(Deal.ID(setup.deal), for: rep)
            #expect(deal.stageID.rawValue == setup.proposal && deal.contactID == contact.id)
            #expect(try await org.database.stageHistory(of: deal.id, for: rep).last?.stageID.rawValue == setup.proposal)
            let flash = try #require(moved.cookie("kvota_flash"))
            let board = try await client.get("/board", headers: [.cookie: "kvota_session=\(session); kvota_flash=\(flash.value)"])
            #expect(board.text.contains("The deal is moved."))
            #expect(board.text.contains("0 days in stage"))

            let lostAsked = try await client.postForm("/deals/\(setup.deal)/move", [("_csrf", csrf), ("stage", String(setup.lost)),
                                                                                    ("version", "2")], headers: cookie)
            #expect(lostAsked.status == .unprocessableContent && lostAsked.text.contains("Price too high"))
            let lost = try await client.postForm("/deals/\(setup.deal)/move", [("_csrf", csrf), ("stage", String(setup.lost)),
                                                                               ("version", "2"), ("lossReason", "Price too high")],
                                                 headers: cookie)
            #expect(lost.status == .seeOther)
            #expect(try await org.database.deal(Deal.ID(setup.deal), for: rep).status == .lost)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aStaleCardOrSomeoneElsesDealIsNotMoved(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let setup = try await Self.setUp(org)
            let (_, rep) = try #require(try await org.database.signedInUser(org.rep.id))
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let stale = try await client.postForm("/deals/\(setup.deal)/move", [("_csrf", csrf), ("stage", String(setup.won)),
                                                                                ("version", "7"), ("return", "/board")], headers: cookie)
            #expect(stale.status == .seeOther && stale.cookie("kvota_flash")?.value == "error:board.changed_elsewhere")
            #expect(try await org.database.deal(Deal.ID(setup.deal), for: rep).status == .open)

            let (strangerSession, strangerCSRF) = try await BrowserSignInTests.signIn(client, as: org.stranger)
            let foreign = try await client.postForm("/deals/\(setup.deal)/move", [("_csrf", strangerCSRF), ("stage", String(setup.won))],
                                                    headers: [.cookie: "kvota_session=\(strangerSession)"])
            #expect(foreign.status == .notFound)
            #expect(try await org.database.deal(Deal.ID(setup.deal), for: rep).status == .open)
            let offsite = try await client.postForm("/deals/\(setup.deal)/move", [("_csrf", csrf), ("stage", String(setup.offer)),
                                                                                  ("return", "https://evil.example/")], headers: cookie)
            #expect(offsite.headers[.location] == "/board", "only local paths are followed back")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theBoardInRussianUsesRussianNumbers(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let setup = try await Self.setUp(org)
            for _ in 1...4 { _ = try await setup.records.deal(account: setup.account, owner: org.rep.id) }
            _ = try await org.database.updateUser(org.rep.id, UserPatch(language: .ru), expectedVersion: nil, by: nil, at: Date())
            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let board = try await client.get("/board", headers: [.cookie: "kvota_session=\(session)"])
            #expect(board.text.contains("Воронка продаж"))
            #expect(board.text.contains("5 сделок · 5\u{A0}000\u{A0}€"))
            #expect(board.text.contains("Переместить в…"))
        }
    }
}
