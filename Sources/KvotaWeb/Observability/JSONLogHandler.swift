import Foundation
import Logging

/// One JSON object per log line on standard error (`KVOTA_LOG_FORMAT=json`), for a log collector (Loki, Elasticsearch,
/// journald's JSON export) to read without a parsing rule: `time`, `level`, `logger`, `message`, and each metadata key
/// as a field of its own (a request's `request_id`, `status`, `duration_ms` …), and `source`, the file and line.
///
/// Written here because swift-log ships only its text handler and no package on Kvota's list writes JSON lines (docs/
/// deployment.md, "Logs"); Foundation's JSONSerialization does the escaping. Each line goes out in one `write`, so
/// lines from many threads do not interleave.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: @Sendable (String) -> Void

    /// `output` receives each line with its newline; standard error unless a test listens.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil,
                output: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let own = event.metadata { fields.merge(own) { _, new in new } }
        var object = fields.mapValues(Self.plain)
        // The fixed keys win over metadata of the same name.
        object["time"] = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        object["level"] = event.level.rawValue
        object["logger"] = label
        object["message"] = event.message.description
        object["source"] = "\(event.file.split(separator: "/").last ?? ""):\(event.line)"
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        output(String(decoding: data, as: UTF8.self) + "\n")
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(FileHandle.standardError.fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Metadata as the plain values JSONSerialization writes.
    static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(plain)
        case .dictionary(let values): values.mapValues(plain)
        }
    }
}
