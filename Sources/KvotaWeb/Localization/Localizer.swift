import Foundation
import KvotaCore

/// Words, numbers, money and dates in one user's language and locale, and times in the company's zone: what every
/// view draws text with. English uses the British conventions (1,234,567.89; 21 Sep 2026), the others their
/// country's (1 234 567,89 ₽; 1 234 567,89 kr; 21.09.2026).
struct Localizer: Sendable {
    let language: Language
    let timeZone: TimeZone
    let locale: Locale

    init(_ language: Language, timeZone: TimeZone = TimeZone(identifier: "Europe/Stockholm")!) {
        self.language = language
        self.timeZone = timeZone
        self.locale = Locale(identifier: Self.localeIdentifiers[language]!)
    }

    static let localeIdentifiers: [Language: String] = [.en: "en_GB", .ru: "ru_RU", .uk: "uk_UA", .sv: "sv_SE"]

    /// The text of `key`, with `{name}` placeholders filled from `values`.
    func callAsFunction(_ key: UIKey, _ values: [String: String] = [:]) -> String {
        Self.fill(Catalog.shared.text(key, in: language), values)
    }

    /// "5 сделок": the plural form of `key` for `count`, its `{n}` the count as this locale writes numbers.
    func count(_ key: UIKey, _ count: Int, _ values: [String: String] = [:]) -> String {
        var values = values
        values["n"] = number(Int64(count))
        return Self.fill(Catalog.shared.plural(key, count, in: language), values)
    }

    func number(_ value: Int64) -> String {
        value.formatted(.number.locale(locale))
    }

    /// A measured value with up to two decimals: "1 234,5".
    func decimal(_ value: Double) -> String {
        value.formatted(.number.precision(.fractionLength(0...2)).locale(locale))
    }

    /// A number with exactly `digits` decimals: "0,724".
    func fixed(_ value: Double, digits: Int) -> String {
        value.formatted(.number.precision(.fractionLength(digits)).locale(locale))
    }

    /// A share from 0 to 1 as a percentage: "42 %" or "42%" as the locale writes it.
    func percent(_ share: Double, fractionDigits: Int = 0) -> String {
        share.formatted(.percent.precision(.fractionLength(fractionDigits)).locale(locale))
    }

    /// An amount in its currency's minor units, with the currency as this locale writes it.
    func money(_ money: Money, showMinorUnits: Bool = true) -> String {
        let digits = money.currency.minorUnitDigits
        let amount = Decimal(money.minorUnits) / Self.powerOfTen(digits)
        let style = Decimal.FormatStyle.Currency(code: money.currency.code, locale: locale)
            .precision(.fractionLength(showMinorUnits ? digits : 0))
        return amount.formatted(style)
    }

    /// Sums in several currencies as one text, largest first, in whole units: "€12,300 + SEK 74,144". The same
    /// currency given twice is added up; empty for none.
    func amounts(_ list: [Money]) -> String {
        Dictionary(grouping: list, by: \.currency)
            .map { currency, same in Money(minorUnits: same.reduce(0) { $0 + $1.minorUnits }, currency: currency) }
            .sorted { ($0.minorUnits, $0.currency.code) > ($1.minorUnits, $1.currency.code) }
            .map { money($0, showMinorUnits: false) }.joined(separator: " + ")
    }

    func date(_ day: LocalDate) -> String {
        day.start(in: Self.utc).formatted(Date.FormatStyle(date: .abbreviated, time: .omitted, locale: locale, timeZone: Self.utc))
    }

    /// Short weekday names, Monday first.
    var weekdays: [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.locale = locale
        let names = calendar.shortWeekdaySymbols
        return Array(names[1...] + names[..<1])
    }

    func dateTime(_ instant: Date) -> String {
        instant.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, locale: locale, timeZone: timeZone))
    }

    func time(_ instant: Date) -> String {
        instant.formatted(Date.FormatStyle(date: .omitted, time: .shortened, locale: locale, timeZone: timeZone))
    }

    /// A span such as a lead's waiting time, in its largest two units: "2 h 5 min", "3 d 4 h", "45 min".
    func duration(_ seconds: Int) -> String {
        let minutes = max(0, seconds) / 60, hours = minutes / 60, days = hours / 24
        if days > 0 { return self(.durationDaysHours, ["d": String(days), "h": String(hours % 24)]) }
        if hours > 0 { return self(.durationHoursMinutes, ["h": String(hours), "m": String(minutes % 60)]) }
        return self(.durationMinutes, ["m": String(minutes)])
    }

    private static let utc = TimeZone(identifier: "UTC")!

    private static func powerOfTen(_ digits: Int) -> Decimal {
        (0..<digits).reduce(Decimal(1)) { result, _ in result * 10 }
    }

    static func fill(_ template: String, _ values: [String: String]) -> String {
        guard !values.isEmpty, template.contains("{") else { return template }
        var result = template
        for (name, value) in values { result = result.replacingOccurrences(of: "{\(name)}", with: value) }
        return result
    }
}
