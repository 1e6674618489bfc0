import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaSheets
import KvotaStore
import KvotaTestSupport
import Testing

/// The role × record kind × action matrix through HTTP, on both engines: every role lists, reads, creates, updates,
/// deletes and exports records owned by themselves, a teammate, someone in another team and nobody, by id. The
/// expectations are written out here, independently of `AccessPolicy`: letters per action (list, read, create,
/// update, delete, export), A = any owner, O = own (a head's: their team's), - = none.
@Suite struct AccessMatrixTests {
    static let letters: [RecordKind: [Role: String]] = [
        .account: [.rep: "OOOO-O", .head: "OOOOOO", .orderDesk: "AAAA-A", .director: "AAAAAA", .analyst: "AA---A", .admin: "AAAAAA"],
        .contact: [.rep: "OOOO-O", .head: "OOOOOO", .orderDesk: "AAAA-A", .director: "AAAAAA", .analyst: "AA---A", .admin: "AAAAAA"],
        .lead: [.rep: "OOOO-O", .head: "OOOOOO", .orderDesk: "------", .director: "AAAAAA", .analyst: "AA---A", .admin: "AAAAAA"],
        .deal: [.rep: "OOOO-O", .head: "OOOOOO", .orderDesk: "AA---A", .director: "AAAAAA", .analyst: "AA---A", .admin: "AAAAAA"],
        .activity: [.rep: "OOOOOO", .head: "OOOOOO", .orderDesk: "OOOOOO", .director: "AAAAAA", .analyst: "AA---A", .admin: "AAAAAA"],
        .order: [.rep: "OO---O", .head: "OO---O", .orderDesk: "AAAAAA", .director: "AAAAAA", .analyst: "AA---A", .admin: "AAAAAA"],
    ]

    /// How a record kind is reached over HTTP, and how a test record of it is made.
    struct KindUnderTest: Sendable {
        let kind: RecordKind
        let path: String
        let make: @Sendable (TestRecords, User.ID?) async throws -> Int64
        /// A POST body creating a record owned by the given user (records it needs are made first).
        let createBody: @Sendable (TestRecords, User.ID) async throws -> any Encodable & Sendable
        let updateBody: [String: String]
        /// Records of this kind always have an owner, so there is no "nobody's" record to try.
        var alwaysOwned = false

        var owners: [Whose] { alwaysOwned ? [.own, .teammate, .stranger] : Whose.allCases }
    }

    static let kinds: [KindUnderTest] = [
        KindUnderTest(kind: .account, path: "/api/v1/accounts", make: { try await $0.account(owner: $1, name: "Matrix") },
                      createBody: { NewAccount(name: "New customer", ownerId: $1.rawValue) }, updateBody: ["segment": "key"]),
        KindUnderTest(kind: .contact, path: "/api/v1/contacts",
                      make: { try await $0.contact(account: try await $0.account(owner: $1)) },
                      createBody: { NewContact(accountId: try await $0.account(owner: $1), name: "Nils") }, updateBody: ["position": "CFO"]),
        KindUnderTest(kind: .lead, path: "/api/v1/leads", make: { try await $0.lead(owner: $1) },
                      createBody: { NewLead(source: "web_form", name: "Web visitor", ownerId: $1.rawValue) },
                      updateBody: ["status": "in_work"]),
        KindUnderTest(kind: .deal, path: "/api/v1/deals",
                      make: { try await $0.deal(account: try await $0.account(owner: $1), owner: $1!) },
                      createBody: { NewDeal(title: "Offer", accountId: try await $0.account(owner: $1), ownerId: $1.rawValue) },
                      updateBody: ["title": "Bigger offer"], alwaysOwned: true),
        // An activity is linked to an account of the same owner.
        KindUnderTest(kind: .activity, path: "/api/v1/activities",
                      make: { try await $0.task(owner: $1!, account: try await $0.account(owner: $1)) },
                      createBody: { NewActivity(kind: "note", subject: "Met at the fair", ownerId: $1.rawValue,
                                                accountId: try await $0.account(owner: $1)) },
                      updateBody: ["subject": "Call back on Monday"], alwaysOwned: true),
        KindUnderTest(kind: .order, path: "/api/v1/orders",
                      make: { try await $0.order(account: try await $0.account(owner: $1), owner: $1) },
                      createBody: { NewOrder(accountId: try await $0.account(owner: $1), ownerId: $1.rawValue) },
                      updateBody: ["status": "shipped"]),
    ]

