import Foundation
import KvotaCore
import Testing
import ZIPFoundation
@testable import KvotaSheets

/// Workbooks written for export and read for import: every cell keeps its type one way and its text the other.
@Suite struct XLSXTests {
    @Test func cellsAreTypedFromTheirTextAndColumn() throws {
        #expect(SheetCell.typed("42", column: "id") == .number(42))
        #expect(SheetCell.typed("-12.5", column: "share") == .number(-12.5))
        #expect(SheetCell.typed("0.012850059284049014", column: "share") == .number(0.012850059284049014), "a share's every digit")
        #expect(SheetCell.typed("1234.50", column: "total") == .money(1234.5, digits: 2))
        #expect(SheetCell.typed("1234", column: "price") == .money(1234, digits: 0))
        #expect(SheetCell.typed("2026-11-20", column: "ordered_on") == .date(try LocalDate(iso: "2026-11-20")))
        #expect(SheetCell.typed("2026-11-20T09:30:00Z", column: "created_at") == .dateTime(Date(timeIntervalSince1970: 1_795_167_000)))
        #expect(SheetCell.typed("2026-11-20T09:30:00.250Z", column: "at") == .dateTime(Date(timeIntervalSince1970: 1_795_167_000.25)))
        #expect(SheetCell.typed("2026-11-20T11:30:00+02:00", column: "at") == .dateTime(Date(timeIntervalSince1970: 1_795_167_000)))
        #expect(SheetCell.typed("2026-11-20T24:30:00Z", column: "at") == .text("2026-11-20T24:30:00Z"))
        #expect(SheetCell.typed("2026-02-30T09:30:00Z", column: "at") == .text("2026-02-30T09:30:00Z"))
        #expect(SheetCell.typed("true", column: "active") == .bool(true))
        #expect(SheetCell.typed(nil, column: "deal_id") == .empty && SheetCell.typed("", column: "name") == .empty)
        // Codes keep their digits; what is not a number in Kvota's form stays text.
        #expect(SheetCell.typed("5561002652", column: "legal_id") == .text("5561002652"))
        #expect(SheetCell.typed("0701234567", column: "note") == .text("0701234567"), "a leading zero")
        #expect(SheetCell.typed("1234567890123456", column: "x") == .text("1234567890123456"), "more digits than a sheet keeps")
        #expect(SheetCell.typed("1e5", column: "x") == .text("1e5") && SheetCell.typed("12.", column: "x") == .text("12."))
        #expect(SheetCell.typed("123", column: "name") == .text("123") && SheetCell.typed("7", column: "custom.size") == .text("7"))
        #expect(SheetCell.typed("2026-13-01", column: "due_on") == .text("2026-13-01"))
    }

    @Test func aWrittenWorkbookReadsBackAsTheCSVWouldSayIt() throws {
        let header = ["id", "name", "ordered_on", "total", "active", "created_at", "note"]
        let rows: [[SheetCell]] = [
            [.number(1), .text("Ёлка & <Co> \"AB\""), .date(try LocalDate(iso: "2026-11-20")), .money(1234.5, digits: 2), .bool(true),
             .dateTime(Date(timeIntervalSince1970: 1_795_167_000)), .text("=cmd|' /C calc'!A0")],
            [.number(2), .text("tab\there, bell\u{7} gone"), .empty, .money(0.25, digits: 2), .bool(false), .empty, .text("  spaced  ")],
        ]
        let data = try XLSXWriter.workbook(sheet: "orders", header: header, rows: rows)
        #expect(XLSXReader.looksLikeWorkbook(data))
        let sheet = try XLSXReader.firstSheet(data)
        #expect(sheet.rows.map(\.number) == [1, 2, 3])
        #expect(sheet.rows[0].values == header)
        #expect(sheet.rows[1].values == ["1", "Ёлка & <Co> \"AB\"", "2026-11-20", "1234.5", "true", "2026-11-20 09:30", "=cmd|' /C calc'!A0"])
        #expect(sheet.rows[2].values == ["2", "tab\there, bell gone", "", "0.25", "false", "", "  spaced  "])
    }

