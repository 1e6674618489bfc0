import Testing
@testable import KvotaCore

/// The role × record kind × action matrix, written out cell by cell: the specification docs/access.md repeats.
struct AccessPolicyTests {
    static let rep = Actor(userID: 10, role: .rep, teamID: 1)
    static let head = Actor(userID: 20, role: .head, teamID: 1, teamMembers: [10, 11])
    static let desk = Actor(userID: 30, role: .orderDesk, teamID: 3)
    static let director = Actor(userID: 40, role: .director, teamID: nil)
    static let analyst = Actor(userID: 50, role: .analyst, teamID: nil)
    static let admin = Actor(userID: 60, role: .admin, teamID: nil)

    /// Per kind, one letter per action in the order list, read, create, update, delete, export:
    /// A = all records, O = own (a rep's or order desk's own; a head's team's), S = the actor's own alone (a head's
    /// too), M = a head's members but not the head, - = nothing.
    static let expected: [Role: [RecordKind: String]] = [
        .rep: [.account: "OOOO-O", .contact: "OOOO-O", .lead: "OOOO-O", .deal: "OOOO-O", .activity: "OOOOOO",
               .order: "OO---O", .product: "AA---A", .productCategory: "AA---A", .pipeline: "AA---A", .region: "AA---A", .lossReason: "AA---A", .customField: "AA---A", .leadSource: "AA---A",
               .webForm: "AA---A", .assignmentRule: "AA---A", .inboundRequest: "------", .shift: "SS-S-S", .user: "------", .team: "------", .audit: "------", .settings: "------", .integration: "------", .savedView: "SSSSSS", .alert: "SS-S-S", .scorecard: "AA---A", .review: "OO---O", .compensationScheme: "------", .kpiTarget: "------", .payout: "OO---O", .survey: "AA---A", .surveyResponse: "OO---O", .libraryDocument: "AA---A", .onboardingStep: "AA---A", .training: "OO---O", .onboarding: "OO-O-O", .forecastAdjustment: "OO---O", .importJob: "SSS--S"],
        .head: [.account: "OOOOOO", .contact: "OOOOOO", .lead: "OOOOOO", .deal: "OOOOOO", .activity: "OOOOOO",
                .order: "OO---O", .product: "AA---A", .productCategory: "AA---A", .pipeline: "AAAAAA", .region: "AA---A", .lossReason: "AA---A", .customField: "AA---A", .leadSource: "AA---A",
                .webForm: "AA---A", .assignmentRule: "AA---A", .inboundRequest: "------", .shift: "OO-O-O", .user: "AA---A", .team: "AA---A", .audit: "------", .settings: "------", .integration: "------", .savedView: "SSSSSS", .alert: "SS-S-S", .scorecard: "AAAAAA", .review: "OOOOOO", .compensationScheme: "AA---A", .kpiTarget: "AA---A", .payout: "OO---O", .survey: "AAAAAA", .surveyResponse: "OO---O", .libraryDocument: "AAAAAA", .onboardingStep: "AAAAAA", .training: "OOOOOO", .onboarding: "OOOOOO", .forecastAdjustment: "OOMMMO", .importJob: "SSS--S"],
        .orderDesk: [.account: "AAAA-A", .contact: "AAAA-A", .lead: "------", .deal: "AA---A", .activity: "OOOOOO",
                     .order: "AAAAAA", .product: "AA---A", .productCategory: "AA---A", .pipeline: "AA---A",
                     .region: "AA---A", .lossReason: "AA---A", .customField: "AA---A", .leadSource: "AA---A", .webForm: "AA---A", .assignmentRule: "AA---A", .inboundRequest: "------", .shift: "------", .user: "------", .team: "------", .audit: "------", .settings: "------",
                     .integration: "------", .savedView: "SSSSSS", .alert: "SS-S-S", .scorecard: "AA---A", .review: "------", .compensationScheme: "------", .kpiTarget: "------", .payout: "------", .survey: "------", .surveyResponse: "------", .libraryDocument: "AA---A", .onboardingStep: "AA---A", .training: "------", .onboarding: "------", .forecastAdjustment: "------", .importJob: "SSS--S"],
        .director: [.account: "AAAAAA", .contact: "AAAAAA", .lead: "AAAAAA", .deal: "AAAAAA", .activity: "AAAAAA",
                    .order: "AAAAAA", .product: "AAAAAA", .productCategory: "AAAAAA", .pipeline: "AAAAAA",
                    .region: "AA---A", .lossReason: "AA---A", .customField: "AA---A", .leadSource: "AA---A", .webForm: "AA---A", .assignmentRule: "AA---A", .inboundRequest: "AA---A", .shift: "AA-A-A", .user: "AA---A", .team: "AA---A", .audit: "AA---A", .settings: "------",
                    .integration: "------", .savedView: "SSSSSS", .alert: "SS-S-S", .scorecard: "AAAAAA", .review: "AAAAAA", .compensationScheme: "AAAAAA", .kpiTarget: "AAAAAA", .payout: "AAAAAA", .survey: "AAAAAA", .surveyResponse: "AA---A", .libraryDocument: "AAAAAA", .onboardingStep: "AAAAAA", .training: "AAAAAA", .onboarding: "AAAAAA", .forecastAdjustment: "AAAAAA", .importJob: "SSS--S"],
        .analyst: [.account: "AA---A", .contact: "AA---A", .lead: "AA---A", .deal: "AA---A", .activity: "AA---A",
                   .order: "AA---A", .product: "AA---A", .productCategory: "AA---A", .pipeline: "AA---A",
                   .region: "AA---A", .lossReason: "AA---A", .customField: "AA---A", .leadSource: "AA---A", .webForm: "AA---A", .assignmentRule: "AA---A", .inboundRequest: "AA---A", .shift: "AA---A", .user: "AA---A", .team: "AA---A", .audit: "------", .settings: "------",
                   .integration: "------", .savedView: "SSSSSS", .alert: "SS-S-S", .scorecard: "AA---A", .review: "AA---A", .compensationScheme: "AA---A", .kpiTarget: "AA---A", .payout: "AA---A", .survey: "AA---A", .surveyResponse: "AA---A", .libraryDocument: "AA---A", .onboardingStep: "AA---A", .training: "AA---A", .onboarding: "AA---A", .forecastAdjustment: "AA---A", .importJob: "SSS--S"],
        .admin: [.account: "AAAAAA", .contact: "AAAAAA", .lead: "AAAAAA", .deal: "AAAAAA", .activity: "AAAAAA",
                 .order: "AAAAAA", .product: "AAAAAA", .productCategory: "AAAAAA", .pipeline: "AAAAAA",
                 .region: "AAAAAA", .lossReason: "AAAAAA", .customField: "AAAAAA", .leadSource: "AAAAAA", .webForm: "AAAAAA", .assignmentRule: "AAAAAA", .inboundRequest: "AAA--A", .shift: "AA-A-A", .user: "AAAAAA", .team: "AAAAAA", .audit: "AA---A", .settings: "AAAAAA",
                 .integration: "AAAAAA", .savedView: "SSSSSS", .alert: "SS-S-S", .scorecard: "AAAAAA", .review: "AAAAAA", .compensationScheme: "AAAAAA", .kpiTarget: "AAAAAA", .payout: "AAAAAA", .survey: "AAAAAA", .surveyResponse: "AA---A", .libraryDocument: "AAAAAA", .onboardingStep: "AAAAAA", .training: "AAAAAA", .onboarding: "AAAAAA", .forecastAdjustment: "AAAAAA", .importJob: "AAA--A"],
    ]

