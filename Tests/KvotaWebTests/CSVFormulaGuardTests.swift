import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaImport
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// Issue 13: text a customer typed (a web form's company name, an imported file's cell) must not run as a formula when
/// someone opens an export in a spreadsheet, and an export must still import back as it was.
@Suite struct CSVFormulaGuardTests {
    struct NewAccount: Encodable { let name: String }

    @Test(arguments: TestDatabase.engines)
    func aNameThatIsAFormulaIsExportedAsTextAndImportsBackAsTyped(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let rep = try await client.token(for: org.rep)
            let names = [#"=HYPERLINK("http://evil.example","Open")"#, "@SUM(1+1)*cmd|' /C calc'!A0", "+46 8 000 Trading", "-1+1 Design",
                         "Plain Ltd"]
            for name in names {
                #expect(try await client.post("/api/v1/accounts", json: NewAccount(name: name), token: rep).status == .created)
            }
            let csv = try await client.get("/api/v1/accounts?format=csv", token: rep)
            let table = try ImportTable.read(Data(buffer: csv.body))
            let column = try #require(table.header.firstIndex(of: "name"))
            // As the file holds them: each that a spreadsheet would run starts with an apostrophe, the plain one as it is.
            let lines = csv.text.split(separator: "\r\n").dropFirst()
            let written = lines.map { line in line.split(separator: ",", maxSplits: 2)[1] }
            #expect(written.filter { $0.hasPrefix("'") || $0.hasPrefix("\"'") }.count == 4, "\(written)")
            #expect(!written.contains { ["=", "+", "-", "@", "\"=", "\"+", "\"-", "\"@"].contains(where: $0.hasPrefix) }, "\(written)")
            #expect(written.contains("Plain Ltd"))
            // And read back by the importer, as typed.
            #expect(Set(table.rows.map { $0.values[column] }) == Set(names))
        }
    }

    @Test func numbersKeepTheirSignAndEverythingElseThatCouldRunIsGuarded() {
        #expect(CSVExport.line(["-12.50", "+46701234567", "-", "=1+2", "\t=x", "@A1", "", nil, "a=b"])
                    == "-12.50,+46701234567,'-,'=1+2,'\t=x,'@A1,,,a=b\r\n")
        #expect(FormulaGuard.unguarded("'=1+2") == "=1+2" && FormulaGuard.unguarded("'quoted'") == "'quoted'")
    }
}
