/// A change based on an old copy of a record: someone else changed it since. The web layer answers 412, and the
/// client reloads and tries again, so no update is silently lost.
public struct VersionConflict: Error, Equatable, Sendable, CustomStringConvertible {
    public let kind: RecordKind
    public let id: Int64
    public let expected: Int64
    public let current: Int64

    public init(kind: RecordKind, id: Int64, expected: Int64, current: Int64) {
        self.kind = kind; self.id = id; self.expected = expected; self.current = current
    }

    public var description: String {
        "\(kind) \(id) was changed by someone else (version \(current), the change was based on \(expected)); reload it and try again"
    }
}
