import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A posted `multipart/form-data` form (a page's file upload), read with MultipartKit's parser: its parts by name.
struct MultipartForm {
    let parts: [MultipartPart]

    /// The largest form a page posts: an import's file, as large as the API takes one for the background.
    static let maximumBytes = ImportsAPI.maximumBackgroundBytes

    /// Nil when the request is not multipart or has no boundary.
    static func read(_ request: inout Request) async throws -> MultipartForm? {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
              let boundary = type.split(separator: ";").lazy.map({ $0.trimmingCharacters(in: .whitespaces) })
                .first(where: { $0.lowercased().hasPrefix("boundary=") })
                .map({ String($0.dropFirst("boundary=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) })
        else { return nil }
        let body = try await request.collectBody(upTo: maximumBytes)
        var parts: [MultipartPart] = []
        var current = MultipartPart(body: ByteBuffer())
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in current.headers.add(name: name, value: value) }
        parser.onBody = { chunk in current.body.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append(current)
            current = MultipartPart(body: ByteBuffer())
        }
        do {
            try parser.execute(body)
        } catch {
            throw HTTPError(.badRequest, message: "the form's parts could not be read: \(error)")
        }
        return MultipartForm(parts: parts)
    }

    func text(_ name: String) -> String? { parts.first { $0.name == name }.map { String(buffer: $0.body) } }
    func data(_ name: String) -> Data? { parts.first { $0.name == name }.map { Data(buffer: $0.body) } }
}
