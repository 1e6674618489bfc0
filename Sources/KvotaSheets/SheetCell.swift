import Foundation
import KvotaCore

/// A cell of an exported sheet, typed so a spreadsheet can sum, sort and format it.
public enum SheetCell: Hashable, Sendable {
    case empty
    case text(String)
    case number(Double)
    /// An amount in a currency's units, shown with `digits` decimals and thousands separated.
    case money(Double, digits: Int)
    case date(LocalDate)
    /// An instant, shown in UTC (as the CSV writes it).
    case dateTime(Date)
    case bool(Bool)

    /// The cell for an exported table's text in column `column`. Kvota's tables write numbers, dates and times in one
    /// form each (the CSV's), so the text says the type; a few columns hold codes that look like numbers and stay text,
    /// and a few hold money. Anything that does not read as its type is kept as text: nothing is lost.
    public static func typed(_ text: String?, column: String) -> SheetCell {
        guard let text, !text.isEmpty else { return .empty }
        let name = column.lowercased()
        if textColumns.contains(name) || name.hasPrefix("custom.") { return .text(text) }
        if text == "true" || text == "false" { return .bool(text == "true") }
        if let number = number(text) {
            if moneyColumns.contains(name) { return .money(number, digits: text.split(separator: ".").dropFirst().first?.count ?? 0) }
            return .number(number)
        }
        if text.utf8.count == 10, let day = try? LocalDate(iso: text) { return .date(day) }
        if text.utf8.count >= 20, let instant = instant(text) { return .dateTime(instant) }
        return .text(text)
    }

    /// Codes that look like numbers but are not amounts: a legal id or a phone keeps its leading zeros and digits.
    static let textColumns: Set<String> = ["legal_id", "phone", "number", "sku", "external_id", "extension", "postcode", "series_key",
                                           "period", "key", "email", "name", "title", "subject"]
    /// Amounts written as decimals in the record's currency (`Money.decimalText`).
    static let moneyColumns: Set<String> = ["amount", "total", "price", "cost"]

    /// `-12`, `1234.5`: what Kvota writes for a number. No leading zeros, no exponent, at most 15 significant digits
    /// (what a spreadsheet holds exactly).
    static func number(_ text: String) -> Double? {
        var digits = 0, point = false, index = 0
        let bytes = Array(text.utf8)
        if bytes.first == UInt8(ascii: "-") { index = 1 }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "0"), index + 1 < bytes.count, bytes[index + 1] != UInt8(ascii: ".") { return nil }
        for byte in bytes[index...] {
            if byte == UInt8(ascii: ".") {
                guard !point, digits > 0 else { return nil }
                point = true
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                digits += 1
            } else {
                return nil
            }
        }
        guard digits > 0, digits <= 15, bytes.last != UInt8(ascii: ".") else { return nil }
        return Double(text)
    }

    static func instant(_ text: String) -> Date? {
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
