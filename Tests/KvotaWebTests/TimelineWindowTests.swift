import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing
@testable import KvotaWeb

/// A record page shows its timeline a window at a time: a deal moved back and forth for years costs its page what
/// any other deal does, and following the "older" links shows every line exactly once.
@Suite struct TimelineWindowTests {
    @Test(arguments: TestDatabase.engines)
    func aLongHistoryIsShownAWindowAtATimeAndEveryLineOnce(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let setup = try await BoardPageTests.setUp(org)
            let talks = try await setup.records.stage("Talks", position: 5, outcome: "open", probability: 30)
            let (_, rep) = try #require(try await org.database.signedInUser(org.rep.id))
            let deal = Deal.ID(setup.deal)
            // Stages after the proposal ask for a close date and a contact.
            var facts = DealPatch()
            facts.expectedClose = .some(try LocalDate(iso: "2027-03-31"))
            facts.contactID = .some(try await setup.person(org).id)
            _ = try await org.database.updateDeal(deal, facts, expectedVersion: nil, by: rep, at: org.clock.now)
            var visit = ActivityPatch()
            visit.kind = .meeting
            visit.subject = "Visit planned long ago"
            visit.dealID = .some(deal)
            visit.dueAt = .some(org.clock.now.addingTimeInterval(90 * 86_400))
            _ = try await org.database.addActivity(visit, by: rep, at: org.clock.now)
            for step in 0..<70 {
                org.clock.advance(60)
                var move = DealPatch()
                move.stageID = Stage.ID(step.isMultiple(of: 2) ? talks : setup.offer)
                _ = try await org.database.updateDeal(deal, move, expectedVersion: nil, by: rep, at: org.clock.now)
                if step < 60 {
                    org.clock.advance(1)
                    var note = ActivityPatch()
                    note.kind = .note
                    note.subject = "Check-in \(100 + step)"
                    note.dealID = .some(deal)
                    _ = try await org.database.addActivity(note, by: rep, at: org.clock.now)
                }
            }
            let moves = try await org.database.stageHistory(of: deal, for: rep).count
            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]

            var path: String? = "/deals/\(deal)"
            var windows: [String] = []
            while let next = path, windows.count < 20 {
                let page = try await client.get(next, headers: cookie)
                #expect(page.status == .ok, "\(next)")
                let timeline = String(page.text[try #require(page.text.range(of: #"<section id="timeline">"#)).lowerBound...])
                windows.append(timeline)
                path = try #/href="(/deals/\d+\?before=\d+#timeline)"/#.firstMatch(in: timeline).map { String($0.1) }
                #expect(windows.count == 1 || timeline.contains(#"href="/deals/\#(deal)#timeline""#), "a way back to the latest")
            }
            let first = try await client.get("/deals/\(deal)", headers: cookie).text
            #expect(windows.count >= 2 && windows.count < 20, "\(windows.count) windows")
            #expect(windows[0].components(separatedBy: "<li><time").count - 1 <= 3 * TimelineWindow.perSource)
            #expect(first.contains("Visit planned long ago"), "an open meeting shows however old it is")
            let all = windows.joined()
            for step in 0..<60 {
                #expect(all.components(separatedBy: "Check-in \(100 + step)<").count == 2, "note \(step) once")
            }
            #expect(all.components(separatedBy: "Entered stage").count - 1 == moves, "every stage entered once")
            #expect(all.components(separatedBy: "Meeting: Visit planned long ago").count == 2)

            #expect(try await client.get("/deals/\(deal)?before=yesterday", headers: cookie).status == .badRequest)
        }
    }

    @Test func aWindowEndsWhereAFullSourceStopsSoNoLineIsSkipped() {
        func events(_ seconds: [Int], _ title: String) -> [TimelineEvent] {
            seconds.map { TimelineEvent(at: Date(timeIntervalSince1970: Double($0)), title: title, detail: nil, by: nil) }
        }
        func moments(_ seconds: [Int]) -> [Date] { seconds.map { Date(timeIntervalSince1970: Double($0)) } }
        // Activities gave all three asked for (so older ones may remain); the audit gave two of three (all it has).
        let window = TimelineWindow([
            .init(events: events([90, 80, 70], "activity"), read: moments([90, 80, 70]), limit: 3),
            .init(events: events([85, 40], "audit"), read: moments([85, 40]), limit: 3),
        ], start: nil)
        #expect(window.events.map { Int($0.at.timeIntervalSince1970) } == [90, 85, 80])
        #expect(window.older == Date(timeIntervalSince1970: 70.001), "the next window starts with the line at 70")

        let everything = TimelineWindow([.init(events: events([5, 3], "audit"), read: moments([5, 3]), limit: 3)], start: nil)
        #expect(everything.events.count == 2 && everything.older == nil)

        // An audit line that makes no timeline line still counts as read.
        let skipped = TimelineWindow([.init(events: [], read: moments([50, 50, 50]), limit: 3),
                                      .init(events: events([60, 50, 10], "activity"), read: moments([60, 50, 10]), limit: 4)],
                                     start: nil)
        #expect(skipped.events.map { Int($0.at.timeIntervalSince1970) } == [60])
        #expect(skipped.older == Date(timeIntervalSince1970: 50.001))

        // A full source whose whole window is one millisecond: that millisecond shows, and the next window starts
        // below it, so nothing shows twice.
        let tied = TimelineWindow([.init(events: events([20, 20], "move"), read: moments([20, 20]), limit: 2),
                                   .init(events: events([20, 15], "note"), read: moments([20, 15]), limit: 3)], start: nil)
        #expect(tied.events.map { Int($0.at.timeIntervalSince1970) } == [20, 20, 20])
        #expect(tied.older == Date(timeIntervalSince1970: 20))
    }
}
