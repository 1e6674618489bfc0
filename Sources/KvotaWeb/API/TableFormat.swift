import Foundation
import Hummingbird
import KvotaCore
import KvotaSheets
import KvotaStore

/// How a list or an analysis answers: JSON, or the table a user puts in a spreadsheet as CSV or XLSX
/// (`?format=json|csv|xlsx`).
enum TableFormat: String, CaseIterable, Sendable {
    case json, csv, xlsx

    static func read(_ parameters: Parameters, into errors: inout ValidationFailure.Collector) -> TableFormat {
        let text = parameters["format"].map(String.init) ?? "json"
        guard let format = TableFormat(rawValue: text) else {
            errors.check(false, "format", "expected json, csv or xlsx, got '\(text)'")
            return .json
        }
        return format
    }

    /// A table already in memory (an analysis) in this format, worked out only when asked for; nil for JSON.
    func table(name: String, _ table: () -> (header: [String], rows: [[String?]])) throws -> Response? {
        switch self {
        case .json: return nil
        case .csv:
            let table = table()
            return CSVExport.table(filename: name + ".csv", header: table.header, rows: table.rows)
        case .xlsx:
            let table = table()
            return try XLSXExport.table(filename: name + ".xlsx", header: table.header, rows: table.rows)
        }
    }
}

/// A table as an XLSX answer: each cell typed from its text and column (`SheetCell.typed`). The workbook is built in
/// memory, because a zip entry's size goes before its bytes; CSV streams instead.
enum XLSXExport {
    /// The most rows a sheet holds, after its header.
    static let maximumRows = 1_048_575

    /// Every page of a list as one sheet; a list longer than a sheet holds is refused, naming CSV, before anything
    /// is sent.
    static func list<Item: Sendable>(filename: String, header: [String],
                                     fetch: @escaping @Sendable (String?) async throws -> RecordPage<Item>,
                                     row: @Sendable (Item) -> [String?]) async throws -> Response {
        var sheet = XLSXWriter.Sheet(header: header)
        var pages = PagesAhead(first: try await fetch(nil), fetch: fetch)
        while let page = try await pages.next() {
            for item in page.items { sheet.append(cells(row(item), header: header)) }
            if sheet.rowCount > maximumRows {
                pages.cancel()
                var errors = ValidationFailure.Collector()
                errors.check(false, "format", "an XLSX sheet holds at most \(maximumRows) rows; export this list as csv")
                try errors.finish()
            }
        }
        return answer(try sheet.workbook(name: sheetName(filename)), filename: filename)
    }

    static func table(filename: String, header: [String], rows: [[String?]]) throws -> Response {
        answer(try XLSXWriter.workbook(sheet: sheetName(filename), header: header, rows: rows.map { cells($0, header: header) }), filename: filename)
    }

    private static func cells(_ row: [String?], header: [String]) -> [SheetCell] {
        row.enumerated().map { SheetCell.typed($0.element, column: $0.offset < header.count ? header[$0.offset] : "") }
    }

    private static func sheetName(_ filename: String) -> String { String(filename.prefix { $0 != "." }) }

    private static func answer(_ workbook: Data, filename: String) -> Response {
        Response(status: .ok, headers: [.contentType: XLSXWriter.contentType, .contentDisposition: "attachment; filename=\"\(filename)\""],
                 body: .init(byteBuffer: ByteBuffer(bytes: workbook)))
    }
}
