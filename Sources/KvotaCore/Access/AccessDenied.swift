/// Why an action on records was refused. The web layer answers `notFound` with 404 and `forbidden` with 403.
public enum AccessDenied: Error, Equatable, Sendable, CustomStringConvertible {
    /// The record does not exist, or the caller may not see it: the two answer alike so ids do not leak.
    case notFound(RecordKind, id: Int64)
    /// The caller may see the record (or the list) but may not do this.
    case forbidden(AccessAction, RecordKind)

    public var description: String {
        switch self {
        case .notFound(let kind, let id): "no \(kind) \(id)"
        case .forbidden(let action, let kind): "your role may not \(action) \(kind) records here"
        }
    }
}
