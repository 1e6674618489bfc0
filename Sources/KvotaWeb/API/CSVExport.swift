import Foundation
import Hummingbird
import KvotaCore
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
            var pages = PagesAhead(first: first, fetch: fetch)
            do {
                while let page = try await pages.next() {
                    for item in page.items { buffer.writeString(line(row(item))) }
                    try await writer.write(buffer)
                    buffer.clear()
                }
            } catch {
                pages.cancel()
                throw error
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

    /// One CSV line: fields with a comma, quote or line break are quoted, quotes doubled; nil is an empty field; a
    /// field a spreadsheet would run as a formula is guarded (`FormulaGuard`).
    static func line(_ fields: [String?]) -> String {
        fields.map { field -> String in
            guard let field else { return "" }
            let text = FormulaGuard.guarded(field)
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }
}
