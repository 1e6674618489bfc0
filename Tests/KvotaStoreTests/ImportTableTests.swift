import Foundation
import KvotaImport
import Testing

@Suite struct ImportTableTests {
    @Test func encodingsAndDelimitersAreDetected() throws {
        let text = "name;city\n\"Ёлка; ООО\";Київ\n"
        let utf16 = Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!
        for (data, encoding) in [(Data(text.utf8), "UTF-8"), (Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8), "UTF-8"), (utf16, "UTF-16LE"),
                                 (text.data(using: .windowsCP1251)!, "Windows-1251")] {
            let table = try ImportTable.read(data)
            #expect(table.encoding == encoding && table.delimiter == ";")
            #expect(table.header == ["name", "city"] && table.rows.map(\.values) == [["Ёлка; ООО", "Київ"]], "\(encoding)")
        }
        #expect(try ImportTable.read(Data("a,b\n1,2\n".utf8)).delimiter == ",")
        #expect(throws: ImportFailure.self) { try ImportTable.read(Data()) }
    }
}

extension ImportTableTests {
    @Test func blankLinesKeepTheirRowNumbers() throws {
        let table = try ImportTable.read(Data("name,x\na,1\n\nb,2\n".utf8))
        #expect(table.rows.map(\.number) == [2, 4])
    }
}
