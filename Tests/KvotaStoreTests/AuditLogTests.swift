import Foundation
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The audit trail's changes column is written without JSONEncoder (for import speed); whatever a field holds must
/// read back as it was.
@Suite struct AuditLogTests {
    @Test(arguments: TestDatabase.engines)
    func anyTextReadsBackAsWritten(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let admin = try await database.addUser(UserDraft(name: "Admin", email: "admin@kvota.test", role: .admin), passwordHash: "x",
                                                   by: nil, at: Date())
            let actor = try await database.signedInUser(admin.id)!.1
            let notes = "Quote \" backslash \\ tab\t newline\n bell \u{7} unit \u{1F} — «Ромашка» 🚚 </script>"
            let account = try await database.addAccount(AccountDraft(name: "Trail \"AB\"", notes: notes), by: actor, at: Date())
            var patch = AccountPatch()
            patch.notes = .some(nil)
            _ = try await database.updateAccount(account.id, patch, expectedVersion: nil, by: actor, at: Date())
            let trail = try await database.auditTrail(entity: "account", id: account.id.rawValue)
            let created = try #require(trail.first?.changes)
            #expect(created.contains(AuditEntry.FieldChange("name", old: nil, new: "Trail \"AB\"")))
            #expect(created.contains(AuditEntry.FieldChange("notes", old: nil, new: notes)))
            #expect(trail.last?.changes == [AuditEntry.FieldChange("notes", old: notes, new: nil)])
        }
    }
}
