import CSV
import Foundation
import KvotaCore
import KvotaSheets

/// A file as people bring it, turned into a header and rows of text. An XLSX workbook (a zip) gives its first sheet,
/// numbers and dates written out as the CSV layouts have them. Otherwise it is CSV: the encoding from its byte-order
/// mark, else UTF-8 when it is valid UTF-8, else Windows-1251 (what 1C and Russian or Ukrainian Excel write); the
/// delimiter is the one of comma, semicolon and tab that the header line holds most of.
public struct ImportTable: Sendable {
    public let header: [String]
    /// Each data row with its number as a spreadsheet shows it (the header is row 1); blank rows are left out.
    public let rows: [(number: Int, values: [String])]
    public let encoding: String
    public let delimiter: Character

    /// `hasHeader: false` reads a file of data rows only (Asterisk's CDR): the header is empty and rows count from 1.
    public static func read(_ data: Data, hasHeader: Bool = true) throws(ImportFailure) -> ImportTable {
        if XLSXReader.looksLikeWorkbook(data) { return try workbook(data, hasHeader: hasHeader) }
        let (decoded, encoding) = try decode(data)
        // No database keeps a NUL in text (PostgreSQL refuses it outright): such a file is not text, or is UTF-16
        // without its byte-order mark, and is refused here by its line rather than half-way through the writing.
        if let nul = decoded.utf8.firstIndex(of: 0) {
            let line = decoded.utf8[..<nul].lazy.filter { $0 == UInt8(ascii: "\n") }.count + 1
            throw ImportFailure.unreadable("the file holds a NUL character on line \(line); save it as CSV text in UTF-8")
        }
        let delimiter = detectDelimiter(decoded)
        let text = keepingBlankLines(decoded, delimiter: delimiter)
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: hasHeader, trimFields: false, delimiter: delimiter.unicodeScalars.first!)
        } catch {
            throw ImportFailure.unreadable("the file is not CSV: \(error)")
        }
        var rows: [(number: Int, values: [String])] = []
        var number = hasHeader ? 1 : 0
        while let row = reader.next() {
            number += 1
            if row.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) { continue }
            rows.append((number, row.map(FormulaGuard.unguarded)))
        }
        if let error = reader.error { throw ImportFailure.unreadable("the file is not CSV after row \(number): \(error)") }
        if !hasHeader { return ImportTable(header: [], rows: rows, encoding: encoding, delimiter: delimiter) }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !header.isEmpty, header.contains(where: { !$0.isEmpty }) else { throw ImportFailure.unreadable("the file has no header row") }
        return ImportTable(header: header, rows: rows, encoding: encoding, delimiter: delimiter)
    }

    /// The first sheet: its first row the header (when there is one), the rest numbered as the spreadsheet shows them.
    static func workbook(_ data: Data, hasHeader: Bool) throws(ImportFailure) -> ImportTable {
        let sheet: XLSXReader.Sheet
        do throws(XLSXReader.Failure) { sheet = try XLSXReader.firstSheet(data) } catch {
            switch error {
            case .notAWorkbook(let reason): throw .unreadable("the file is not an XLSX workbook: \(reason)")
            }
        }
        guard hasHeader else { return ImportTable(header: [], rows: sheet.rows, encoding: "XLSX", delimiter: ",") }
        guard let first = sheet.rows.first else { throw .unreadable("the file has no header row") }
        let header = first.values.map { $0.trimmingCharacters(in: .whitespaces) }
        return ImportTable(header: header, rows: Array(sheet.rows.dropFirst()), encoding: "XLSX", delimiter: ",")
    }

    static func decode(_ data: Data) throws(ImportFailure) -> (String, String) {
        let bytes = [UInt8](data.prefix(3))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]), let text = String(data: data.dropFirst(3), encoding: .utf8) { return (text, "UTF-8") }
        if bytes.starts(with: [0xFF, 0xFE]), let text = String(data: data.dropFirst(2), encoding: .utf16LittleEndian) { return (text, "UTF-16LE") }
        if bytes.starts(with: [0xFE, 0xFF]), let text = String(data: data.dropFirst(2), encoding: .utf16BigEndian) { return (text, "UTF-16BE") }
        if let text = String(data: data, encoding: .utf8) { return (text, "UTF-8") }
        if let text = String(data: data, encoding: .windowsCP1251) { return (text, "Windows-1251") }
        throw ImportFailure.unreadable("the file is neither UTF-8, UTF-16 with a byte-order mark, nor Windows-1251")
    }

    /// The CSV reader passes over blank lines, but a spreadsheet shows them as rows: a lone delimiter keeps each as
    /// an (empty, then skipped) row, so the row numbers in problems are the ones people see.
    static func keepingBlankLines(_ text: String, delimiter: Character) -> String {
        guard hasBlankLine(text) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        var quoted = false
        var lineEmpty = true
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character.isNewline && !quoted {
                if lineEmpty { result.append(delimiter) }
                lineEmpty = true
            } else {
                lineEmpty = false
            }
            result.append(character)
        }
        return result
    }

    private static func hasBlankLine(_ text: String) -> Bool {
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x0A && (previous == 0x0A || (previous == 0x0D && beforePrevious == 0x0A)) { return true }
            beforePrevious = previous
            previous = byte
        }
        return false
    }

    static func detectDelimiter(_ text: String) -> Character {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r" }
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for character in firstLine {
            if character == "\"" { quoted.toggle() } else if !quoted, counts[character] != nil { counts[character]! += 1 }
        }
        return [";", "\t", ","].max { counts[$0]! < counts[$1]! } ?? ","
    }
}

/// Why a file could not be imported at all (as opposed to problems in its rows).
public enum ImportFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(String)
    case layout(String)

    public var description: String {
        switch self {
        case .unreadable(let reason), .layout(let reason): reason
        }
    }
}
