/// A value that cannot be built from what was given. `field` names the input so a form or an API client can
/// show the error where it belongs.
public enum ValueError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(field: String, reason: String)
    case currencyMismatch(Currency, Currency)

    public var field: String {
        switch self {
        case .invalid(let field, _): field
        case .currencyMismatch: "currency"
        }
    }

    /// What is wrong, without the field's name (a form shows it beside the field).
    public var reason: String {
        switch self {
        case .invalid(_, let reason): reason
        case .currencyMismatch(let a, let b): "cannot combine \(a) and \(b) amounts without a conversion"
        }
    }

    public var description: String {
        switch self {
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .currencyMismatch(let a, let b): "currency: cannot combine \(a) and \(b) amounts without a conversion"
        }
    }
}
