import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import KvotaWeb
import Testing

/// Outgoing webhooks (issue 11): admins subscribe an address to events; each event is posted signed, once per
/// subscription, from a queue in the database that outlives the server; a failing receiver is retried on the schedule
/// for a day, then its subscription is paused and the admins are told. A receiver on 127.0.0.1, both engines.
@Suite struct WebhooksAPITests {
    struct Subscription: Decodable {
        let id: Int64
        let url: String
        let description: String
        let events: [String]
        let state: String
        let pausedReason: String?
        let version: Int64
        let secret: String?
    }

    struct Delivery: Decodable {
        let id: Int64
        let event: String
        let eventId: String
        let status: String
        let attempts: Int
        let nextAttemptAt: Date?
        let responseStatus: Int?
        let lastError: String?
    }

    struct Items<T: Decodable>: Decodable { let items: [T] }
    struct Created: Decodable { let id: Int64 }
    struct NewDeal: Encodable { let title: String; let accountId: Int64 }

    struct Body: Decodable {
        let id: String
        let event: String
        let actorId: Int64?
        let data: [String: JSONValue]
    }

    struct New: Encodable {
        var url: String?
        var description: String?
        var events: [String]?
        var state: String?
    }

    static let key = Data((0..<32).map { UInt8($0) })

    static func run(_ engine: DatabaseEngine, _ body: @escaping @Sendable (any TestClientProtocol, WebFixture, SecretBox) async throws -> Void) async throws {
        let secrets = try SecretBox(key: key)
        try await WebFixture.run(engine, configure: { $0.secrets = secrets }) { client, org in try await body(client, org, secrets) }
    }

    @Test(arguments: TestDatabase.engines)
    func subscriptionsAreTheAdminsAndTheSecretIsShownOnce(engine: DatabaseEngine) async throws {
        try await Self.run(engine) { client, org, _ in
            let admin = try await client.token(for: org.admin)
            let bad = try await client.post("/api/v1/webhooks", json: New(url: "ftp://hooks.example.com", events: ["deal.moved"]),
                                            token: admin)
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.problem().errors?.map(\.field).sorted() == ["events", "url"], "each problem once")
            let none = try await client.post("/api/v1/webhooks", json: New(url: "https://hooks.example.com/k", events: []), token: admin)
            #expect(try none.problem().errors?.map(\.field) == ["events"])

            let made = try await client.post("/api/v1/webhooks", json: New(url: "https://hooks.example.com/k", description: " ERP ",
                                                                           events: ["order.confirmed", "deal.won"]), token: admin)
            #expect(made.status == .created)
            let subscription = try made.json(Subscription.self)
            let secret = try #require(subscription.secret)
            #expect(secret.hasPrefix("kvw_") && secret.count > 40)
            #expect(subscription.events == ["deal.won", "order.confirmed"] && subscription.state == "active" && subscription.description == "ERP")

            let listed = try await client.get("/api/v1/webhooks", token: admin).json(Items<Subscription>.self).items
            #expect(listed.map(\.id) == [subscription.id] && listed[0].secret == nil, "the secret is shown once")
            let stored = try await org.database.read { sql in
                try await sql.raw("SELECT secret_sealed FROM webhook_subscriptions").first()!.decode(column: "secret_sealed", as: String.self)
            }
            #expect(!stored.contains(secret) && stored.hasPrefix("v1:"), "the database keeps it sealed")

            for user in [org.director, org.head, org.rep, org.analyst, org.desk] {
                let token = try await client.token(for: user)
                #expect(try await client.get("/api/v1/webhooks", token: token).status == .forbidden, "\(user.role)")
                #expect(try await client.post("/api/v1/webhooks", json: New(url: "https://x.example", events: ["deal.won"]), token: token).status
                    == .forbidden)
            }

            let paused = try await client.send(.patch, "/api/v1/webhooks/\(subscription.id)", json: New(state: "paused"), token: admin)
            #expect(try paused.problem().errors?.map(\.field) == ["state"])
            let stale = try await client.send(.patch, "/api/v1/webhooks/\(subscription.id)", json: New(state: "disabled"), token: admin,
                                              headers: [.ifMatch: "\"7\""])
            #expect(stale.status == .preconditionFailed)
            let off = try await client.send(.patch, "/api/v1/webhooks/\(subscription.id)", json: New(events: ["lead.created"], state: "disabled"),
                                            token: admin).json(Subscription.self)
            #expect(off.state == "disabled" && off.events == ["lead.created"] && off.version == 2)

            let replaced = try await client.post("/api/v1/webhooks/\(subscription.id)/secret", json: [String: String](), token: admin)
                .json(Subscription.self)
            #expect(replaced.secret != nil && replaced.secret != secret)

