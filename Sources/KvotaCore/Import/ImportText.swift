import Foundation

/// How an imported cell's text becomes a value, as exports from 1C, Excel and other CRMs write them: numbers with a
/// decimal comma or point and spaces, apostrophes or the other mark between thousands; dates ISO 8601 or
/// DD.MM.YYYY; yes and no in the four languages.
public enum ImportText {
    /// "1 234 567,89", "1.234.567,89", "1,234,567.89", "1234.5", "-12,5". When both marks appear, the last one is
    /// the decimal mark; one mark alone, once, is the decimal mark (European exports write "1,5"); a mark that
    /// appears several times separates thousands.
    public static func decimal(_ text: String) -> Decimal? {
        var digits = text.filter { !$0.isWhitespace && $0 != "'" && $0 != "\u{2019}" }
        guard !digits.isEmpty else { return nil }
        let commas = digits.filter { $0 == "," }.count, points = digits.filter { $0 == "." }.count
        if commas > 0 && points > 0 {
            let decimalMark: Character = digits.lastIndex(of: ",")! > digits.lastIndex(of: ".")! ? "," : "."
            digits = digits.filter { $0 != (decimalMark == "," ? "." : ",") }
            if decimalMark == "," { digits = digits.replacingOccurrences(of: ",", with: ".") }
        } else if commas > 1 {
            digits = digits.replacingOccurrences(of: ",", with: "")
        } else if points > 1 {
            digits = digits.replacingOccurrences(of: ".", with: "")
        } else if commas == 1 {
            digits = digits.replacingOccurrences(of: ",", with: ".")
        }
        guard digits.range(of: #"^[-+]?(\d+\.?\d*|\.\d+)$"#, options: .regularExpression) != nil else { return nil }
        return Decimal(string: digits, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// An amount in minor units (cents, öre, kopecks): "1 234,50" → 123450. More decimals than the currency has
    /// are a problem, not rounded away.
    public static func minorUnits(_ text: String, digits: Int = 2) -> Int64? {
        guard let value = decimal(text) else { return nil }
        var scaled = value * pow(10, digits)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled, abs(rounded) < 1e15 else { return nil }
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    /// "2026-11-20", "2026-11-20T09:30:00Z" (the date part), "20.11.2026".
    public static func date(_ text: String) -> LocalDate? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.count >= 10, let iso = try? LocalDate(iso: String(text.prefix(10))) { return iso }
        let parts = text.split(separator: ".")
        guard parts.count == 3, parts[2].count == 4, let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else {
            return nil
        }
        return try? LocalDate(year: year, month: month, day: day)
    }

    public static func bool(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "yes", "y", "1", "да", "так", "ja", "x": true
        case "false", "no", "n", "0", "нет", "ні", "nej", "": false
        default: nil
        }
    }

    /// A cell that lists several values ("vip; tender", "a, b").
    public static func list(_ text: String) -> [String] {
        text.split { $0 == ";" || $0 == "," || $0 == "|" }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