    struct NewAccount: Encodable, Sendable {
        let name: String
        let ownerId: Int64
    }

    struct NewContact: Encodable, Sendable {
        let accountId: Int64
        let name: String
    }

    struct NewLead: Encodable, Sendable {
        let source: String
        let name: String
        let ownerId: Int64
    }

    struct NewDeal: Encodable, Sendable {
        let title: String
        let accountId: Int64
        let ownerId: Int64
    }

    struct NewActivity: Encodable, Sendable {
        let kind: String
        let subject: String
        let ownerId: Int64
        let accountId: Int64
    }

    struct NewOrder: Encodable, Sendable {
        let accountId: Int64
        let ownerId: Int64
    }

    enum Whose: CaseIterable { case own, teammate, stranger, nobody }

    @Test(arguments: TestDatabase.engines)
    func everyRoleKindActionAndOwnerGetsTheWrittenAnswer(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            // Callers: the rep Rita (teammate Tove, stranger Sven), the head Hanna (her team: Rita and Tove), and the
            // roles that see across teams.
            let callers = [org.rep, org.head, org.desk, org.director, org.analyst, org.admin]
            for kind in Self.kinds {
                for caller in callers {
                    let token = try await client.token(for: caller)
                    let letters = Array(Self.letters[kind.kind]![caller.role]!)
                    func allowed(_ action: AccessAction, _ owner: User.ID?) -> Bool {
                        let letter = letters[AccessAction.allCases.firstIndex(of: action)!]
                        switch letter {
                        case "A": return true
                        case "O": return owner.map { Self.own(caller, org).contains($0) } ?? false
                        default: return false
                        }
                    }
                    func owner(_ whose: Whose) -> User.ID? {
                        switch whose {
                        case .own: caller.id
                        case .teammate: caller.role == .head ? org.rep.id : org.teammate.id
                        case .stranger: org.stranger.id
                        case .nobody: nil
                        }
                    }
                    var made: [Whose: Int64] = [:]
                    for whose in kind.owners { made[whose] = try await kind.make(records, owner(whose)) }
                    let cell = "\(caller.role) \(kind.kind)"

                    // list and export: 403 for a role with none, else exactly the allowed records among those made.
                    for (action, uri) in [(AccessAction.list, "\(kind.path)?limit=500"), (.export, "\(kind.path)?format=csv"),
                                          (.export, "\(kind.path)?format=xlsx")] {
                        let response = try await client.get(uri, token: token)
                        let anyAllowed = letters[AccessAction.allCases.firstIndex(of: action)!] != "-"
                        #expect(response.status == (anyAllowed ? .ok : .forbidden), "\(cell) \(action)")
                        guard anyAllowed else { continue }
                        let listed = Self.ids(in: response, format: String(uri.split(separator: "=").last!))
                        for whose in kind.owners {
                            #expect(listed.contains(made[whose]!) == allowed(action, owner(whose)), "\(cell) \(action) \(whose)'s")
                        }
                    }
                    for whose in kind.owners {
                        let id = made[whose]!
                        let who = owner(whose)
                        let canRead = allowed(.read, who)
                        let read = try await client.get("\(kind.path)/\(id)", token: token)
                        #expect(read.status == (canRead ? .ok : .notFound), "\(cell) read \(whose)'s")
                        let update = try await client.send(.patch, "\(kind.path)/\(id)", json: kind.updateBody, token: token)
                        #expect(update.status == (!canRead ? .notFound : allowed(.update, who) ? .ok : .forbidden),
                                "\(cell) update \(whose)'s")
                        let delete = try await client.delete("\(kind.path)/\(id)", token: token)
                        #expect(delete.status == (!canRead ? .notFound : allowed(.delete, who) ? .noContent : .forbidden),
                                "\(cell) delete \(whose)'s")
                        if let who {
                            let create = try await client.post(kind.path, json: try await kind.createBody(records, who), token: token)
                            let canCreateAny = letters[AccessAction.allCases.firstIndex(of: .create)!] != "-"
                            #expect(create.status == (!canCreateAny ? .forbidden : allowed(.create, who) ? .created : .unprocessableContent),
                                    "\(cell) create for \(whose)")
                        }
                    }
                }
            }
        }
    }

    /// Whose records count as the caller's own: their own, and for a head their team's.
    static func own(_ caller: User, _ org: WebFixture) -> Set<User.ID> {
        caller.role == .head ? [org.head.id, org.rep.id, org.teammate.id] : [caller.id]
    }

    /// The ids a list answer holds, as JSON (`limit=500`), CSV or an XLSX sheet.
    static func ids(in response: TestResponse, format: String) -> Set<Int64> {
        if format == "csv" {
            return Set(response.text.split(separator: "\r\n").dropFirst().compactMap { Int64($0.prefix { $0 != "," }) })
        }
        if format == "xlsx" {
            let rows = (try? XLSXReader.firstSheet(Data(buffer: response.body)).rows) ?? []
            return Set(rows.dropFirst().compactMap { $0.values.first.flatMap { Int64($0) } })
        }
        struct Item: Decodable { let id: Int64 }
        struct Items: Decodable { let items: [Item] }
        return Set((try? response.json(Items.self).items.map(\.id)) ?? [])
    }
}

