import Testing
import KvotaCore

struct UserDraftTests {
    @Test func validationTrimsAndReportsEveryField() throws {
        let draft = try UserDraft(name: " Anna ", email: " anna@example.com ", role: .rep, phoneExtension: " ").validated()
        #expect(draft.name == "Anna")
        #expect(draft.email == "anna@example.com")
        #expect(draft.phoneExtension == nil)

        #expect(throws: ValidationFailure([
            .invalid(field: "name", reason: "must not be empty"),
            .invalid(field: "email", reason: "expected an address like name@example.com, got 'anna@'"),
            .invalid(field: "extension", reason: "expected 1 to 10 digits, got '10a'"),
        ])) {
            try UserDraft(name: "  ", email: "anna@", role: .rep, phoneExtension: "10a").validated()
        }
        #expect(UserDraft.emailKey(" Anna@Example.COM ") == "anna@example.com")
    }
}
