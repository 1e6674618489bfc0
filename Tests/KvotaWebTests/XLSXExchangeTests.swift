import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaSheets
import KvotaStore
import KvotaTestSupport
import NIOCore
import Testing

/// XLSX wherever CSV is: a list and an analysis answer `?format=xlsx` with the CSV's table in typed cells, and an
/// import takes a workbook as it takes a CSV file.
@Suite struct XLSXExchangeTests {
    struct Report: Decodable {
        let written: Bool
        let created: Int
    }

    @Test(arguments: TestDatabase.engines)
    func aListAndAnAnalysisExportAndAWorkbookImports(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            let header = ["Company", "Org nr", "Segment"]
            let rows: [[SheetCell]] = [[.text("Nordic Tools AB"), .text("5566778899"), .text("key")], [.text("Volga = Trade"), .number(7701234567), .empty]]
            var headers = HTTPFields().with(admin)
            headers[.contentType] = XLSXWriter.contentType
            let upload = try await client.checked(uri: "/api/v1/imports/accounts", method: .post, headers: headers,
                                                  body: ByteBuffer(bytes: try XLSXWriter.workbook(sheet: "Accounts", header: header, rows: rows)))
            #expect(upload.status == .ok, "\(upload.text)")
            let report = try upload.json(Report.self)
            #expect(report.written && report.created == 2)
            let broken = try await client.checked(uri: "/api/v1/imports/accounts", method: .post, headers: headers,
                                                  body: ByteBuffer(string: "PK\u{3}\u{4} and nothing a zip has"))
            #expect(broken.status == .unprocessableContent)
            #expect(try broken.problem().errors?.first.map { $0.field == "file" && $0.reason.hasPrefix("the file is not an XLSX workbook") } == true)

            let csv = try await client.get("/api/v1/accounts?format=csv&sort=name", token: admin)
            let xlsx = try await client.get("/api/v1/accounts?format=xlsx&sort=name", token: admin)
            #expect(xlsx.status == .ok && xlsx.headers[.contentType] == XLSXWriter.contentType)
            #expect(xlsx.headers[.contentDisposition] == "attachment; filename=\"accounts.xlsx\"")
            let sheet = try XLSXReader.firstSheet(Data(buffer: xlsx.body))
            let csvLines = csv.text.dropFirst().split(separator: "\r\n")
            #expect(sheet.rows.count == csvLines.count && sheet.rows[0].values == csvLines[0].split(separator: ",").map(String.init))
            let nordic = try #require(sheet.rows.first { $0.values.contains("Nordic Tools AB") })
            #expect(nordic.values[2] == "5566778899", "the legal id keeps its digits as text")
            #expect(nordic.values[8].count == 16 && nordic.values[8].hasPrefix("20"), "a time as a date with hours and minutes")
            let pdf = try await client.get("/api/v1/accounts?format=pdf", token: admin)
            #expect(try pdf.problem().errors?.first.map { $0.field == "format" && $0.reason == "expected json, csv or xlsx, got 'pdf'" } == true)

            let analysis = try await client.get("/api/v1/analytics/abc?format=xlsx", token: admin)
            #expect(analysis.status == .ok && analysis.headers[.contentType] == XLSXWriter.contentType)
            #expect(try XLSXReader.firstSheet(Data(buffer: analysis.body)).rows.first?.values
                    == ["rank", "id", "name", "value", "share", "cumulative_share", "class"])
        }
    }
}