            #expect(try await client.delete("/api/v1/webhooks/\(subscription.id)", token: admin).status == .noContent)
            #expect(try await client.get("/api/v1/webhooks/\(subscription.id)", token: admin).status == .notFound)
            let trail = try await org.database.auditTrail(entity: "webhook", id: subscription.id)
            #expect(trail.map(\.action) == ["create", "update", "update", "delete"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func eventsArePostedSignedOncePerSubscriptionAndLogged(engine: DatabaseEngine) async throws {
        try await Self.run(engine) { client, org, secrets in
            let receiver = WebhookReceiver()
            try await receiver.run { url in
                let admin = try await client.token(for: org.admin)
                let all = WebhookEvent.allCases.map(\.rawValue)
                let subscription = try await client.post("/api/v1/webhooks", json: New(url: url, events: all), token: admin)
                    .json(Subscription.self)
                let secret = try #require(subscription.secret)
                // A subscription turned off hears nothing.
                _ = try await client.post("/api/v1/webhooks", json: New(url: url + "?off", events: all, state: "disabled"), token: admin)

                let records = try await TestRecords.make(org.database)
                let won = try await records.stage("Won", position: 8, outcome: "won", probability: 100)
                let account = try await records.account(owner: org.rep.id)
                let rep = try await client.token(for: org.rep)
                let lead = try await client.post("/api/v1/leads", json: ["source": "web_form", "name": "Olga"], token: rep)
                #expect(lead.status == .created)
                let deal = try await client.post("/api/v1/deals", json: NewDeal(title: "Forklifts", accountId: account), token: rep)
                #expect(deal.status == .created)
                let dealID = try deal.json(Created.self).id
                #expect(try await client.send(.patch, "/api/v1/deals/\(dealID)", json: ["stageId": won], token: rep).status == .ok)
                let (_, desk) = try #require(try await org.database.signedInUser(org.desk.id))
                let draft = try #require(try await org.database.orders(OrderFilter(status: .draft), for: desk).items.first)
                let deskToken = try await client.token(for: org.desk)
                #expect(try await client.send(.patch, "/api/v1/orders/\(draft.id)", json: ["status": "confirmed"], token: deskToken).status == .ok)
                _ = try await org.database.recordCalls([PBXCall(
                    id: "m-1", direction: .inbound, externalNumber: "+46701234567", internalNumber: "100", answeredBy: nil, rang: ["305"],
                    startedAt: org.clock.now.addingTimeInterval(-60), answeredAt: nil, endedAt: org.clock.now.addingTimeInterval(-40),
                    talkSeconds: 0, disposition: .noAnswer)], at: org.clock.now)
                // An import moves history in: its leads are not news.
                let imported = try await ImportsAPITests().upload(client, "/api/v1/imports/leads",
                                                                  "external_id;name;source\nX-1;Imported Ivan;Web form\n", token: admin)
                #expect(imported.status == .ok)

                try await withDispatcher(org, secrets: secrets) { dispatcher in
                    let round1 = try await dispatcher.round()
                    #expect(round1 == 7)
                    let round2 = try await dispatcher.round()
                    #expect(round2 == 0, "each delivery is posted once")
                }
                let posts = receiver.received
                #expect(posts.compactMap(\.event).sorted() == ["call.missed", "deal.stage_changed", "deal.won", "lead.assigned", "lead.created",
                                                                "lead.created", "order.confirmed"].sorted())
                #expect(posts.allSatisfy { WebhookReceiver.verifies($0, secret: secret) }, "signed with the subscription's secret")
                #expect(!posts.contains { WebhookReceiver.verifies($0, secret: secret + "x") })
                let bodies = try posts.map { try JSONDecoder().decode(Body.self, from: Data($0.body.utf8)) }
                #expect(zip(posts, bodies).allSatisfy { $0.event == $1.event && $0.header("Kvota-Event-Id") == $1.id })
                let wonBody = try #require(bodies.first { $0.event == "deal.won" })
                #expect(wonBody.actorId == org.rep.id.rawValue && wonBody.data["id"] == .number(Double(dealID))
                        && wonBody.data["stageId"] == .number(Double(won)) && wonBody.data["status"] == .string("won"))
                let confirmed = try #require(bodies.first { $0.event == "order.confirmed" })
                #expect(confirmed.data["id"] == .number(Double(draft.id.rawValue)) && confirmed.data["status"] == .string("confirmed"))
                #expect(confirmed.data["orderedOn"] == .string(LocalDate(org.clock.now, in: .gmt).iso), "a day as the API writes one")
                let missed = try #require(bodies.first { $0.event == "call.missed" })
                #expect(missed.actorId == nil && missed.data["number"] == .string("+46701234567"))
                #expect(!bodies.contains { $0.data["name"] == .string("Imported Ivan") })

                let log = try await client.get("/api/v1/webhooks/\(subscription.id)/deliveries", token: admin).json(Items<Delivery>.self).items
                #expect(log.count == 7 && log.allSatisfy { $0.status == "delivered" && $0.attempts == 1 && $0.responseStatus == 200 })
                let filtered = try await client.get("/api/v1/webhooks/\(subscription.id)/deliveries?status=failed", token: admin)
                #expect(try filtered.json(Items<Delivery>.self).items.isEmpty)
                let badQuery = try await client.get("/api/v1/webhooks/\(subscription.id)/deliveries?status=lost&limit=0", token: admin)
                #expect(Set(try badQuery.problem().errors?.map(\.field) ?? []) == ["status", "limit"])
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aFailingReceiverIsRetriedForADayThenPausedAndTheAdminsAreTold(engine: DatabaseEngine) async throws {
        try await Self.run(engine) { client, org, secrets in
            let receiver = WebhookReceiver()
            receiver.answer(.internalServerError)
            try await receiver.run { url in
                let admin = try await client.token(for: org.admin)
                let subscription = try await client.post("/api/v1/webhooks", json: New(url: url, events: ["lead.created", "alert.raised"]),
                                                         token: admin).json(Subscription.self)
                let rep = try await client.token(for: org.rep)
                #expect(try await client.post("/api/v1/leads", json: ["source": "web_form", "name": "Olga"], token: rep).status == .created)
                let start = org.clock.now

                // The lead's delivery: the oldest (the alert's comes later).
                func delivery() async throws -> Delivery {
                    try #require(try await client.get("/api/v1/webhooks/\(subscription.id)/deliveries", token: admin)
                        .json(Items<Delivery>.self).items.last)
                }
                try await withDispatcher(org, secrets: secrets) { dispatcher in
                    let round3 = try await dispatcher.round()
                    #expect(round3 == 1)
                    var first = try await delivery()
                    #expect(first.status == "pending" && first.attempts == 1 && first.responseStatus == 500)
                    #expect(first.lastError?.contains("500") == true && first.nextAttemptAt == start.addingTimeInterval(30))
                    org.clock.advance(29)
                    let round4 = try await dispatcher.round()
                    #expect(round4 == 0, "not before its time")
                    org.clock.advance(1)
                    let round5 = try await dispatcher.round()
                    #expect(round5 == 1)
                    first = try await delivery()
                    #expect(first.attempts == 2 && first.nextAttemptAt == org.clock.now.addingTimeInterval(60))

                    var times = [0.0, 30.0]
                    while let next = try await delivery().nextAttemptAt, times.count < 20 {
                        org.clock.advance(next.timeIntervalSince(org.clock.now))
                        times.append(org.clock.now.timeIntervalSince(start))
                        let round6 = try await dispatcher.round()
                        #expect(round6 == 1)
                    }
                    #expect(times == [0, 30, 90, 210, 450, 930, 1890, 3810, 7650, 15_330, 29_730, 44_130, 58_530, 72_930])
                    let given = try await delivery()
                    #expect(given.status == "failed" && given.attempts == 14)

                    let paused = try await client.get("/api/v1/webhooks/\(subscription.id)", token: admin).json(Subscription.self)
                    #expect(paused.state == "paused" && paused.pausedReason?.contains("500") == true)
                    struct Alerts: Decodable { struct Item: Decodable { let rule: String; let subjectId: Int64; let title: String }; let items: [Item] }
                    let told = try await client.get("/api/v1/alerts", token: admin).json(Alerts.self).items
                    #expect(told.map(\.rule) == ["webhook_paused"] && told[0].subjectId == subscription.id && told[0].title == url)
                    #expect(try await client.get("/api/v1/alerts", token: org.directorToken(client)).json(Alerts.self).items.isEmpty,
                            "the admins' matter")

                    // Paused, events still queue (the alert's own among them) but nothing is posted.
                    #expect(try await client.post("/api/v1/leads", json: ["source": "web_form", "name": "Ivan"], token: rep).status == .created)
                    org.clock.advance(3600)
                    let round7 = try await dispatcher.round()
                    #expect(round7 == 0)
                    let waiting = try await client.get("/api/v1/webhooks/\(subscription.id)/deliveries?status=pending", token: admin)
                        .json(Items<Delivery>.self).items
                    #expect(Set(waiting.map(\.event)) == ["lead.created", "alert.raised"])

                    // The receiver is mended and the admin resumes: what waited goes at once, and the failed one on asking.
                    receiver.answer(.noContent)
                    let resumed = try await client.send(.patch, "/api/v1/webhooks/\(subscription.id)", json: New(state: "active"), token: admin)
                        .json(Subscription.self)
                    #expect(resumed.state == "active" && resumed.pausedReason == nil)
                    let round8 = try await dispatcher.round()
                    #expect(round8 == 2)
                    let retried = try await client.post("/api/v1/webhooks/\(subscription.id)/deliveries/\(given.id)/retry",
                                                        json: [String: String](), token: admin).json(Delivery.self)
                    #expect(retried.status == "pending" && retried.attempts == 14)
                    let round9 = try await dispatcher.round()
                    #expect(round9 == 1)
                    let again = try await client.post("/api/v1/webhooks/\(subscription.id)/deliveries/\(given.id)/retry",
                                                      json: [String: String](), token: admin)
                    #expect(try again.problem().errors?.map(\.field) == ["status"], "a delivered one is not posted twice")
                }
                let log = try await client.get("/api/v1/webhooks/\(subscription.id)/deliveries", token: admin).json(Items<Delivery>.self).items
                #expect(log.count == 3 && log.allSatisfy { $0.status == "delivered" && $0.responseStatus == 204 }, "\(log)")
                #expect(receiver.received.count == 14 + 3)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theQueueOutlivesTheServerThatFilledIt(engine: DatabaseEngine) async throws {
        try await Self.run(engine) { client, org, secrets in
            let receiver = WebhookReceiver()
            try await receiver.run { url in
                let admin = try await client.token(for: org.admin)
                let subscription = try await client.post("/api/v1/webhooks", json: New(url: url, events: ["lead.created"]), token: admin)
                    .json(Subscription.self)
                let rep = try await client.token(for: org.rep)
                #expect(try await client.post("/api/v1/leads", json: ["source": "web_form", "name": "Olga"], token: rep).status == .created)

                // A server claims the delivery and dies before posting it: the claim runs out and another server posts it.
                #expect(try await org.database.claimWebhookDeliveries(at: org.clock.now, limit: 10).count == 1)
                try await withDispatcher(org, secrets: secrets) { dispatcher in
                    let round10 = try await dispatcher.round()
                    #expect(round10 == 0, "claimed by the server that died")
                    org.clock.advance(121)
                    let round11 = try await dispatcher.round()
                    #expect(round11 == 1)
                }
                #expect(receiver.received.count == 1)

                // A server with another key cannot open the secret and says what to do.
                #expect(try await client.post("/api/v1/leads", json: ["source": "web_form", "name": "Ivan"], token: rep).status == .created)
                try await withDispatcher(org, secrets: .ephemeral()) { dispatcher in
                    let round12 = try await dispatcher.round()
                    #expect(round12 == 1)
                }
                let failed = try #require(try await client.get("/api/v1/webhooks/\(subscription.id)/deliveries?status=pending", token: admin)
                    .json(Items<Delivery>.self).items.first)
                #expect(failed.lastError?.contains("another server key") == true && failed.responseStatus == nil)
                #expect(receiver.received.count == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theServerPostsOnItsOwnSchedule(engine: DatabaseEngine) async throws {
        let secrets = try SecretBox(key: Self.key)
        try await WebFixture.run(engine, configure: { $0.secrets = secrets; $0.webhooksEverySeconds = 1 }) { client, org in
            let receiver = WebhookReceiver()
            try await receiver.run { url in
                let admin = try await client.token(for: org.admin)
                let made = try await client.post("/api/v1/webhooks", json: New(url: url, events: ["lead.created"]), token: admin)
                #expect(made.status == .created)
                let rep = try await client.token(for: org.rep)
                #expect(try await client.post("/api/v1/leads", json: ["source": "web_form", "name": "Olga"], token: rep).status == .created)
                // The app's own round (every second) posts it; no test code calls the dispatcher here.
                try await Poll.until { !receiver.received.isEmpty }
                #expect(receiver.received.map(\.event) == ["lead.created"])
            }
        }
    }

    @Test func theServerKeyIsMadeOnceReadableByItsOwnerOnlyAndChecked() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kvota-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("kvota.key").path
        let first = try SecretBox.keyFile(path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let sealed = try first.seal("kvw_secret")
        #expect(try SecretBox.keyFile(path).open(sealed) == "kvw_secret", "the same key on the next start")
        #expect(SecretBox.ephemeral().open(sealed) == nil)
        #expect(first.open("v1:" + String(sealed.dropFirst(3).reversed())) == nil)
        try "not a key".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: StoreError.self) { try SecretBox.keyFile(path) }
        #expect(throws: StoreError.self) { try SecretBox(key: Data(count: 16)) }
    }
}

extension WebFixture {
    func directorToken(_ client: any TestClientProtocol) async throws -> String { try await client.token(for: director) }
}
