import Foundation
import KvotaCore
import SQLKit

/// The company settings as one record: read by everyone who signs in (pages need the time zone), changed by admins,
/// each change in the audit trail.
extension Database {
    /// Sets the company's default country when none is set yet (`KVOTA_DEFAULT_COUNTRY` at first start); a country
    /// set already, by an admin or an earlier start, stays. Answers whether it was set.
    @discardableResult
    public func setDefaultCountryIfUnset(_ country: String) async throws -> Bool {
        try await write { sql in
            guard try await sql.raw("SELECT value FROM settings WHERE key = 'company.default_country'").first() == nil else { return false }
            try await Settings.set("company.default_country", country.uppercased(), in: sql, engine: engine)
            return true
        }
    }

    public func companySettings() async throws -> CompanySettings {
        try await read { sql in try await Self.companySettings(in: sql) }
    }

    /// Changes the settings named in `patch`. The base currency is fixed once there are orders: their totals in it
    /// are stored, and would silently mean another currency.
    public func updateCompanySettings(_ patch: CompanySettingsPatch, by actor: Actor, at now: Date,
                                      address: String? = nil) async throws -> CompanySettings {
        _ = try AccessPolicy.require(actor, .update, .settings)
        return try await write { sql in
            let old = try await Self.companySettings(in: sql)
            var errors = ValidationFailure.Collector()
            let new = patch.applied(to: old, into: &errors)
            if new.baseCurrency != old.baseCurrency {
                let orders = try await Self.count(sql, "SELECT COUNT(*) AS n FROM (SELECT 1 FROM orders LIMIT 1) AS o")
                errors.check(orders == 0, "baseCurrency",
                             "stays \(old.baseCurrency.code) once there are orders (their totals in it are stored)")
            }
            try errors.finish()
            let before = old.stored, after = new.stored
            let changed = after.filter { before[$0.key] != $0.value }
            guard !changed.isEmpty else { return old }
            for (key, value) in changed.sorted(by: { $0.key < $1.key }) {
                try await Settings.set(key, value, in: sql, engine: engine)
            }
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "settings", entityID: 1,
                                            changes: AuditLog.diff(Self.fields(before), Self.fields(after)), address: address), in: sql)
            return new
        }
    }

    /// Settings in a stable order, their keys without the `company.` prefix, as the audit trail names them.
    static func fields(_ stored: [String: String]) -> [(String, String?)] {
        stored.keys.sorted().map { (String($0.dropFirst("company.".count)), stored[$0]) }
    }

    static func companySettings(in sql: any SQLDatabase) async throws -> CompanySettings {
        var values: [String: String] = [:]
        for row in try await sql.raw("SELECT key, value FROM settings WHERE key LIKE 'company.%'").all() {
            values[try row.decode(column: "key", as: String.self)] = try row.decode(column: "value", as: String.self)
        }
        let standard = CompanySettings.standard
        var thresholds: [String: Double] = [:]
        for (name, _) in SalesThresholds.names {
            if let value = values["company.threshold." + name].flatMap(Double.init) { thresholds[name] = value }
        }
        // Stored values were checked when set; one that no longer fits keeps the default.
        var unused = ValidationFailure.Collector()
        return CompanySettings(name: values["company.name"] ?? standard.name,
                               baseCurrency: values["company.base_currency"].flatMap { try? Currency($0) } ?? standard.baseCurrency,
                               timeZone: values["company.time_zone"].flatMap(TimeZone.init(identifier:)) ?? standard.timeZone,
                               defaultCountry: values["company.default_country"] ?? standard.defaultCountry,
                               thresholds: standard.thresholds.applying(thresholds, into: &unused))
    }
}
