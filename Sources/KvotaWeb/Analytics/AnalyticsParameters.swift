import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// A query an analysis cannot answer as asked (an unknown measure, `from` after `to`, too short a window for XYZ):
/// 400 with every problem at its parameter. Not 422: nothing was submitted, the question itself is wrong.
struct InvalidAnalyticsQuery: Error {
    let failure: ValidationFailure
}

/// The parameters every analysis shares (issue 6): the window, the filters and the answer's format.
struct AnalyticsParameters: Sendable {
    var window: DateWindow
    var filter: AnalyticsFilter
    var format: TableFormat

    /// Reads the shared parameters; the window defaults to the year to date in the company's time zone.
    static func read(_ parameters: Parameters, today: LocalDate, into errors: inout ValidationFailure.Collector) -> AnalyticsParameters {
        let yearStart = DateWindow(months: (today.year * 100 + 1)...(today.year * 100 + 1)).from
        let window = window(parameters, "from", "to", default: (yearStart, today), into: &errors)
        return AnalyticsParameters(window: window, filter: filter(parameters, into: &errors), format: TableFormat.read(parameters, into: &errors))
    }

    /// A window from two date parameters, each defaulting on its own, of at most `years` years: an analysis costs by
    /// the periods in its window, and `from=0001-01-01&to=9999-12-31` asked for 120 000 months (12 MB of JSON and
    /// seconds of work on an empty database). Twenty-five years hold any company's history in Kvota with room.
    static func window(_ parameters: Parameters, _ fromName: String, _ toName: String, default: (LocalDate, LocalDate),
                       atMostYears years: Int = 25, into errors: inout ValidationFailure.Collector) -> DateWindow {
        let from = ListParameters.date(parameters, fromName, into: &errors) ?? `default`.0
        let to = ListParameters.date(parameters, toName, into: &errors) ?? `default`.1
        do {
            let window = try DateWindow(from: from, through: to)
            guard to < from.adding(months: 12 * years) else {
                errors.check(false, toName, "a window of at most \(years) years")
                return DateWindow(months: from.monthKey...from.monthKey)
            }
            return window
        } catch {
            errors.check(false, toName, "must not be before \(fromName)")
            return DateWindow(months: from.monthKey...from.monthKey)
        }
    }

    static func filter(_ parameters: Parameters, into errors: inout ValidationFailure.Collector) -> AnalyticsFilter {
        AnalyticsFilter(teamID: ListParameters.id(parameters, "team", into: &errors).map { Team.ID($0) },
                        managerID: ListParameters.id(parameters, "manager", into: &errors).map { User.ID($0) },
                        regionID: ListParameters.id(parameters, "region", into: &errors).map { Region.ID($0) },
                        channelID: ListParameters.id(parameters, "channel", into: &errors).map { Channel.ID($0) },
                        categoryID: ListParameters.id(parameters, "category", into: &errors).map { ProductCategory.ID($0) })
    }

    /// One of a parameter's allowed values, or the default when it is absent or empty.
    static func choice<Value: RawRepresentable & CaseIterable>(_ parameters: Parameters, _ name: String, _ default: Value?,
                                                               allowed: [Value] = Array(Value.allCases),
                                                               into errors: inout ValidationFailure.Collector) -> Value?
        where Value.RawValue == String {
        // An empty value is no choice: an HTML form's "all" option sends one.
        guard let text = parameters[Substring(name)].map(String.init), !text.isEmpty else { return `default` }
        guard let value = allowed.first(where: { $0.rawValue == text }) else {
            errors.check(false, name, "expected one of: \(allowed.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
            return `default`
        }
        return value
    }
}

extension SalesDimension {
    /// The roll-up key an analysis by this dimension groups by; teams and categories are folded from it.
    var salesKey: SalesKey {
        switch self {
        case .manager, .team: .owner
        case .region: .region
        case .channel: .channel
        case .category, .product: .product
        case .account: .account
        }
    }
}

/// The grains as the API spells them (`half_year`).
enum GrainParameter: String, CaseIterable {
    case day, week, month, quarter
    case halfYear = "half_year"
    case year

    var grain: PeriodGrain {
        switch self {
        case .day: .day
        case .week: .week
        case .month: .month
        case .quarter: .quarter
        case .halfYear: .halfYear
        case .year: .year
        }
    }
}
