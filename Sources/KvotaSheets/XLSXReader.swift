import Foundation
import KvotaCore
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The first sheet of an XLSX workbook as rows of text, the way the CSV reader gives them: numbers in plain decimal
/// form (`1234.5`), cells formatted as dates as ISO dates (`2026-11-20`, with `HH:MM` when they hold a time), booleans
/// as `true` and `false`, shared and inline strings as they are. Each row keeps the number the spreadsheet shows, so
/// problems point at the row people see. Formulas are read as the value the file last saved for them.
public enum XLSXReader {
    public struct Sheet: Sendable {
        public var rows: [(number: Int, values: [String])]
    }

    public enum Failure: Error, Equatable {
        case notAWorkbook(String)
    }

    /// Whether the bytes are a zip (an XLSX file is one), by its signature.
    public static func looksLikeWorkbook(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    public static func firstSheet(_ data: Data) throws(Failure) -> Sheet {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw .notAWorkbook("the file is not a readable zip") }
        func part(_ path: String) throws(Failure) -> Data? {
            guard let entry = archive[path] else { return nil }
            // A zip bomb is refused before it is unpacked: no sheet Kvota imports comes near this.
            guard entry.uncompressedSize < 1 << 30 else { throw .notAWorkbook("\(path) unpacks to more than 1 GiB") }
            var data = Data()
            do { _ = try archive.extract(entry) { data.append($0) } } catch { throw .notAWorkbook("\(path) cannot be unpacked") }
            return data
        }
        guard let workbook = try part("xl/workbook.xml") else { throw .notAWorkbook("it has no xl/workbook.xml") }
        let sheetPath = try firstSheetPath(workbook: workbook, relations: try part("xl/_rels/workbook.xml.rels"))
        guard let sheet = try part(sheetPath) else { throw .notAWorkbook("it has no \(sheetPath)") }
        let strings = try part("xl/sharedStrings.xml").map(sharedStrings) ?? []
        let dates = try part("xl/styles.xml").map(dateStyles) ?? []
        return try rows(sheet, strings: strings, dateStyles: dates)
    }

    // MARK: - Parts

    /// The first `<sheet>`'s part, through its relationship; `xl/worksheets/sheet1.xml` when the file names none.
    static func firstSheetPath(workbook: Data, relations: Data?) throws(Failure) -> String {
        var relationID: String?
        try parse(workbook) { name, attributes in
            if name == "sheet", relationID == nil {
                relationID = attributes.first { $0.key == "r:id" || $0.key.hasSuffix(":id") }?.value
            }
        }
        guard let relationID, let relations else { return "xl/worksheets/sheet1.xml" }
        var target: String?
        try parse(relations) { name, attributes in
            if name == "Relationship", attributes["Id"] == relationID { target = attributes["Target"] }
        }
        guard let target else { return "xl/worksheets/sheet1.xml" }
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }

    static func sharedStrings(_ data: Data) throws(Failure) -> [String] {
        let reader = StringsReader()
        try run(data, reader)
        return reader.strings
    }

