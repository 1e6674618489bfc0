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
        // Bytes, not scalars: Unicode's whitespace property per character was a tenth of a dry run. Past ASCII only the
        // marks skipped below may appear (a no-break or thin space between thousands, a typographic apostrophe).
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        for scalar in ascii ? [] : Array(text.unicodeScalars) where !scalar.isASCII {
            guard scalar.properties.isWhitespace || scalar == "\u{2019}" else { return nil }
        }
        for byte in text.utf8 {
            // ASCII whitespace (tab to carriage return, space) and the apostrophe; the rest of a non-ASCII mark's bytes.
            if byte == 0x20 || (0x09...0x0D).contains(byte) || byte == UInt8(ascii: "'") || byte >= 0x80 { continue }
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
        if let day = digitsDate(text) { return day }
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.count >= 10, let iso = try? LocalDate(iso: String(text.prefix(10))) { return iso }
        let parts = text.split(separator: ".")
        guard parts.count == 3, parts[2].count == 4, let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else {
            return nil
        }
        return try? LocalDate(year: year, month: month, day: day)
    }

    /// "2026-11-20" or "20.11.2026" exactly, digits and marks read from the bytes: the forms nearly every export
    /// writes, on every order of a sales history. Anything else, or no such day, is left to `date`'s general reading.
    private static func digitsDate(_ text: String) -> LocalDate? {
        guard text.utf8.count == 10 else { return nil }
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        let parts: (Int?, Int?, Int?)
        if bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-") {
            parts = (number(0..<4), number(5..<7), number(8..<10))
        } else if bytes[2] == UInt8(ascii: ".") && bytes[5] == UInt8(ascii: ".") {
            parts = (number(6..<10), number(3..<5), number(0..<2))
        } else {
            return nil
        }
        guard let year = parts.0, let month = parts.1, let day = parts.2 else { return nil }
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

    /// A custom field's cell as the JSON the API takes for it, so the field's own checks apply: numbers and money
    /// ("1 234,50", in minor units of `digits`) read like any amount, dates like any date, yes and no in four
    /// languages, several choices as a list. Nil: the text cannot be that type. An empty cell is null (cleared).
    public static func customValue(_ text: String?, type: CustomField.FieldType, digits: Int = 2) -> JSONValue? {
        guard let text, !text.isEmpty else { return .null }
        switch type {
        case .text, .select: return .string(text)
        case .number: return decimal(text).map { .number(NSDecimalNumber(decimal: $0).doubleValue) }
        case .money: return minorUnits(text, digits: digits).map { .number(Double($0)) }
        case .date: return date(text).map { .string($0.iso) }
        case .boolean: return bool(text).map(JSONValue.bool)
        case .multiselect: return .array(list(text).map(JSONValue.string))
        }
    }

    /// "2026-11-20T09:30:00Z" or with an offset (that instant); "2026-11-20 09:30", "20.11.2026 09:30:15" or a date
    /// alone (that wall-clock time in `zone`, the company's).
    public static func instant(_ text: String, in zone: TimeZone) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard (1...2).contains(parts.count), let day = date(String(parts[0])) else { return nil }
        var seconds = 0
        if parts.count == 2 {
            let clock = parts[1].split(separator: ":").map { Int($0) }
            guard (2...3).contains(clock.count), clock.allSatisfy({ $0 != nil }), let hour = clock[0], let minute = clock[1],
                  (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(clock.count == 3 ? clock[2]! : 0) else { return nil }
            seconds = hour * 3600 + minute * 60 + (clock.count == 3 ? clock[2]! : 0)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let start = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) else { return nil }
        return calendar.date(byAdding: .second, value: seconds, to: start)
    }

    /// A duration as seconds: "95", "1:35", "01:01:35".
    public static func seconds(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...3).contains(parts.count), parts.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        return parts.reduce(0) { $0 * 60 + $1! }
    }
}
