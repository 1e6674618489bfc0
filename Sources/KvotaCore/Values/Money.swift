/// An ISO 4217 currency code. Kvota keeps amounts as integers of the currency's minor unit.
public struct Currency: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let code: String

    /// Accepts exactly three ASCII letters; lower case is normalised to upper case.
    public init(_ code: String) throws(ValueError) {
        let upper = code.uppercased()
        guard upper.utf8.count == 3, upper.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
            throw ValueError.invalid(field: "currency", reason: "must be a three-letter ISO 4217 code, got '\(code)'")
        }
        self.code = upper
    }

    private init(known code: String) { self.code = code }

    public static let EUR = Currency(known: "EUR")
    public static let USD = Currency(known: "USD")
    public static let SEK = Currency(known: "SEK")
    public static let RUB = Currency(known: "RUB")
    public static let UAH = Currency(known: "UAH")

    /// Digits after the decimal point of the minor unit. Currencies without minor units are listed here;
    /// the rest of ISO 4217's active codes use two.
    public var minorUnitDigits: Int {
        switch code {
        case "JPY", "KRW", "ISK", "CLP", "VND", "XAF", "XOF", "PYG", "UGX": 0
        case "BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD": 3
        default: 2
        }
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(raw) } catch { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    public var description: String { code }
    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }
}

/// An amount of money: an integer count of minor units (cents, öre, kopecks) and its currency.
/// Arithmetic across currencies is refused rather than silently mixed (METRICS.md "Time and money").
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    public var minorUnits: Int64
    public var currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    public func adding(_ other: Money) throws(ValueError) -> Money {
        try requireSameCurrency(other)
        return Money(minorUnits: minorUnits + other.minorUnits, currency: currency)
    }

    public func subtracting(_ other: Money) throws(ValueError) -> Money {
        try requireSameCurrency(other)
        return Money(minorUnits: minorUnits - other.minorUnits, currency: currency)
    }

    /// Multiplies by a quantity given in thousandths (3 decimals), rounding half away from zero to the minor unit,
    /// which is how a line's `qty × unit price` is priced.
    public func multiplied(byMilli quantityMilli: Int64) -> Money {
        // Full width so a large amount times a large quantity cannot overflow before the division.
        let (quotient, remainder) = Int64(1000).dividingFullWidth(minorUnits.multipliedFullWidth(by: quantityMilli))
        let rounded = remainder.magnitude * 2 >= 1000 ? quotient + (remainder < 0 ? -1 : 1) : quotient
        return Money(minorUnits: rounded, currency: currency)
    }

    private func requireSameCurrency(_ other: Money) throws(ValueError) {
        guard other.currency == currency else {
            throw ValueError.currencyMismatch(currency, other.currency)
        }
    }

    /// "1234.50 EUR": a plain, locale-free rendering for logs and the audit trail. Pages format by the user's locale.
    public var description: String { "\(decimalText) \(currency)" }

    /// "1234.50": the amount in major units with a point, as CSV exports write it.
    public var decimalText: String {
        let digits = currency.minorUnitDigits
        guard digits > 0 else { return "\(minorUnits)" }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        let fraction = String(magnitude % UInt64(scale))
        let padded = String(repeating: "0", count: digits - fraction.count) + fraction
        return "\(sign)\(magnitude / UInt64(scale)).\(padded)"
    }
}
