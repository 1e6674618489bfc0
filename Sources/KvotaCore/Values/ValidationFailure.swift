/// Every problem found in one input, each naming its field: a form shows them all at once, an API answers 422
/// with the list.
public struct ValidationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public let errors: [ValueError]

    public init(_ errors: [ValueError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "; ") }

    /// Collects the errors of several checks; throws when any failed.
    public struct Collector {
        public private(set) var errors: [ValueError] = []
        public init() {}

        public mutating func check(_ condition: Bool, _ field: String, _ reason: @autoclosure () -> String) {
            if !condition { errors.append(.invalid(field: field, reason: reason())) }
        }

        /// A problem with `field` is already noted.
        public func has(_ field: String) -> Bool { errors.contains { $0.field == field } }

        public func finish() throws(ValidationFailure) {
            if !errors.isEmpty { throw ValidationFailure(errors) }
        }
    }
}

extension ValidationFailure {
    /// The same problems under a part of a larger request (`account.name` for the account of a lead conversion).
    public func prefixed(_ prefix: String) -> ValidationFailure {
        ValidationFailure(errors.map { .invalid(field: prefix + $0.field, reason: $0.reason) })
    }
}
