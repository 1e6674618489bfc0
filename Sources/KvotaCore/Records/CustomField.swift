import Foundation

/// A field an admin adds to a record kind ("Tender number" on deals, "Fleet size" on accounts), typed and validated
/// like a built-in one.
public struct CustomField: Hashable, Sendable {
    public typealias ID = Identifier<CustomField>

    public enum FieldType: String, CaseIterable, Sendable, Codable { case text, number, money, date, select, multiselect, boolean }

    public var id: ID
    public var kind: RecordKind
    /// What the API and CSV call it: lower case letters, digits and underscores, fixed once made.
    public var key: String
    public var label: String
    public var type: FieldType
    /// The choices of a select or multiselect field.
    public var options: [String]
    /// A new record must give it.
    public var required: Bool
    /// A retired field keeps its values but takes no new ones and is not exported.
    public var active: Bool
    public var position: Int
    public var version: Int64

    public init(id: ID, kind: RecordKind, key: String, label: String, type: FieldType, options: [String] = [], required: Bool = false,
                active: Bool = true, position: Int = 0, version: Int64 = 1) {
        self.id = id; self.kind = kind; self.key = key; self.label = label; self.type = type; self.options = options
        self.required = required; self.active = active; self.position = position; self.version = version
    }

    /// The record kinds that carry custom fields.
    public static let kinds: [RecordKind] = [.account, .contact, .lead, .deal, .product, .order, .activity]

    /// The value `json` gives this field, or a problem named at `field`.
    public func value(from json: JSONValue, field: String, into errors: inout ValidationFailure.Collector) -> CustomValue? {
        switch (type, json) {
        case (.text, .string(let text)):
            let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            errors.check(text.count <= 2_000, field, "must be at most 2 000 characters")
            return text.isEmpty ? nil : .text(text)
        case (.number, .number(let number)):
            return .number(number)
        case (.money, .number(let number)):
            guard number == number.rounded(), abs(number) < 1e15 else {
                errors.check(false, field, "expected a whole number of minor units (cents, öre, kopecks)")
                return nil
            }
            return .money(Int64(number))
        case (.date, .string(let text)):
            do throws(ValueError) { return .date(try LocalDate(iso: text, field: field)) } catch {
                errors.check(false, error.field, error.reason)
                return nil
            }
        case (.select, .string(let choice)):
            guard let option = options.first(where: { $0.lowercased() == choice.lowercased() }) else {
                errors.check(false, field, "expected one of: \(options.joined(separator: ", ")); got '\(choice)'")
                return nil
            }
            return .choice(option)
        case (.multiselect, .array(let items)):
            var chosen: [String] = []
            for item in items {
                guard case .string(let choice) = item, let option = options.first(where: { $0.lowercased() == choice.lowercased() }) else {
                    errors.check(false, field, "expected some of: \(options.joined(separator: ", "))")
                    return nil
                }
                if !chosen.contains(option) { chosen.append(option) }
            }
            return chosen.isEmpty ? nil : .choices(chosen)
        case (.boolean, .bool(let flag)):
            return .bool(flag)
        case (_, .null):
            return nil
        default:
            errors.check(false, field, "expected \(type.expectation)")
            return nil
        }
    }
}

extension CustomField.FieldType {
    var expectation: String {
        switch self {
        case .text: "text"
        case .number: "a number"
        case .money: "a whole number of minor units"
        case .date: "a date YYYY-MM-DD"
        case .select: "one of the options, as text"
        case .multiselect: "a list of the options"
        case .boolean: "true or false"
        }
    }
}

/// A custom field's value on one record.
public enum CustomValue: Hashable, Sendable, Codable {
    case text(String)
    case number(Double)
    case money(Int64)
    case date(LocalDate)
    /// The option of a select field.
    case choice(String)
    /// The chosen options of a multiselect field.
    case choices([String])
    case bool(Bool)

    /// As the API writes it.
    public var json: JSONValue {
        switch self {
        case .text(let text): .string(text)
        case .number(let number): .number(number)
        case .money(let minor): .number(Double(minor))
        case .date(let day): .string(day.iso)
        case .choice(let option): .string(option)
        case .choices(let options): .array(options.map(JSONValue.string))
        case .bool(let flag): .bool(flag)
        }
    }

    /// As a CSV cell writes it (choices joined with "; ").
    public var text: String {
        switch self {
        case .text(let text): text
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .money(let minor): String(minor)
        case .date(let day): day.iso
        case .choice(let option): option
        case .choices(let options): options.joined(separator: "; ")
        case .bool(let flag): flag ? "true" : "false"
        }
    }
}

/// A JSON value as a client sent it, for fields whose type is only known at run time.
public enum JSONValue: Hashable, Sendable, Codable {
    case string(String), number(Double), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else if let text = try? container.decode(String.self) { self = .string(text) }
        else if let items = try? container.decode([JSONValue].self) { self = .array(items) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        case .array(let items): try container.encode(items)
        case .object(let fields): try container.encode(fields)
        case .null: try container.encodeNil()
        }
    }
}

extension CustomField {
    /// The custom values of a record after a change: `patch` names keys to set (null clears one); unknown keys,
    /// retired fields and bad values are problems under `custom.KEY`; a new record must give every required field.
    public static func apply(_ patch: [String: JSONValue]?, to current: [String: CustomValue], fields: [CustomField], isNew: Bool,
                             into errors: inout ValidationFailure.Collector) -> [String: CustomValue] {
        var values = current
        for (key, json) in (patch ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let field = fields.first(where: { $0.key == key && $0.active }) else {
                errors.check(false, "custom.\(key)", "no such field")
                continue
            }
            values[key] = field.value(from: json, field: "custom.\(key)", into: &errors)
        }
        for field in fields where field.active && field.required && (isNew || patch?.keys.contains(field.key) == true) {
            errors.check(values[field.key] != nil, "custom.\(field.key)", "is required")
        }
        return values
    }
}
