import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The deal page: its facts, the stage's script and checklist, the timeline, quick actions, winning (which makes a
/// draft order for the desk) and losing; and no way in for a rep who does not own the deal.
@Suite struct DealPageTests {
    @Test(arguments: TestDatabase.engines)
    func theDealPageShowsTheDealItsStageGuideAndTimeline(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let setup = try await BoardPageTests.setUp(org)
            let (_, admin) = try #require(try await org.database.signedInUser(org.admin.id))
            _ = try await org.database.updateStage(Stage.ID(setup.offer), of: setup.pipeline,
                                                   StagePatch(script: .some("Ask about their delivery schedule."), checklist: ["Budget known"]),
                                                   expectedVersion: nil, by: admin, at: org.clock.now)
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let page = try await client.get("/deals/\(setup.deal)", headers: cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("Nordvind AB") && page.text.contains("€1,000.00"))
            #expect(page.text.contains("Ask about their delivery schedule.") && page.text.contains("Budget known"))
            #expect(page.text.contains("Nothing planned."))

            let call = try await client.postForm("/deals/\(setup.deal)/activities", [
                ("_csrf", csrf), ("form", "call"), ("subject", "Discussed volumes"), ("direction", "outbound"),
                ("outcome", "answered"), ("minutes", "12")], headers: cookie)
            #expect(call.status == .seeOther && call.headers[.location] == "/deals/\(setup.deal)")
            let task = try await client.postForm("/deals/\(setup.deal)/activities", [
                ("_csrf", csrf), ("form", "planned"), ("kind", "meeting"), ("subject", "Visit the warehouse"),
                ("due", "2026-12-01T10:30")], headers: cookie)
            #expect(task.status == .seeOther)
            let noDue = try await client.postForm("/deals/\(setup.deal)/activities", [
                ("_csrf", csrf), ("form", "planned"), ("kind", "task"), ("subject", "Without a time"), ("due", "")], headers: cookie)
            #expect(noDue.status == .unprocessableContent && noDue.text.contains("Choose a date and time."))
            #expect(noDue.text.contains(#"<details open="#) || noDue.text.contains("<details open>"), "the form with the problem is open")

            let after = try await client.get("/deals/\(setup.deal)", headers: cookie).text
            #expect(after.contains("Call: Discussed volumes") && after.contains("Outbound, Answered, 12 min"))
            #expect(after.contains("Meeting: Visit the warehouse"))
            #expect(after.contains("1 Dec 2026 at 10:30") || after.contains("1 Dec 2026, 10:30"), "due in the company's zone")
            let (_, rep) = try #require(try await org.database.signedInUser(org.rep.id))
            let meeting = try #require(try await org.database.activities(ActivityFilter(dealID: Deal.ID(setup.deal), done: false), for: rep)
                .items.first)
            let done = try await client.postForm("/activities/\(meeting.id)/done", [("_csrf", csrf), ("return", "/deals/\(setup.deal)")],
                                                 headers: cookie)
            #expect(done.status == .seeOther && done.headers[.location] == "/deals/\(setup.deal)")
            #expect(try await org.database.activity(meeting.id, for: rep).doneAt != nil)
        }
    }

    /// A rep's deal or lead on a colleague's account: a note from its page is the deal's or the lead's, and the
    /// account the rep may not see is left off it rather than refusing the note. The rep's own account is linked as ever.
    @Test(arguments: TestDatabase.engines)
    func aNoteOnADealOrLeadOfAColleaguesAccountIsTheirs(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let theirs = try await records.account(owner: org.teammate.id, name: "Teammate's account")
            let mine = try await records.account(owner: org.rep.id, name: "Rep's account")
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let (_, rep) = try #require(try await org.database.signedInUser(org.rep.id))
            for (account, linked) in [(theirs, false), (mine, true)] {
                let deal = try await records.deal(account: account, owner: org.rep.id)
                let note = try await client.postForm("/deals/\(deal)/activities", [("_csrf", csrf), ("form", "note"), ("subject", "Called back")],
                                                     headers: cookie)
                #expect(note.status == .seeOther, "account \(account)")
                let activity = try #require(try await org.database.activities(ActivityFilter(dealID: Deal.ID(deal)), for: rep).items.first)
                #expect(activity.accountID == (linked ? Account.ID(account) : nil))

                let lead = try await records.lead(owner: org.rep.id, account: account)
                let leadNote = try await client.postForm("/leads/\(lead)/activities", [("_csrf", csrf), ("form", "note"), ("subject", "Asked")],
                                                         headers: cookie)
                #expect(leadNote.status == .seeOther, "lead of account \(account)")
                let onLead = try #require(try await org.database.activities(ActivityFilter(leadID: Lead.ID(lead)), for: rep).items.first)
                #expect(onLead.accountID == (linked ? Account.ID(account) : nil))
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func winningMakesADraftOrderAndLosingNeedsAReason(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let setup = try await BoardPageTests.setUp(org)
            let second = try await setup.records.deal(account: setup.account, owner: org.rep.id)
            let contact = try await setup.person(org)
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let path = "/deals/\(setup.deal)"

            let won = try await client.postForm("\(path)/move", [
                ("_csrf", csrf), ("stage", String(setup.won)), ("version", "1"), ("return", path),
                ("expectedClose", "2026-12-31"), ("contact", String(contact.id.rawValue))], headers: cookie)
            #expect(won.status == .seeOther && won.headers[.location] == path)
            let page = try await client.get(path, headers: cookie).text
            #expect(page.contains(#"class="badge won""#) && page.contains("Entered stage Won"))
            let drafts = try await org.database.orders(OrderFilter(status: .draft), for: try #require(try await org.database.signedInUser(org.desk.id)).1)
            #expect(drafts.items.count == 1 && drafts.items.first?.dealID == Deal.ID(setup.deal))

            let noReason = try await client.postForm("/deals/\(second)/move", [
                ("_csrf", csrf), ("stage", String(setup.lost)), ("version", "1"), ("return", "/deals/\(second)"), ("lossReason", "")],
                headers: cookie)
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("is required when a deal is lost"))
            let lost = try await client.postForm("/deals/\(second)/move", [
                ("_csrf", csrf), ("stage", String(setup.lost)), ("version", "1"), ("return", "/deals/\(second)"),
                ("lossReason", "Price too high")], headers: cookie)
            #expect(lost.status == .seeOther)
            #expect(try await client.get("/deals/\(second)", headers: cookie).text.contains("Price too high"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aRepCannotOpenAnotherRepsDealByItsURL(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let setup = try await BoardPageTests.setUp(org)
            let (stranger, csrf) = try await BrowserSignInTests.signIn(client, as: org.stranger)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(stranger)"]
            let page = try await client.get("/deals/\(setup.deal)", headers: cookie)
            #expect(page.status == .notFound && !page.text.contains("Nordvind AB"))
            let note = try await client.postForm("/deals/\(setup.deal)/activities", [("_csrf", csrf), ("form", "note"), ("subject", "Sneaky")],
                                                 headers: cookie)
            #expect(note.status == .notFound)
            let (head, _) = try await BrowserSignInTests.signIn(client, as: org.head)
            #expect(try await client.get("/deals/\(setup.deal)", headers: [.cookie: "kvota_session=\(head)"]).status == .ok,
                    "the rep's head sees it")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aRepsDealOnAColleaguesAccountStillShowsWhoseItIs(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let theirs = try await records.account(owner: org.teammate.id, name: "Tove's Customer AB")
            let deal = try await records.deal(account: theirs, owner: org.rep.id)
            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let page = try await client.get("/deals/\(deal)", headers: [.cookie: "kvota_session=\(session)"])
            #expect(page.status == .ok)
            #expect(page.text.contains("Tove&apos;s Customer AB") || page.text.contains("Tove's Customer AB"))
            #expect(try await client.get("/accounts/\(theirs)", headers: [.cookie: "kvota_session=\(session)"]).status == .notFound,
                    "the name, not the account")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theEditFormChangesTheFactsAndAStaleOneChangesNothing(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id, name: "Nordvind AB")
            let contact = try await records.contact(account: account, name: "Eva Lind")
            let deal = try await records.deal(account: account, owner: org.rep.id)
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let page = try await client.get("/deals/\(deal)", headers: cookie)
            #expect(page.text.contains(#"data-edit="amount""#) && page.text.contains(#"id="deal-edit""#))

            let bad = try await client.postForm("/deals/\(deal)/edit", [("_csrf", csrf), ("title", "Cranes"), ("amount", "a lot"), ("expectedClose", "soon"),
                                                                       ("contact", ""), ("version", "1")], headers: cookie)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains(#"id="edit-amount-error""#) && bad.text.contains(#"id="edit-expectedClose-error""#) && bad.text.contains(#"value="Cranes""#))
            let saved = try await client.postForm("/deals/\(deal)/edit", [("_csrf", csrf), ("title", "Cranes"), ("amount", "12 500,50"),
                                                                         ("expectedClose", "2026-12-20"), ("contact", String(contact)), ("version", "1")],
                                                  headers: cookie)
            #expect(saved.status == .seeOther)
            let rep = try #require(try await org.database.signedInUser(org.rep.id)).1
            let changed = try await org.database.deal(Deal.ID(deal), for: rep)
            #expect(changed.title == "Cranes" && changed.amount.minorUnits == 1_250_050 && changed.expectedClose?.iso == "2026-12-20"
                && changed.contactID == Contact.ID(contact))
            let stale = try await client.postForm("/deals/\(deal)/edit", [("_csrf", csrf), ("title", "Old"), ("version", "1")], headers: cookie)
            #expect(stale.status == .seeOther && stale.cookie("kvota_flash")?.value.contains("deal.changed_elsewhere") == true)
            #expect(try await org.database.deal(Deal.ID(deal), for: rep).title == "Cranes")

            // The forecast category: the stage's until the rep picks another; an unknown one is refused at its field.
            #expect(page.text.contains(#"data-edit="forecastCategory""#))
            let unknown = try await client.postForm("/deals/\(deal)/edit", [("_csrf", csrf), ("forecastCategory", "sure"), ("version", "2")],
                                                    headers: cookie)
            #expect(unknown.status == .unprocessableContent && unknown.text.contains(#"id="edit-forecastCategory-error""#))
            let committed = try await client.postForm("/deals/\(deal)/edit", [("_csrf", csrf), ("forecastCategory", "commit"), ("version", "2")],
                                                      headers: cookie)
            #expect(committed.status == .seeOther)
            #expect(try await org.database.deal(Deal.ID(deal), for: rep).forecastCategory == .commit)
        }
    }
}
