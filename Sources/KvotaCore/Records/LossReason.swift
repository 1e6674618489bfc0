import Foundation

/// Why a deal was lost or a lead disqualified, from a list an admin keeps, so the funnel's loss analysis groups
/// like with like instead of a hundred spellings of "too expensive".
public struct LossReason: Hashable, Sendable, Codable {
    public typealias ID = Identifier<LossReason>

    public enum AppliesTo: String, CaseIterable, Sendable, Codable { case deal, lead }

    public var id: ID
    public var appliesTo: AppliesTo
    public var name: String
    public var position: Int
    /// A retired reason stays on the deals that carry it but is not offered any more.
    public var active: Bool
    public var version: Int64

    public init(id: ID, appliesTo: AppliesTo, name: String, position: Int, active: Bool = true, version: Int64 = 1) {
        self.id = id; self.appliesTo = appliesTo; self.name = name; self.position = position; self.active = active
        self.version = version
    }

    /// The reason of `reasons` that `text` names, in any case; the list is named in the error otherwise.
    public static func match(_ text: String?, in reasons: [LossReason], field: String,
                             into errors: inout ValidationFailure.Collector) -> String? {
        guard let text else { return nil }
        let active = reasons.filter(\.active)
        if let reason = active.first(where: { $0.name.lowercased() == text.lowercased() }) { return reason.name }
        errors.check(false, field, "expected one of: \(active.map(\.name).joined(separator: ", ")); got '\(text)'")
        return text
    }
}
