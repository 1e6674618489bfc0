import Foundation
import Hummingbird
import KvotaCore

/// Optimistic concurrency over HTTP: a record's answer carries its version as the ETag, and a change may send it back
/// in If-Match; a stale one answers 412 and changes nothing.
enum Versioning {
    static func etag(_ version: Int64) -> String { "\"\(version)\"" }

    /// A JSON answer carrying `version` as its ETag, for the client to send back in If-Match.
    static func response(_ value: some Encodable, version: Int64, status: HTTPResponse.Status = .ok) throws -> Response {
        var response = try JSONBody.response(value, status: status)
        response.headers[.eTag] = etag(version)
        return response
    }

    /// The version an If-Match header names, nil when there is none; `*` matches any version.
    static func expectedVersion(_ request: Request) throws -> Int64? {
        guard let header = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), header != "*" else { return nil }
        let digits = header.hasPrefix("W/") ? String(header.dropFirst(2)) : header
        guard let version = Int64(digits.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) else {
            throw ValidationFailure([.invalid(field: "If-Match", reason: "expected the ETag of the record, like \"3\", got '\(header)'")])
        }
        return version
    }
}