/// The kinds nobody owns, which everyone reads and only their keepers change: the catalogue (directors and admins)
/// and the pipelines (heads too, who write their team's regulations). Letters per action: list, read, create,
/// update, delete; A = allowed, - = refused with 403.
@Suite struct SharedKindsAccessTests {
    static let letters: [String: [Role: String]] = [
        "products": [.rep: "AA---", .head: "AA---", .orderDesk: "AA---", .director: "AAAAA", .analyst: "AA---", .admin: "AAAAA"],
        "product-categories": [.rep: "AA---", .head: "AA---", .orderDesk: "AA---", .director: "AAAAA", .analyst: "AA---", .admin: "AAAAA"],
        "pipelines": [.rep: "AA---", .head: "AAAAA", .orderDesk: "AA---", .director: "AAAAA", .analyst: "AA---", .admin: "AAAAA"],
    ]

    struct Made: Decodable { let id: Int64 }

    struct NewProduct: Encodable {
        let sku: String
        let name = "Bolt"
        let categoryId: Int64
        let priceMinor: Int64 = 100
        let currency = "EUR"
    }

    struct NewPipeline: Encodable {
        struct Stage: Encodable { let name: String; let outcome: String }
        let name: String
        let stages = [Stage(name: "Talk", outcome: "open"), Stage(name: "Won", outcome: "won"), Stage(name: "Lost", outcome: "lost")]
    }

    @Test(arguments: TestDatabase.engines)
    func everyoneReadsAndOnlyTheKeepersChange(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            var serial = 0
            /// A new record of `path` made by the admin, for the caller to try.
            func make(_ path: String) async throws -> Int64 {
                serial += 1
                return try await client.post("/api/v1/\(path)", json: try await body(path), token: admin).json(Made.self).id
            }
            func body(_ path: String) async throws -> any Encodable & Sendable {
                switch path {
                case "products":
                    let category = try await client.post("/api/v1/product-categories", json: ["name": "C\(serial)"], token: admin).json(Made.self)
                    return NewProduct(sku: "SKU-\(serial)", categoryId: category.id)
                case "product-categories": return ["name": "Category \(serial)"]
                default: return NewPipeline(name: "Funnel \(serial)")
                }
            }
            for caller in [org.rep, org.head, org.desk, org.director, org.analyst, org.admin] {
                let token = try await client.token(for: caller)
                for (path, roles) in Self.letters.sorted(by: { $0.key < $1.key }) {
                    let letters = Array(roles[caller.role]!)
                    func expected(_ index: Int, _ allowed: HTTPResponse.Status) -> HTTPResponse.Status {
                        letters[index] == "A" ? allowed : .forbidden
                    }
                    let cell = "\(caller.role) \(path)"
                    let id = try await make(path)
                    #expect(try await client.get("/api/v1/\(path)", token: token).status == expected(0, .ok), "\(cell) list")
                    if path != "product-categories" {  // categories are read as the tree in the list
                        #expect(try await client.get("/api/v1/\(path)/\(id)", token: token).status == expected(1, .ok), "\(cell) read")
                    }
                    serial += 1
                    let created = try await client.post("/api/v1/\(path)", json: try await body(path), token: token)
                    #expect(created.status == expected(2, .created), "\(cell) create")
                    let renamed = try await client.send(.patch, "/api/v1/\(path)/\(id)", json: ["name": "Renamed \(serial)"], token: token)
                    #expect(renamed.status == expected(3, .ok), "\(cell) update")
                    if path != "product-categories" {  // a category is not deleted: its products would lose their place
                        let deleted = try await client.delete("/api/v1/\(path)/\(id)", token: token)
                        #expect(deleted.status == expected(4, .noContent), "\(cell) delete")
                    }
                }
            }
        }
    }
}