    /// The indexes of the cell styles (`cellXfs`) whose number format shows a date or time.
    static func dateStyles(_ data: Data) throws(Failure) -> Set<Int> {
        var customDates = Set<Int>(), styles: [Int] = [], inCellXfs = false
        try parse(data, end: { name in if name == "cellXfs" { inCellXfs = false } }) { name, attributes in
            switch name {
            case "numFmt":
                if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"], isDateFormat(code) {
                    customDates.insert(id)
                }
            case "cellXfs": inCellXfs = true
            case "xf" where inCellXfs: styles.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
            default: break
            }
        }
        let builtIn = Set(14...22).union(45...47)
        return Set(styles.indices.filter { builtIn.contains(styles[$0]) || customDates.contains(styles[$0]) })
    }

    /// A format code shows a date when, outside quoted text and `[…]` sections, it has a day, month, year or hour.
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false, bracket = false, escaped = false
        for character in code.lowercased() {
            if escaped { escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case "\"": quoted.toggle()
            case "[" where !quoted: bracket = true
            case "]" where !quoted: bracket = false
            case "d", "m", "y", "h": if !quoted && !bracket { return true }
            default: break
            }
        }
        return false
    }

    static func rows(_ data: Data, strings: [String], dateStyles: Set<Int>) throws(Failure) -> Sheet {
        let reader = SheetReader(strings: strings, dateStyles: dateStyles)
        try run(data, reader)
        if let problem = reader.problem { throw .notAWorkbook(problem) }
        return Sheet(rows: reader.rows)
    }

    // MARK: - XML

    private static func parse(_ data: Data, end: @escaping (String) -> Void = { _ in },
                              start: @escaping (String, [String: String]) -> Void) throws(Failure) {
        try run(data, ElementReader(start: start, end: end))
    }

    private static func run(_ data: Data, _ delegate: some XMLParserDelegate) throws(Failure) {
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            throw .notAWorkbook("its XML is broken (line \(parser.lineNumber)): \(parser.parserError?.localizedDescription ?? "unknown")")
        }
    }

    private final class ElementReader: NSObject, XMLParserDelegate {
        let start: (String, [String: String]) -> Void
        let end: (String) -> Void

        init(start: @escaping (String, [String: String]) -> Void, end: @escaping (String) -> Void) {
            self.start = start; self.end = end
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            start(localName(name), attributes)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            end(localName(name))
        }
    }

    /// `<si>` items, each the text of all its `<t>` (a rich-text string has several runs), phonetic hints left out.
    private final class StringsReader: NSObject, XMLParserDelegate {
        var strings: [String] = []
        private var current = "", inText = false, inPhonetic = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch localName(name) {
            case "si": current = ""
            case "t": inText = !inPhonetic
            case "rPh": inPhonetic = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch localName(name) {
            case "si": strings.append(current)
            case "t": inText = false
            case "rPh": inPhonetic = false
            default: break
            }
        }
    }

    private final class SheetReader: NSObject, XMLParserDelegate {
        let strings: [String]
        let dateStyles: Set<Int>
        var rows: [(number: Int, values: [String])] = []
        var problem: String?
        private var row: [String] = [], rowNumber = 0
        private var column = 0, type = "n", style = 0, value = "", inValue = false

        init(strings: [String], dateStyles: Set<Int>) { self.strings = strings; self.dateStyles = dateStyles }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch localName(name) {
            case "row":
                rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
                row = []
            case "c":
                column = attributes["r"].flatMap(XLSXReader.columnIndex) ?? row.count
                type = attributes["t"] ?? "n"
                style = attributes["s"].flatMap(Int.init) ?? 0
                value = ""
            case "v", "t": inValue = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { value += string } }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch localName(name) {
            case "v", "t": inValue = false
            case "c":
                guard column < 16_384 else { problem = "a cell lies past the last column a sheet has"; return }
                if row.count <= column { row += Array(repeating: "", count: column + 1 - row.count) }
                row[column] = text()
            case "row":
                if row.contains(where: { !$0.isEmpty }) { rows.append((rowNumber, row)) }
            default: break
            }
        }

        private func text() -> String {
            switch type {
            case "s": return Int(value).flatMap { $0 < strings.count ? strings[$0] : nil } ?? ""
            case "b": return value == "1" ? "true" : "false"
            case "inlineStr", "str", "e": return value
            default:
                guard let number = Double(value) else { return value }
                if dateStyles.contains(style) { return XLSXReader.dateText(serial: number) }
                return XLSXReader.numberText(number)
            }
        }
    }

    // MARK: - Values

    /// `B12` → 1.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0, letters = 0
        for scalar in reference.unicodeScalars {
            guard ("A"..."Z").contains(scalar) else { break }
            index = index * 26 + Int(scalar.value - 64)
            letters += 1
        }
        return letters > 0 ? index - 1 : nil
    }

    /// A number as Kvota's importers read it: no exponent, no trailing `.0`, the shortest digits that give it back.
    static func numberText(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        let text = String(number)
        guard text.contains("e") else { return text }
        return Decimal(number).description
    }

    /// A date serial (days since 1899-12-30) as `YYYY-MM-DD`, with ` HH:MM` when it has a time of day.
    static func dateText(serial: Double) -> String {
        let minutes = Int(((serial - Double(XLSXWriter.unixEpochSerial)) * 1_440).rounded())
        let (days, minute) = (minutes.quotientAndRemainder(dividingBy: 1_440))
        let (day, clock) = minute < 0 ? (days - 1, minute + 1_440) : (days, minute)
        let date = LocalDate(dayNumber: day).iso
        return clock == 0 ? date : date + String(format: " %02d:%02d", clock / 60, clock % 60)
    }
}

/// An element's name without its namespace prefix (`x:row` → `row`).
private func localName(_ name: String) -> String {
    guard let colon = name.lastIndex(of: ":") else { return name }
    return String(name[name.index(after: colon)...])
}
