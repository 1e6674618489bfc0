/// Phone numbers as Kvota stores them: E.164 (`+46701234567`), so a number typed as `070-123 45 67`, `0046 70…` or
/// `+46 (0)70…` finds the same contact, and the PBX's caller id matches it.
public enum PhoneNumber {
    /// Calling codes of the countries whose national format (a leading trunk 0, or 8 in Russia) Kvota accepts
    /// without a `+`. Numbers from anywhere are accepted in international form.
    public static let callingCodes: [String: String] = [
        "SE": "46", "NO": "47", "DK": "45", "FI": "358", "DE": "49", "GB": "44", "PL": "48", "EE": "372", "LV": "371",
        "LT": "370", "UA": "380", "RU": "7", "KZ": "7", "BY": "375", "US": "1", "CA": "1", "NL": "31", "FR": "33",
    ]

    /// The E.164 form of `text`, read with `country` (ISO 3166 alpha-2) for national numbers.
    public static func e164(_ text: String, country: String, field: String = "phone") throws(ValueError) -> String {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        // "+46 (0)70 …": the "(0)" is the trunk prefix written for locals; it is not dialled from abroad.
        let cleaned = rest.replacingOccurrences(of: "(0)", with: "")
        rest = Substring(cleaned)
        let international = rest.hasPrefix("+") || rest.hasPrefix("00")
        if rest.hasPrefix("+") { rest = rest.dropFirst() } else if rest.hasPrefix("00") { rest = rest.dropFirst(2) }
        let separators: Set<Character> = [" ", "-", "(", ")", ".", "/", "\u{00A0}"]
        guard rest.allSatisfy({ $0.isASCII && ($0.isNumber || separators.contains($0)) }) else {
            throw .invalid(field: field, reason: "expected a phone number of digits, spaces and dashes, got '\(text)'")
        }
        var digits = rest.filter(\.isNumber)
        if !international {
            guard let code = callingCodes[country.uppercased()] else {
                throw .invalid(field: field, reason: "write '\(text)' with its country code, like +46…")
            }
            // Trunk prefix: 0 almost everywhere; 8 in Russia, Kazakhstan and Belarus; none in North America.
            if code == "7" || code == "375" {
                if digits.hasPrefix("8") { digits.removeFirst() } else if digits.hasPrefix("0") { digits.removeFirst() }
            } else if code != "1", digits.hasPrefix("0") {
                digits.removeFirst()
            }
            digits = code + digits
        }
        guard (8...15).contains(digits.count), !digits.hasPrefix("0") else {
            throw .invalid(field: field, reason: "'\(text)' is not a complete phone number")
        }
        return "+" + digits
    }
}
