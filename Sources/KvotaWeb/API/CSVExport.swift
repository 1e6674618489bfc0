import Foundation
import Hummingbird
import KvotaStore

/// `?format=csv` on a list: the same query, every page, streamed to the client as RFC 4180 CSV (UTF-8 with a BOM so
/// Excel reads the letters right). Rows go out a page at a time, so an export of 100 000 rows holds one page in
/// memory, not the whole file.
enum CSVExport {
    static let pageSize = PageSize.maximum

    /// `fetch` answers one page for a cursor; `row` turns an item into its fields in `header`'s order.
    static func response<Item: Sendable>(filename: String, header: [String],
                                         fetch: @escaping @Sendable (String?) async throws -> RecordPage<Item>,
                                         row: @escaping @Sendable (Item) -> [String?]) async throws -> Response {
        // The first page is read before answering, so an error (access, a bad filter) is still a proper error answer.
        let first = try await fetch(nil)
        let body = ResponseBody { writer in
            var buffer = ByteBuffer(bytes: [0xEF, 0xBB, 0xBF])
            buffer.writeString(line(header))
            var page = first
            while true {
                for item in page.items { buffer.writeString(line(row(item))) }
                try await writer.write(buffer)
                buffer.clear()
                guard let next = page.next else { break }
                page = try await fetch(next)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"\(filename)\""], body: body)
    }

    /// A table already in memory (an analysis), as one CSV answer.
    static func table(filename: String, header: [String], rows: [[String?]]) -> Response {
        var buffer = ByteBuffer(bytes: [0xEF, 0xBB, 0xBF])
        buffer.writeString(line(header))
        for row in rows { buffer.writeString(line(row)) }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"\(filename)\""], body: .init(byteBuffer: buffer))
    }

    /// One CSV line: fields with a comma, quote or line break are quoted, quotes doubled; nil is an empty field.
    static func line(_ fields: [String?]) -> String {
        fields.map { field -> String in
            guard let field else { return "" }
            let text = neutralised(field)
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }

    /// A field a spreadsheet would run as a formula (one a customer typed into a web form as `=HYPERLINK(…)` or
    /// `@SUM(…)|cmd`) starts with an apostrophe, which Excel and LibreOffice show as text, not as part of the value
    /// (OWASP, "CSV injection"). A number keeps its sign; the importer drops the apostrophe again
    /// (`ImportTable.withoutFormulaGuard`), so an export imports back as it was.
    static func neutralised(_ field: String) -> String {
        guard let first = field.utf8.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D].contains(first)
        else { return field }
        let rest = field.utf8.dropFirst()
        let number = !rest.isEmpty && rest.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: ".") }
        return (first == UInt8(ascii: "+") || first == UInt8(ascii: "-")) && number ? field : "'" + field
    }
}
