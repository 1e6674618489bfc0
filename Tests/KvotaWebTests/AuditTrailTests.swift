import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// Every create, update and delete of a business record leaves an audit line with the actor and the changed fields.
@Suite struct AuditTrailTests {
    struct IDOnly: Decodable { let id: Int64 }

    struct Change: Sendable {
        let kind: String
        let path: String
        let create: @Sendable (TestRecords, Int64) async throws -> any Encodable & Sendable
        let update: [String: String]
        let changedField: String
    }

    struct Account: Encodable, Sendable { let name: String }
    struct Contact: Encodable, Sendable { let accountId: Int64; let name: String }
    struct Lead: Encodable, Sendable { let source: String; let name: String }
    struct Deal: Encodable, Sendable { let title: String; let accountId: Int64 }
    struct Activity: Encodable, Sendable { let kind: String; let subject: String; let accountId: Int64 }
    struct Order: Encodable, Sendable { let accountId: Int64 }

    static let changes: [Change] = [
        Change(kind: "account", path: "/api/v1/accounts", create: { _, _ in Account(name: "Acme") }, update: ["segment": "key"], changedField: "segment"),
        Change(kind: "contact", path: "/api/v1/contacts", create: { _, a in Contact(accountId: a, name: "Nils") }, update: ["position": "CFO"],
               changedField: "position"),
        Change(kind: "lead", path: "/api/v1/leads", create: { _, _ in Lead(source: "event", name: "Fair visitor") }, update: ["status": "in_work"],
               changedField: "status"),
        Change(kind: "deal", path: "/api/v1/deals", create: { _, a in Deal(title: "Offer", accountId: a) }, update: ["title": "Big offer"],
               changedField: "title"),
        Change(kind: "activity", path: "/api/v1/activities", create: { _, a in Activity(kind: "note", subject: "Met", accountId: a) },
               update: ["subject": "Met twice"], changedField: "subject"),
        Change(kind: "order", path: "/api/v1/orders", create: { _, a in Order(accountId: a) }, update: ["status": "shipped"],
               changedField: "status"),
    ]

    @Test(arguments: TestDatabase.engines)
    func createUpdateAndDeleteOfEveryKindAreInTheTrail(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let admin = try await client.token(for: org.admin)
            for change in Self.changes {
                let account = try await records.account(owner: org.rep.id)
                let created = try await client.post(change.path, json: try await change.create(records, account), token: admin)
                #expect(created.status == .created, "\(change.kind): \(created.text)")
                let id = try created.json(IDOnly.self).id
                #expect(try await client.send(.patch, "\(change.path)/\(id)", json: change.update, token: admin).status == .ok)
                #expect(try await client.delete("\(change.path)/\(id)", token: admin).status == .noContent)
                let trail = try await org.database.auditTrail(entity: change.kind, id: id)
                #expect(trail.map(\.action) == ["create", "update", "delete"], "\(change.kind)")
                #expect(trail.allSatisfy { $0.actorID == org.admin.id })
                #expect(trail[1].changes.map(\.field).contains(change.changedField), "\(change.kind) update names \(change.changedField)")
                #expect(trail[2].changes.allSatisfy { $0.new == nil }, "\(change.kind) delete keeps the last values")
            }
        }
    }
}