    static let actors = [rep, head, desk, director, analyst, admin]

    @Test(arguments: actors)
    func everyCellOfTheMatrix(actor: Actor) {
        let own: AccessScope = .ownedBy(actor.role == .head ? [10, 11, 20] : [actor.userID])
        // Plans are about a subject, not owned: `plansFollowTheirSubject` writes their reach out.
        for kind in RecordKind.allCases where kind != .plan && kind != .swot {
            let row = Array(try! #require(Self.expected[actor.role]?[kind], "\(actor.role) \(kind) missing"))
            #expect(row.count == AccessAction.allCases.count)
            for (action, letter) in zip(AccessAction.allCases, row) {
                // M: a head's members but not the head (whose own number comes from above).
                let want: AccessScope = switch letter {
                case "A": .all
                case "O": own
                case "S": .ownedBy([actor.userID])
                case "M": .ownedBy([10, 11])
                default: .nothing
                }
                #expect(AccessPolicy.scope(actor, action, kind) == want, "\(actor.role) \(action) \(kind)")
            }
        }
    }

    /// SWOT boards: a head keeps their led team's boards and reads all; reps and the desk see none.
    @Test func swotBoardsFollowTheirScope() {
        let head = Actor(userID: 20, role: .head, teamID: 1, teamMembers: [10, 11], ledTeams: [1])
        for (actor, reads, keeps) in [(Self.rep, "---", "---"), (head, "XXX", "-X-"), (Self.desk, "---", "---"), (Self.director, "XXX", "XXX"),
                                      (Self.analyst, "XXX", "---"), (Self.admin, "XXX", "XXX")] {
            for (subject, (read, keep)) in zip([PlanSubject.company, .team(1), .team(2)], zip(reads, keeps)) {
                #expect(AccessPolicy.scope(actor, .read, .swot).allows(subject) == (read == "X"), "\(actor.role) reads \(subject)")
                #expect(AccessPolicy.scope(actor, .update, .swot).allows(subject) == (keep == "X"), "\(actor.role) keeps \(subject)")
            }
        }
    }

    /// Subjects: the company, team 1 (led by the head, with reps 10 and 11), team 2, rep 10, rep 11, rep 12 of team 2,
    /// and the head (20). Per role: the subjects whose plans it reads, and those whose plans it sets (create, update,
    /// delete alike).
    @Test func plansFollowTheirSubject() {
        let head = Actor(userID: 20, role: .head, teamID: 1, teamMembers: [10, 11], ledTeams: [1])
        let subjects: [PlanSubject] = [.company, .team(1), .team(2), .user(10), .user(11), .user(12), .user(20)]
        let expected: [(Actor, reads: String, sets: String)] = [
            (Self.rep, "---X---", "-------"),
            (head, "-X-XX-X", "---XX--"),
            (Self.desk, "-------", "-------"),
            (Self.director, "XXXXXXX", "XXXXXXX"),
            (Self.analyst, "XXXXXXX", "-------"),
            (Self.admin, "XXXXXXX", "XXXXXXX"),
        ]
        for (actor, reads, sets) in expected {
            for (subject, (read, set)) in zip(subjects, zip(reads, sets)) {
                for action in [AccessAction.list, .read, .export] {
                    #expect(AccessPolicy.scope(actor, action, .plan).allows(subject) == (read == "X"), "\(actor.role) \(action) \(subject)")
                }
                for action in [AccessAction.create, .update, .delete] {
                    #expect(AccessPolicy.scope(actor, action, .plan).allows(subject) == (set == "X"), "\(actor.role) \(action) \(subject)")
                }
            }
        }
        #expect(throws: AccessDenied.notFound(.plan, id: 7)) { try AccessPolicy.require(Self.rep, .read, planAbout: .user(11), id: 7) }
        #expect(throws: AccessDenied.forbidden(.update, .plan)) { try AccessPolicy.require(Self.rep, .update, planAbout: .user(10), id: 7) }
        #expect(throws: AccessDenied.forbidden(.update, .plan)) { try AccessPolicy.require(head, .update, planAbout: .team(1), id: 7) }
        #expect(throws: Never.self) { try AccessPolicy.require(head, .update, planAbout: .user(11), id: 7) }
    }

    @Test func crossOwnerAndCrossTeamAttemptsAreRefused() {
        // Rep 10's deal, rep 11's deal (same team), rep 12's deal (another team).
        #expect(AccessPolicy.allows(Self.rep, .read, .deal, owner: 10))
        #expect(!AccessPolicy.allows(Self.rep, .read, .deal, owner: 11))
        #expect(AccessPolicy.allows(Self.head, .update, .deal, owner: 11))
        #expect(!AccessPolicy.allows(Self.head, .read, .deal, owner: 12))
        #expect(!AccessPolicy.allows(Self.rep, .create, .lead, owner: 11), "a rep cannot create records for others")
        #expect(!AccessPolicy.allows(Self.rep, .read, .account, owner: nil), "unowned records are not a rep's")
        #expect(AccessPolicy.allows(Self.director, .read, .account, owner: nil))
    }

    @Test func oneRecordAnswersNotFoundUnlessReadableAndForbiddenUnlessChangeable() throws {
        #expect(throws: AccessDenied.notFound(.deal, id: 7)) {
            try AccessPolicy.require(Self.rep, .update, .deal, id: 7, owner: 11)
        }
        #expect(throws: AccessDenied.forbidden(.update, .deal)) {
            try AccessPolicy.require(Self.analyst, .update, .deal, id: 7, owner: 11)
        }
        #expect(throws: Never.self) { try AccessPolicy.require(Self.head, .update, .deal, id: 7, owner: 11) }
        #expect(throws: AccessDenied.forbidden(.list, .audit)) { try AccessPolicy.require(Self.rep, .list, .audit) }
        #expect(try AccessPolicy.require(Self.rep, .list, .deal) == .ownedBy([10]))
    }

    @Test func onlyHeadsCarryTheirTeam() {
        let rep = Actor(userID: 1, role: .rep, teamID: 1, teamMembers: [2, 3])
        #expect(rep.teamMembers.isEmpty)
        #expect(Self.head.teamMembers == [10, 11, 20])
    }
}
