import Foundation
import Testing
@testable import KvotaCore

struct UserPatchTests {
    static let ann = User(id: 7, name: "Ann Berg", email: "ann@example.com", role: .rep, teamID: 1, managerID: 3,
                          language: .sv, phoneExtension: "101", active: true, createdAt: Date(timeIntervalSince1970: 0))

    @Test func nilLeavesAFieldAndSomeNilClearsIt() {
        let patch = UserPatch(name: "  Ann Lind ", teamID: .some(nil), phoneExtension: .some(" "))
        let changed = patch.applied(to: Self.ann)
        #expect(changed.name == "Ann Lind")
        #expect(changed.teamID == nil)
        #expect(changed.phoneExtension == nil)
        #expect(changed.managerID == 3)
        #expect(changed.role == .rep)
    }

    @Test func onlyRoleTeamAndManagerMoveAUserInTheOrganisation() {
        #expect(!UserPatch.movesInOrganisation(Self.ann, UserPatch(name: "X", language: .en).applied(to: Self.ann)))
        #expect(UserPatch.movesInOrganisation(Self.ann, UserPatch(role: .head).applied(to: Self.ann)))
        #expect(UserPatch.movesInOrganisation(Self.ann, UserPatch(teamID: .some(2)).applied(to: Self.ann)))
        #expect(UserPatch.movesInOrganisation(Self.ann, UserPatch(managerID: .some(nil)).applied(to: Self.ann)))
    }
}
