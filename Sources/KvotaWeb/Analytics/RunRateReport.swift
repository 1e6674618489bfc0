import Foundation
import KvotaCore
import KvotaStore

/// `GET /api/v1/forecast/accounts` and the forecast page's list for the retention team: each regular customer's next
/// order by their own rhythm, late ones first, with the repeat business expected per month (`RunRate`).
struct RunRateReport: Encodable, Sendable {
    struct Query: Sendable {
        var scope: PlanSubject
        var status: RunRate.Status?
        var horizon: Int
        var limit: Int
    }

    struct Item: Encodable, Sendable {
        let accountId: Int64
        let name: String
        let lastOrder: String
        let medianGapDays: Double
        let expectedNext: String
        /// Negative when the order is late.
        let daysUntil: Int
        let expectedAmount: Int64
        let ordersLast12Months: Int64
        let status: String
    }

    struct Month: Encodable, Sendable {
        let month: String
        let expected: Int64
    }

    let scope: String
    let currency: String
    let asOf: String
    /// Regular customers per status, before the status filter and the limit.
    let counts: [String: Int]
    let months: [Month]
    let items: [Item]

    static func build(_ query: Query, for actor: Actor, in database: Database, currency: Currency, today: LocalDate) async throws -> RunRateReport {
        let filter: AnalyticsFilter = switch query.scope {
        case .company: AnalyticsFilter()
        case .team(let team): AnalyticsFilter(teamID: team)
        case .user(let user): AnalyticsFilter(managerID: user)
        }
        let expectations = try await database.runRateCustomers(for: actor, filter: filter, asOf: today)
            .compactMap { RunRate.expectation($0, asOf: today) }
        var counts: [String: Int] = Dictionary(uniqueKeysWithValues: RunRate.Status.allCases.map { ($0.rawValue, 0) })
        for expectation in expectations { counts[expectation.status.rawValue, default: 0] += 1 }
        let byMonth = RunRate.byMonth(expectations, asOf: today, months: query.horizon)
        var month = Period(.month, containing: today)
        var months: [Month] = []
        for _ in 0..<query.horizon {
            months.append(Month(month: month.label, expected: byMonth[month] ?? 0))
            month = month.next
        }
        // Late first (the longest late first), then due, then later; those at risk last, the longest quiet first.
        let order: [RunRate.Status: Int] = [.late: 0, .due: 1, .later: 2, .atRisk: 3]
        let listed = expectations.filter { query.status == nil || $0.status == query.status }
            .sorted { a, b in
                a.status != b.status ? order[a.status]! < order[b.status]!
                    : a.expectedNext != b.expectedNext ? a.expectedNext < b.expectedNext : a.customer.accountID < b.customer.accountID
            }
            .prefix(query.limit)
        let names = try await database.analyticsNames(.account, ids: Set(listed.map(\.customer.accountID)))
        return RunRateReport(scope: query.scope.description, currency: currency.code, asOf: today.iso, counts: counts, months: months,
                             items: listed.map { e in
                                 Item(accountId: e.customer.accountID, name: names[e.customer.accountID] ?? String(e.customer.accountID),
                                      lastOrder: e.customer.lastOrder.iso, medianGapDays: e.customer.medianGapDays, expectedNext: e.expectedNext.iso,
                                      daysUntil: e.daysUntil, expectedAmount: e.expectedAmount, ordersLast12Months: e.customer.ordersInYear,
                                      status: e.status.rawValue)
                             })
    }

    var csv: (header: [String], rows: [[String?]]) {
        (["account_id", "account", "status", "last_order", "median_gap_days", "expected_next", "days_until", "expected_amount_minor",
          "orders_last_12_months"],
         items.map { [String($0.accountId), $0.name, $0.status, $0.lastOrder, String($0.medianGapDays), $0.expectedNext, String($0.daysUntil),
                      String($0.expectedAmount), String($0.ordersLast12Months)] })
    }
}
