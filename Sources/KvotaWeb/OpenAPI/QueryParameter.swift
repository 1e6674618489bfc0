import KvotaCore

/// A query parameter of an operation: its name, what it means, and the schema of its value. A schema says no more
/// than the handler enforces: the fuzz test sends values outside it and expects a refusal, so an id is any integer
/// (an unknown one finds nothing) and a sort key stays text (an empty one means the default order).
struct QueryParameter: Sendable {
    let name: String
    let description: String
    var schema: JSONSchema = .string

    /// Free text: a name part, a cursor, a tag.
    static func text(_ name: String, _ description: String) -> Self {
        Self(name: name, description: description)
    }

    /// A record's id (`ListParameters.id`).
    static func id(_ name: String, _ description: String) -> Self {
        Self(name: name, description: description, schema: .integer)
    }

    /// A whole number within bounds, such as a page size.
    static func count(_ name: String, _ range: ClosedRange<Int>, _ description: String) -> Self {
        Self(name: name, description: description, schema: .bounded(range))
    }

    /// A calendar day, YYYY-MM-DD (`ListParameters.date`).
    static func day(_ name: String, _ description: String) -> Self {
        Self(name: name, description: description, schema: .date)
    }

    /// A moment, ISO 8601 with its offset.
    static func moment(_ name: String, _ description: String) -> Self {
        Self(name: name, description: description, schema: .dateTime)
    }

    /// true or false (`ListParameters.bool`).
    static func flag(_ name: String, _ description: String) -> Self {
        Self(name: name, description: description, schema: .boolean)
    }

    /// One of a few words.
    static func choice(_ name: String, _ values: [String], _ description: String) -> Self {
        Self(name: name, description: description, schema: .oneOf(values))
    }

    /// One of the keys of a type the handler decodes the value as (`decodeKey`).
    static func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, _ description: String) -> Self
    where T.RawValue == String {
        choice(name, type.allCases.map(\.rawValue), description)
    }

    /// One of a few words, or empty for the default: an HTML form's "all" option sends an empty value, so an analysis
    /// takes one (`AnalyticsParameters.choice`).
    static func option(_ name: String, _ values: [String], _ description: String) -> Self {
        choice(name, [""] + values, description)
    }

    static func option<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, _ description: String) -> Self
    where T.RawValue == String {
        option(name, type.allCases.map(\.rawValue), description)
    }

    /// `format`: JSON, or the table as CSV or XLSX (`TableFormat`).
    static let tableFormat = choice("format", TableFormat.self, "json (default), csv or xlsx")
}
