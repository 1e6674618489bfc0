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
    /// are a problem, not rounded away. Read by hand in fixed point, with the marks decided as in `decimal`: a sales
    /// history has millions of these cells, and Decimal arithmetic would be most of an import's time.
    public static func minorUnits(_ text: String, digits: Int = 2) -> Int64? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var commas = 0, points = 0, lastComma = -1, lastPoint = -1
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar == "'" || scalar == "\u{2019}" { continue }
            guard scalar.isASCII else { return nil }
            let byte = UInt8(scalar.value)
            if byte == UInt8(ascii: ",") { commas += 1; lastComma = bytes.count }
            if byte == UInt8(ascii: ".") { points += 1; lastPoint = bytes.count }
            bytes.append(byte)
        }
        // The decimal mark's position, or nil; the other marks separate thousands and are skipped.
        let decimalAt: Int?
        if commas > 0 && points > 0 {
            decimalAt = max(lastComma, lastPoint)
            if (lastComma > lastPoint ? commas : points) > 1 { return nil }
        } else if commas == 1 && points == 0 {
            decimalAt = lastComma
        } else if points == 1 && commas == 0 {
            decimalAt = lastPoint
        } else {
            decimalAt = nil
        }
        var value: Int64 = 0, fraction = 0, sawDigit = false, negative = false
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0: negative = true
            case UInt8(ascii: "+") where index == 0: break
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if let decimalAt, index > decimalAt {
                    fraction += 1
                    // Extra decimals are fine while they are zeros ("1,500" with two digits).
                    if fraction > digits { if byte != UInt8(ascii: "0") { return nil } else { continue } }
                }
                sawDigit = true
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                if overflow1 || overflow2 { return nil }
                value = sum
            case UInt8(ascii: ","), UInt8(ascii: "."): break
            default: return nil
            }
        }
        guard sawDigit else { return nil }
        for _ in min(fraction, digits)..<digits {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            value = times
        }
        guard value < 1_000_000_000_000_000 / 1_000 else { return nil }
        return negative ? -value : value
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