    @Test func theWorkbookHasTheStylesASpreadsheetShows() throws {
        let data = try XLSXWriter.workbook(sheet: "a/b:c", header: ["total", "day"],
                                           rows: [[.money(5, digits: 2), .date(try LocalDate(iso: "1900-03-01"))], [.money(7, digits: 0), .empty]])
        let archive = try Archive(data: data, accessMode: .read)
        func part(_ path: String) throws -> String {
            var bytes = Data()
            _ = try archive.extract(try #require(archive[path])) { bytes.append($0) }
            return String(decoding: bytes, as: UTF8.self)
        }
        let sheet = try part("xl/worksheets/sheet1.xml")
        #expect(sheet.contains(#"<c r="A2" s="6"><v>5</v></c>"#), "two decimals: the built-in #,##0.00")
        #expect(sheet.contains(#"<c r="B2" s="1"><v>61</v></c>"#), "1 March 1900 is serial 61")
        #expect(sheet.contains(#"<c r="A3" s="4"><v>7</v></c>"#) && sheet.contains(#"state="frozen""#))
        #expect(try part("xl/workbook.xml").contains(#"<sheet name="abc""#), "a sheet name without the characters it may not hold")
        #expect(try part("[Content_Types].xml").contains("/xl/styles.xml"))
        #expect(XLSXWriter.columnName(0) == "A" && XLSXWriter.columnName(25) == "Z" && XLSXWriter.columnName(26) == "AA"
                && XLSXWriter.columnName(16_383) == "XFD")
    }

    /// A workbook as Excel and LibreOffice write them: shared strings (one of them rich text), a custom date format,
    /// a gap in a row, a blank row, and a formula's saved value.
    @Test func aSpreadsheetsOwnWorkbookIsRead() throws {
        let parts: [(String, String)] = [
            ("xl/workbook.xml", """
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
                <sheets><sheet name="Продажи" sheetId="1" r:id="rId7"/></sheets></workbook>
                """),
            ("xl/_rels/workbook.xml.rels", """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/>
                </Relationships>
                """),
            ("xl/sharedStrings.xml", """
                <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Период</t></si><si><t>Контрагент</t></si>
                <si><r><t>ООО </t></r><r><rPr><b/></rPr><t>Ромашка</t></r><rPh><t>ignored</t></rPh></si><si><t>Выручка</t></si></sst>
                """),
            ("xl/styles.xml", """
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1">
                <numFmt numFmtId="170" formatCode="dd/mm/yyyy;@"/></numFmts>
                <cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="170"/><xf numFmtId="4"/></cellXfs></styleSheet>
                """),
            ("xl/worksheets/data.xml", """
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="s"><v>3</v></c></row>
                <row r="3"><c r="A3" s="1"><v>46346</v></c><c r="B3" t="s"><v>2</v></c><c r="D3" s="2"><f>C3*2</f><v>1234.5</v></c></row>
                <row r="4"/>
                <row r="5"><c r="A5" s="1"><v>46346.75</v></c><c r="D5"><v>0.1</v></c></row>
                </sheetData></worksheet>
                """),
        ]
        let archive = try Archive(accessMode: .create)
        for (path, text) in parts {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let sheet = try XLSXReader.firstSheet(try #require(archive.data))
        #expect(sheet.rows.map(\.number) == [1, 3, 5], "a blank row is left out, numbers as the sheet shows them")
        #expect(sheet.rows[0].values == ["Период", "Контрагент", "", "Выручка"])
        #expect(sheet.rows[1].values == ["2026-11-20", "ООО Ромашка", "", "1234.5"])
        #expect(sheet.rows[2].values == ["2026-11-20 18:00", "", "", "0.1"])
    }

    @Test func whatIsNotAWorkbookIsNamed() throws {
        #expect(throws: XLSXReader.Failure.self) { try XLSXReader.firstSheet(Data("PK\u{3}\u{4}not really".utf8)) }
        let archive = try Archive(accessMode: .create)
        let bytes = Data("hello".utf8)
        try archive.addEntry(with: "readme.txt", type: .file, uncompressedSize: Int64(5), compressionMethod: .none) { (position: Int64, size: Int) in
            bytes.subdata(in: Int(position)..<Int(position) + size)
        }
        #expect(throws: XLSXReader.Failure.notAWorkbook("it has no xl/workbook.xml")) { try XLSXReader.firstSheet(try #require(archive.data)) }
        #expect(XLSXReader.isDateFormat("dd/mm/yyyy;@") && XLSXReader.isDateFormat("h:mm") && !XLSXReader.isDateFormat("#,##0.00")
                && !XLSXReader.isDateFormat(#"0.00" days""#) && !XLSXReader.isDateFormat("[Red]0.00"))
    }
}
