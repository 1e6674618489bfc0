import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import NIOCore
import Testing

/// `POST /api/v1/imports/{kind}`: the same import as `kvota import`, with the file as the body; the answer is the
/// report, and the access policy applies to the uploader.
@Suite struct ImportsAPITests {
    struct Report: Decodable {
        struct Problem: Decodable { let row: Int; let column: String; let reason: String }
        let written: Bool
        let dryRun: Bool
        let created: Int
        let updated: Int
        let unchanged: Int
        let problems: [Problem]
    }

    static let file = "Company;Org nr;Segment\nNordic Tools AB;556677-8899;key\nVolga Trade;7701234567;\n"

    func upload(_ client: some TestClientProtocol, _ path: String, _ text: String, token: String) async throws -> TestResponse {
        var headers = HTTPFields().with(token)
        headers[.contentType] = "text/csv"
        return try await client.checked(uri: path, method: .post, headers: headers, body: ByteBuffer(string: text))
    }

    @Test(arguments: TestDatabase.engines)
    func aFileUploadedIsCheckedThenImported(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            let dry = try await upload(client, "/api/v1/imports/accounts?dryRun=true", Self.file, token: admin)
            #expect(dry.status == .ok)
            let checked = try dry.json(Report.self)
            #expect(checked.dryRun && !checked.written && checked.created == 2)
            let before = try await client.get("/api/v1/accounts?q=Nordic", token: admin).json(Items.self).items.count

            let done = try await upload(client, "/api/v1/imports/accounts", Self.file, token: admin).json(Report.self)
            #expect(done.written && done.created == 2)
            #expect(try await client.get("/api/v1/accounts?q=Nordic", token: admin).json(Items.self).items.count == before + 1)
            let again = try await upload(client, "/api/v1/imports/accounts", Self.file, token: admin).json(Report.self)
            #expect(again.written && again.created == 0 && again.updated == 0 && again.unchanged == 2, "the same file again changes nothing")

            // A mapping sends an unknown column somewhere, or skips it.
            let mapping = FormEncoding.escape(#"{"Kundnamn":"name","Intern":"-"}"#)
            let mapped = try await upload(client, "/api/v1/imports/accounts?mapping=\(mapping)", "Kundnamn;Intern\nBaltic AB;x\n",
                                          token: admin).json(Report.self)
            #expect(mapped.written && mapped.created == 1)

            let broken = try await upload(client, "/api/v1/imports/accounts", "Company;Legal ID\n;1\n", token: admin).json(Report.self)
            #expect(!broken.written && broken.problems.map(\.column) == ["Company"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func badRequestsNameTheirFieldAndTheAccessPolicyApplies(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            let analyst = try await client.token(for: org.analyst)
            let kind = try await upload(client, "/api/v1/imports/invoices", Self.file, token: admin)
            #expect(kind.status == .unprocessableContent)
            #expect(try kind.problem().errors?.map(\.field) == ["kind"])
            let header = try await upload(client, "/api/v1/imports/accounts", "Colour\nred\n", token: admin)
            #expect(header.status == .unprocessableContent)
            #expect(try header.problem().errors?.map(\.field) == ["file"])
            #expect(try await upload(client, "/api/v1/imports/accounts", Self.file, token: analyst).status == .forbidden)
            #expect(try await upload(client, "/api/v1/imports/orders", "date;account;product;quantity\n", token: analyst).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aOneCReportBringsItsCustomersAndProductsAlong(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            let report = """
                Период;Менеджер;Контрагент;Номенклатура;Количество;Выручка;Себестоимость;Валовая прибыль
                20.11.2026 0:00:00;Rita;ООО «Север»;Клей монтажный;4;1 000,00;600,00;400,00
                Итого;;;;4;1 000,00;600,00;400,00
                """
            struct Answer: Decodable {
                struct Related: Decodable, Equatable { let kind: String; let created: Int; let updated: Int; let unchanged: Int }
                let written: Bool
                let created: Int
                let related: [Related]
                let skippedRows: Int
                let ignoredColumns: [String]
            }
            let done = try await upload(client, "/api/v1/imports/orders?format=1c", report, token: admin)
            #expect(done.status == .ok)
            let answer = try done.json(Answer.self)
            #expect(answer.written && answer.created == 1 && answer.skippedRows == 1 && answer.ignoredColumns == ["Валовая прибыль"])
            #expect(answer.related == [.init(kind: "accounts", created: 1, updated: 0, unchanged: 0),
                                       .init(kind: "products", created: 1, updated: 0, unchanged: 0)])
            struct Named: Decodable { let items: [Item]; struct Item: Decodable { let name: String; let ownerId: Int64? } }
            let accounts = try await client.get("/api/v1/accounts?limit=200", token: admin).json(Named.self).items
            #expect(accounts.first { $0.name == "ООО «Север»" }?.ownerId == org.rep.id.rawValue, "owned by the report's manager")

            let format = try await upload(client, "/api/v1/imports/orders?format=sap", report, token: admin)
            let formatFields = try format.problem().errors?.map(\.field)
            #expect(format.status == .unprocessableContent && formatFields == ["format"])
            let kind = try await upload(client, "/api/v1/imports/accounts?format=1c", report, token: admin)
            let kindFields = try kind.problem().errors?.map(\.field)
            #expect(kind.status == .unprocessableContent && kindFields == ["kind"])
            let rep = try await client.token(for: org.rep)
            #expect(try await upload(client, "/api/v1/imports/orders?format=1c", report.replacingOccurrences(of: "Клей", with: "Лак"),
                                     token: rep).status == .forbidden, "a rep may not add the products a report brings")
        }
    }

    struct Items: Decodable { let items: [Item]; struct Item: Decodable { let id: Int64 } }
}
