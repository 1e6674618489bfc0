import Foundation
import KvotaCore

/// The JSON Schema subset the API document uses (OpenAPI 3.1 speaks JSON Schema 2020-12), written out as JSON and
/// checked against answers in tests. Written by hand: OpenAPIKit (in the package list) builds documents but does not
/// validate instances, and no JSON Schema validator is in the list; this subset is the part we use (docs/api.md).
public indirect enum JSONSchema: Sendable {
    case string(format: String? = nil)
    case integer
    /// An integer within these bounds (a page size).
    case bounded(ClosedRange<Int>)
    case number
    case boolean
    /// Any JSON value (custom-field values, whose type each field decides).
    case any
    case oneOf([String])
    case array(JSONSchema)
    /// Properties in order; `required` ones are always present. Answers carry no others.
    case object([(String, JSONSchema)], required: [String])
    /// An object whose keys are data (custom values by key).
    case map(JSONSchema)
    case nullable(JSONSchema)
    /// A schema of `components/schemas`.
    case ref(String)

    public static let string = JSONSchema.string(format: nil)
    public static let dateTime = JSONSchema.string(format: "date-time")
    public static let date = JSONSchema.string(format: "date")

    /// An object where every property not wrapped in `nullable` is required: the DTOs write every non-optional
    /// field and leave out nil ones.
    public static func record(_ properties: [(String, JSONSchema)]) -> JSONSchema {
        .object(properties, required: properties.compactMap { if case .nullable = $0.1 { nil } else { $0.0 } })
    }

    /// An object whose every property is optional (request bodies: PATCH names what it changes).
    public static func body(_ properties: [(String, JSONSchema)], required: [String] = []) -> JSONSchema {
        .object(properties.map { ($0.0, $0.1.allowingNull) }, required: required)
    }

    var allowingNull: JSONSchema {
        if case .nullable = self { return self }
        return .nullable(self)
    }

    public var json: JSONValue {
        switch self {
        case .string(let format):
            var fields: [String: JSONValue] = ["type": .string("string")]
            if let format { fields["format"] = .string(format) }
            return .object(fields)
        case .integer: return .object(["type": .string("integer")])
        case .bounded(let range):
            return .object(["type": .string("integer"), "minimum": .number(Double(range.lowerBound)), "maximum": .number(Double(range.upperBound))])
        case .number: return .object(["type": .string("number")])
        case .boolean: return .object(["type": .string("boolean")])
        case .any: return .object([:])
        case .oneOf(let values): return .object(["type": .string("string"), "enum": .array(values.map(JSONValue.string))])
        case .array(let items): return .object(["type": .string("array"), "items": items.json])
        case .object(let properties, let required):
            var fields: [String: JSONValue] = [
                "type": .string("object"), "additionalProperties": .bool(false),
                "properties": .object(Dictionary(uniqueKeysWithValues: properties.map { ($0.0, $0.1.json) })),
            ]
            if !required.isEmpty { fields["required"] = .array(required.map(JSONValue.string)) }
            return .object(fields)
        case .map(let values): return .object(["type": .string("object"), "additionalProperties": values.json])
        case .nullable(let schema): return .object(["anyOf": .array([schema.json, .object(["type": .string("null")])])])
        case .ref(let name): return .object(["$ref": .string("#/components/schemas/\(name)")])
        }
    }

    /// What in `value` breaks this schema, each problem with its JSON path; `schemas` resolves references.
    /// The fields of `value` this schema has no place for, named as a request's field errors name them
    /// (`lines[2].note`): what a client misspelt, or thought it could set. Types are the handler's to check.
    func unknownFields(in value: JSONValue, at path: String = "", schemas: [String: JSONSchema]) -> [String] {
        func inner(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        switch (self, value) {
        case (.nullable(let schema), _): return schema.unknownFields(in: value, at: path, schemas: schemas)
        case (.ref(let name), _): return schemas[name]?.unknownFields(in: value, at: path, schemas: schemas) ?? []
        case (.array(let items), .array(let elements)):
            return elements.enumerated().flatMap { items.unknownFields(in: $1, at: "\(path)[\($0)]", schemas: schemas) }
        case (.object(let properties, _), .object(let fields)):
            return fields.sorted { $0.key < $1.key }.flatMap { key, field -> [String] in
                guard let schema = properties.first(where: { $0.0 == key })?.1 else { return [inner(key)] }
                return schema.unknownFields(in: field, at: inner(key), schemas: schemas)
            }
        case (.map(let values), .object(let fields)):
            return fields.sorted { $0.key < $1.key }.flatMap { values.unknownFields(in: $1, at: inner($0), schemas: schemas) }
        default: return []
        }
    }

    public func problems(in value: JSONValue, at path: String = "$", schemas: [String: JSONSchema]) -> [String] {
        func wrong(_ expected: String) -> [String] { ["\(path): expected \(expected), got \(value.kindName)"] }
        switch (self, value) {
        case (.any, _): return []
        case (.nullable, .null): return []
        case (.nullable(let schema), _): return schema.problems(in: value, at: path, schemas: schemas)
        case (.ref(let name), _):
            guard let schema = schemas[name] else { return ["\(path): no schema '\(name)'"] }
            return schema.problems(in: value, at: path, schemas: schemas)
        case (.string(let format), .string(let text)):
            if format == "date", (try? LocalDate(iso: text)) == nil { return ["\(path): '\(text)' is not a date"] }
            if format == "date-time", (try? Date(text, strategy: .iso8601)) == nil { return ["\(path): '\(text)' is not a date-time"] }
            return []
        case (.integer, .number(let number)): return number == number.rounded() ? [] : wrong("an integer")
        case (.bounded(let range), .number(let number)):
            return number == number.rounded() && number >= Double(range.lowerBound) && number <= Double(range.upperBound)
                ? [] : wrong("an integer from \(range.lowerBound) to \(range.upperBound)")
        case (.number, .number), (.boolean, .bool): return []
        case (.oneOf(let values), .string(let text)): return values.contains(text) ? [] : ["\(path): '\(text)' is not one of \(values)"]
        case (.array(let items), .array(let elements)):
            return elements.enumerated().flatMap { items.problems(in: $1, at: "\(path)[\($0)]", schemas: schemas) }
        case (.object(let properties, let required), .object(let fields)):
            var found = required.filter { fields[$0] == nil }.map { "\(path).\($0): missing" }
            for (key, field) in fields.sorted(by: { $0.key < $1.key }) {
                guard let schema = properties.first(where: { $0.0 == key })?.1 else {
                    found.append("\(path).\(key): not in the schema")
                    continue
                }
                found += schema.problems(in: field, at: "\(path).\(key)", schemas: schemas)
            }
            return found
        case (.map(let values), .object(let fields)):
            return fields.sorted { $0.key < $1.key }.flatMap { values.problems(in: $1, at: "\(path).\($0)", schemas: schemas) }
        case (.string, _): return wrong("a string")
        case (.integer, _), (.bounded, _): return wrong("an integer")
        case (.number, _): return wrong("a number")
        case (.boolean, _): return wrong("true or false")
        case (.oneOf, _): return wrong("a string")
        case (.array, _): return wrong("an array")
        case (.object, _), (.map, _): return wrong("an object")
        }
    }
}

extension JSONValue {
    var kindName: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .array: "an array"
        case .object: "an object"
        case .null: "null"
        }
    }
}
