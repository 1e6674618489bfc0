import Foundation

/// The company's own settings: its name, the currency reports and base totals are in, the time zone its days are
/// counted in, and the country whose national phone format is read without a `+`.
public struct CompanySettings: Hashable, Sendable {
    public var name: String
    public var baseCurrency: Currency
    public var timeZone: TimeZone
    /// ISO 3166 alpha-2, one of `PhoneNumber.callingCodes`.
    public var defaultCountry: String
    public var thresholds: SalesThresholds

    public init(name: String, baseCurrency: Currency, timeZone: TimeZone, defaultCountry: String, thresholds: SalesThresholds = SalesThresholds()) {
        self.name = name; self.baseCurrency = baseCurrency; self.timeZone = timeZone; self.defaultCountry = defaultCountry
        self.thresholds = thresholds
    }

    /// What a company without settings uses.
    public static let standard = CompanySettings(name: "", baseCurrency: .EUR, timeZone: TimeZone(identifier: "Europe/Stockholm")!,
                                                 defaultCountry: "SE")

    /// The settings as stored text, by key.
    public var stored: [String: String] {
        var stored = ["company.name": name, "company.base_currency": baseCurrency.code, "company.time_zone": timeZone.identifier,
                      "company.default_country": defaultCountry]
        for (name, _) in SalesThresholds.names { stored["company.threshold." + name] = SalesThresholds.text(thresholds[named: name]!) }
        return stored
    }
}

/// A change of the company settings: only the parts given change.
public struct CompanySettingsPatch: Hashable, Sendable {
    public var name: String?
    public var baseCurrency: String?
    public var timeZone: String?
    public var defaultCountry: String?
    /// Thresholds to change, by name (`SalesThresholds.names`).
    public var thresholds: [String: Double]

    public init(name: String? = nil, baseCurrency: String? = nil, timeZone: String? = nil, defaultCountry: String? = nil,
                thresholds: [String: Double] = [:]) {
        self.name = name; self.baseCurrency = baseCurrency; self.timeZone = timeZone; self.defaultCountry = defaultCountry
        self.thresholds = thresholds
    }

    /// `settings` with this change, every problem named by its field.
    public func applied(to settings: CompanySettings, into errors: inout ValidationFailure.Collector) -> CompanySettings {
        var new = settings
        if let name {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            errors.check(!trimmed.isEmpty && trimmed.count <= 200, "name", "expected 1 to 200 characters")
            new.name = trimmed
        }
        if let baseCurrency {
            do throws(ValueError) { new.baseCurrency = try Currency(baseCurrency) } catch {
                errors.check(false, "baseCurrency", error.reason)
            }
        }
        if let timeZone {
            if let zone = TimeZone(identifier: timeZone), timeZone.contains("/") || timeZone == "UTC" {
                new.timeZone = zone
            } else {
                errors.check(false, "timeZone", "expected a time zone such as Europe/Stockholm, got '\(timeZone)'")
            }
        }
        if let defaultCountry {
            let code = defaultCountry.uppercased()
            errors.check(PhoneNumber.callingCodes[code] != nil, "defaultCountry",
                         "expected one of: \(PhoneNumber.callingCodes.keys.sorted().joined(separator: ", ")), got '\(defaultCountry)'")
            new.defaultCountry = code
        }
        new.thresholds = settings.thresholds.applying(thresholds, into: &errors)
        return new
    }
}
