import Foundation
import Testing
@testable import KvotaCore

/// The order in which a new request finds its owner (docs/inbound.md): the existing owner, region rules nearest
/// first, source rules (a messenger's own before the source's), rules for any request; people away are passed over.
struct LeadAssignmentTests {
    // Regions: 1 Sweden ⊃ 2 Stockholm. Team 7: reps 10, 11, 12. Rita is 20, the Stockholm specialist.
    let rules = [
        AssignmentRule(id: 1, kind: .any, position: 1, teamID: 7),
        AssignmentRule(id: 2, kind: .region, position: 1, regionID: 1, teamID: 7),
        AssignmentRule(id: 3, kind: .region, position: 2, regionID: 2, userID: 20),
        AssignmentRule(id: 4, kind: .source, position: 1, source: .messenger, userID: 30),
        AssignmentRule(id: 5, kind: .source, position: 2, source: .messenger, channel: "telegram", userID: 31),
        AssignmentRule(id: 6, kind: .source, position: 3, source: .webForm, userID: 32, active: false),
    ]
    let everyone: Set<User.ID> = [10, 11, 12, 20, 30, 31, 32, 40]
    let members: [Team.ID: [User.ID]] = [7: [10, 11, 12]]

    func assign(_ request: LeadAssignment.Request, available: Set<User.ID>? = nil, rules: [AssignmentRule]? = nil) -> LeadAssignment.Outcome {
        LeadAssignment.assign(request, rules: rules ?? self.rules, active: everyone, available: available ?? everyone, members: members)
    }

    @Test func theExistingOwnerComesFirstEvenOffShift() {
        let outcome = assign(.init(existingOwner: 40, regions: [2, 1], source: .webForm, channel: nil), available: everyone.subtracting([40]))
        #expect(outcome == .init(ownerID: 40, reason: .existingOwner))
        let gone = LeadAssignment.assign(.init(existingOwner: 99, regions: [], source: .webForm, channel: nil), rules: [], active: everyone,
                                         available: everyone, members: members)
        #expect(gone == .init(ownerID: nil, reason: .none), "an owner who left is no owner")
    }

    @Test func theNearestRegionWinsThenItsParent() {
        #expect(assign(.init(existingOwner: nil, regions: [2, 1], source: .webForm, channel: nil)).ruleID == 3)
        let away = assign(.init(existingOwner: nil, regions: [2, 1], source: .webForm, channel: nil), available: everyone.subtracting([20]))
        #expect(away.ruleID == 2 && away.ownerID == 10, "Rita off shift: Sweden's team rule")
    }

    @Test func aMessengersOwnRuleComesBeforeTheSourcesAndRegionsBeforeBoth() {
        #expect(assign(.init(existingOwner: nil, regions: [], source: .messenger, channel: "telegram")).ownerID == 31)
        #expect(assign(.init(existingOwner: nil, regions: [], source: .messenger, channel: "viber")).ownerID == 30)
        #expect(assign(.init(existingOwner: nil, regions: [1], source: .messenger, channel: "telegram")).ruleID == 2)
        #expect(LeadAssignment.ordered(rules, for: .init(existingOwner: nil, regions: [2, 1], source: .messenger, channel: "telegram")).map(\.id)
                == [3, 2, 5, 4, 1])
    }

    @Test func aRetiredRuleIsSkippedAndNobodyLeftMeansThePool() {
        #expect(assign(.init(existingOwner: nil, regions: [], source: .webForm, channel: nil)).ruleID == 1, "rule 6 is retired")
        let nobody = assign(.init(existingOwner: nil, regions: [], source: .webForm, channel: nil), available: [20, 30, 31, 32])
        #expect(nobody == .init(ownerID: nil, reason: .none), "the team has nobody on shift")
    }

    @Test func roundRobinGoesOnFromTheLastAndWraps() {
        #expect(LeadAssignment.next(after: nil, among: [10, 11, 12]) == 10)
        #expect(LeadAssignment.next(after: 10, among: [10, 11, 12]) == 11)
        #expect(LeadAssignment.next(after: 12, among: [10, 11, 12]) == 10)
        #expect(LeadAssignment.next(after: 11, among: [10, 12]) == 12, "the last one went off shift: the one after them")
        #expect(LeadAssignment.next(after: 11, among: []) == nil)
        var rule = rules[0]
        rule.lastUserID = 11
        let outcome = assign(.init(existingOwner: nil, regions: [], source: .other, channel: nil), available: [10, 11], rules: [rule])
        #expect(outcome == .init(ownerID: 10, reason: .rule, ruleID: 1, roundRobinUser: 10), "12 is off shift, so after 11 comes 10")
    }

    @Test func aRuleNeedsItsMatchAndOneTarget() {
        var errors = ValidationFailure.Collector()
        var patch = AssignmentRulePatch()
        patch.kind = .region
        patch.userID = .some(1)
        patch.teamID = .some(2)
        _ = patch.applied(to: AssignmentRule(id: 0, kind: .any, position: 1), into: &errors)
        #expect(errors.errors.map(\.field).sorted() == ["regionId", "userId"])
    }

    @Test func aRequestIsNormalisedAndNamesItsProblems() {
        var request = InboundRequest(via: .form, source: .webForm, channel: "web_form")
        request.name = "  Karin Holm "
        request.phone = "070-123 45 67"
        request.email = " Karin@Example.COM "
        request.pageURL = "https://shop.example.com/offer?utm_source=google&utm_medium=cpc&utm_campaign=winter"
        var errors = ValidationFailure.Collector()
        let clean = request.normalised(country: "SE", now: Date(), into: &errors)
        #expect(errors.errors.isEmpty)
        #expect(clean.name == "Karin Holm" && clean.phone == "+46701234567" && clean.email == "karin@example.com")
        #expect(clean.utm == UTMTags(source: "google", medium: "cpc", campaign: "winter"))

        var bad = InboundRequest(via: .form, source: .webForm, channel: "web_form")
        bad.name = String(repeating: "x", count: 301)
        bad.pageURL = "javascript:alert(1)"
        errors = ValidationFailure.Collector()
        _ = bad.normalised(country: "SE", now: Date(), into: &errors)
        #expect(Set(errors.errors.map(\.field)) == ["name", "pageUrl", "phone"])

        let message = InboundRequest(via: .messenger, source: .messenger, channel: "Tele gram")
        errors = ValidationFailure.Collector()
        _ = message.normalised(country: "SE", now: Date(), into: &errors)
        #expect(Set(errors.errors.map(\.field)) == ["channel", "senderId", "text"])
    }
}