/// The actions beyond create, read, update and delete — converting a lead, merging two accounts or contacts,
/// replacing a deal's lines — through the same matrix: each is an update of the record in the path (and, for a
/// merge, of the one merged into it), so the answer follows the update letter of `AccessMatrixTests.letters`:
/// 404 for a record the caller cannot read, 403 for one they read but may not change, 200 otherwise.
@Suite struct RecordActionsAccessTests {
    struct Action: Sendable {
        let name: String
        let kind: RecordKind
        var method: HTTPRequest.Method = .post
        /// Makes the record (and what the action needs) for `owner`; answers the path and body of the action.
        let make: @Sendable (TestRecords, User.ID) async throws -> (path: String, body: [String: JSONValue])
    }

    static let actions: [Action] = [
        Action(name: "convert", kind: .lead) { records, owner in
            let lead = try await records.lead(owner: owner, status: "qualified")
            return ("/api/v1/leads/\(lead)/convert", ["account": .object(["name": .string("Converted \(lead)")]),
                                                      "deal": .object(["title": .string("From lead \(lead)")])])
        },
        Action(name: "merge accounts", kind: .account) { records, owner in
            let keep = try await records.account(owner: owner, name: "Keep")
            let gone = try await records.account(owner: owner, name: "Gone")
            return ("/api/v1/accounts/\(keep)/merge", ["from": .number(Double(gone))])
        },
        Action(name: "merge contacts", kind: .contact) { records, owner in
            let account = try await records.account(owner: owner)
            let keep = try await records.contact(account: account, name: "Keep")
            let gone = try await records.contact(account: account, name: "Gone")
            return ("/api/v1/contacts/\(keep)/merge", ["from": .number(Double(gone))])
        },
        Action(name: "deal lines", kind: .deal, method: .put) { records, owner in
            let deal = try await records.deal(account: try await records.account(owner: owner), owner: owner)
            let product = try await records.product(sku: "LINE-\(deal)", priceMinor: 1_000, costMinor: 400)
            return ("/api/v1/deals/\(deal)/lines", ["lines": .array([.object(["productId": .number(Double(product)),
                                                                              "quantityMilli": .number(2_000)])])])
        },
    ]

    @Test(arguments: TestDatabase.engines)
    func convertMergeAndLinesFollowTheUpdateLetter(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            for caller in [org.rep, org.head, org.desk, org.director, org.analyst, org.admin] {
                let token = try await client.token(for: caller)
                for action in Self.actions {
                    let letters = Array(AccessMatrixTests.letters[action.kind]![caller.role]!)
                    for (whose, owner) in [("own", caller.id), ("teammate", caller.role == .head ? org.rep.id : org.teammate.id),
                                           ("stranger", org.stranger.id)] {
                        func allowed(_ index: Int) -> Bool {
                            switch letters[index] {
                            case "A": true
                            case "O": AccessMatrixTests.own(caller, org).contains(owner)
                            default: false
                            }
                        }
                        let (path, body) = try await action.make(records, owner)
                        let response = try await client.send(action.method, path, json: body, token: token)
                        let expected: HTTPResponse.Status = !allowed(1) ? .notFound : allowed(3) ? .ok : .forbidden
                        #expect(response.status == expected, "\(caller.role) \(action.name) \(whose)'s: \(response.text.prefix(300))")
                    }
                }
            }
        }
    }
}
