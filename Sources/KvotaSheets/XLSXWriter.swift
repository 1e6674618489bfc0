import Foundation
import KvotaCore
import ZIPFoundation

/// A table as an XLSX workbook (Office Open XML, ECMA-376): one sheet, the header row bold and frozen, every cell typed
/// (numbers as numbers, dates and times as dates with a format, money with thousands and its decimals). The zip comes
/// from ZIPFoundation; the few XML parts a workbook needs are written here, as no package on the list writes
/// SpreadsheetML (docs/import.md, "XLSX"). Text goes in as inline strings, which a spreadsheet never runs as a
/// formula, so a cell starting with `=` stays text.
public enum XLSXWriter {
    public static let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    public static func workbook(sheet name: String, header: [String], rows: [[SheetCell]]) throws -> Data {
        var sheet = Sheet(header: header)
        for row in rows { sheet.append(row) }
        return try sheet.workbook(name: name)
    }

    /// A sheet filled a row at a time, so a long list goes into the sheet's XML as its pages are read instead of being
    /// held as rows too.
    public struct Sheet {
        private var xml: String
        public private(set) var rowCount = 0

        public init(header: [String]) {
            xml = """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
                <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
                </sheetView></sheetViews><sheetData><row r="1">
                """
            for (index, title) in header.enumerated() { xml += cell(.text(title), at: index, row: 1, style: Style.header) }
            xml += "</row>"
        }

        public mutating func append(_ row: [SheetCell]) {
            rowCount += 1
            let number = rowCount + 1
            xml += "<row r=\"\(number)\">"
            for (index, value) in row.enumerated() where value != .empty { xml += cell(value, at: index, row: number) }
            xml += "</row>"
        }

        /// The workbook with this sheet, named `name`.
        public consuming func workbook(name: String) throws -> Data {
            xml += "</sheetData></worksheet>"
            let parts: [(String, Data)] = [
                ("[Content_Types].xml", Data(contentTypes.utf8)), ("_rels/.rels", Data(rootRelations.utf8)),
                ("xl/workbook.xml", Data(XLSXWriter.workbook(name).utf8)), ("xl/_rels/workbook.xml.rels", Data(workbookRelations.utf8)),
                ("xl/styles.xml", Data(styles.utf8)), ("xl/worksheets/sheet1.xml", Data(xml.utf8)),
            ]
            xml = ""
            return try ZipFiles.archive(parts)
        }
    }

    /// The cell styles in `styles`' `cellXfs` order.
    enum Style {
        static let general = 0, date = 1, dateTime = 2, header = 3
        /// Money with 0 to 4 decimals.
        static func money(_ digits: Int) -> Int { 4 + min(max(digits, 0), 4) }
    }

    static func cell(_ value: SheetCell, at column: Int, row: Int, style: Int? = nil) -> String {
        let reference = columnName(column) + String(row)
        let styled = { (s: Int) in s == 0 ? "" : " s=\"\(s)\"" }
        switch value {
        case .empty: return ""
        case .text(let text):
            return "<c r=\"\(reference)\" t=\"inlineStr\"\(styled(style ?? 0))><is><t xml:space=\"preserve\">\(escape(text))</t></is></c>"
        case .number(let number): return "<c r=\"\(reference)\"><v>\(format(number))</v></c>"
        case .money(let number, let digits): return "<c r=\"\(reference)\"\(styled(Style.money(digits)))><v>\(format(number))</v></c>"
        case .date(let day): return "<c r=\"\(reference)\"\(styled(Style.date))><v>\(serial(day))</v></c>"
        case .dateTime(let instant):
            return "<c r=\"\(reference)\"\(styled(Style.dateTime))><v>\(format(instant.timeIntervalSince1970 / 86_400 + Double(unixEpochSerial)))</v></c>"
        case .bool(let flag): return "<c r=\"\(reference)\" t=\"b\"><v>\(flag ? 1 : 0)</v></c>"
        }
    }

    /// A, B, …, Z, AA, …: the column's letters.
    static func columnName(_ index: Int) -> String {
        var index = index + 1, name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }

    /// 1970-01-01 as a spreadsheet's day serial: days since 1899-12-30, the epoch that counts Lotus's 29 February 1900
    /// and so starts a day early.
    static let unixEpochSerial = 25_569

    static func serial(_ day: LocalDate) -> Int { day.dayNumber + unixEpochSerial }

    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    /// Text as XML character data: the five markup characters escaped, and the control characters XML 1.0 cannot hold
    /// left out (tab, line feed and carriage return stay).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: - The fixed parts

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        </Types>
        """

    static let rootRelations = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    static let workbookRelations = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """

    /// A sheet name: at most 31 characters, none of `[]:*?/\`.
    static func workbook(_ name: String) -> String {
        let clean = String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="\(escape(clean.isEmpty ? "Sheet1" : clean))" sheetId="1" r:id="rId1"/></sheets></workbook>
            """
    }

    /// General, date, date and time, bold header, then money with 0 to 4 decimals (`Style`).
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="6"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd hh:mm"/>\
        <numFmt numFmtId="166" formatCode="#,##0.0"/><numFmt numFmtId="167" formatCode="#,##0.000"/>\
        <numFmt numFmtId="168" formatCode="#,##0.0000"/><numFmt numFmtId="169" formatCode="#,##0"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="9"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="169" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="168" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """
}
