import Foundation
import Hummingbird
import KvotaCore
import NIOFoundationCompat

/// JSON in and out of the API: dates as ISO 8601, keys sorted (stable responses), and a body that does not decode
/// becomes a 422 naming the field, like any other validation failure.
enum JSONBody {
    static let maximumBytes = 1 << 20

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: .init(data: try encoder.encode(value))))
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: maximumBytes)
        do {
            return try decoder.decode(type, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw ValidationFailure([Self.fieldError(error)])
        }
    }

    static func fieldError(_ error: DecodingError) -> ValueError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalid(field: path(context.codingPath + [key]), reason: "is required")
        case .typeMismatch(let type, let context):
            return .invalid(field: path(context.codingPath), reason: "expected \(describe(type))")
        case .valueNotFound(let type, let context):
            return .invalid(field: path(context.codingPath), reason: "expected \(describe(type)), got null")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return .invalid(field: field.isEmpty ? "body" : field,
                            reason: field.isEmpty ? "is not valid JSON" : context.debugDescription)
        @unknown default:
            return .invalid(field: "body", reason: "could not be read")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Bool.Type: "true or false"
        case is Date.Type: "a date and time like 2026-11-23T09:00:00Z"
        default: "a value of another type"
        }
    }
}

extension Request {
    /// A path parameter that must be a record id; anything else is a 404, as a missing record would be.
    func id(_ kind: RecordKind, context: some RequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw AccessDenied.notFound(kind, id: 0)
        }
        return id
    }
}

/// An enum in a request body: a clear 422 listing the allowed values instead of a decoding error.
func decodeKey<E: RawRepresentable & CaseIterable>(_ text: String?, as type: E.Type, field: String,
                                                     into errors: inout ValidationFailure.Collector) -> E? where E.RawValue == String {
    guard let text else { return nil }
    guard let value = E(rawValue: text) else {
        errors.check(false, field, "expected one of \(E.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
        return nil
    }
    return value
}
