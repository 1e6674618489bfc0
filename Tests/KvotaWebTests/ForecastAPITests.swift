import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import SQLKit
import Testing

/// `GET /api/v1/forecast` on the tiny demo against sums taken straight from the orders, deals and stage history, for
/// three roles on both engines; its groups add up to the whole; bad parameters answer 400 at the parameter.
@Suite struct ForecastAPITests {
    struct Answer: Decodable {
        struct Month: Decodable {
            let month: String
            let actual: Int64?, weighted: Int64?, commit: Int64?, bestCase: Int64?, history: Int64?, low: Int64?, high: Int64?, plan: Int64?
        }
        struct Accuracy: Decodable { let mape: Double?; let wape: Double?; let backtestMonths: Int }
        struct Outlook: Decodable { let period: String; let actual: Int64; let weighted: Int64; let outlook: Int64; let plan: Int64?; let gap: Int64? }
        struct Stage: Decodable { let stageId: Int64; let probability: Double; let source: String; let closed: Int; let won: Int }
        struct Group: Decodable { let key: String?; let months: [Month] }
        let method: String?
        let historyMonths: Int
        let months: [Month]
        let accuracy: Accuracy
        let outlook: [String: Outlook]?
        let stages: [Stage]
        let groups: [Group]?
    }

    /// Deals as plain rows, amounts already in the base currency (open ones at today's rate, won ones at their day's).
    struct RawDeal {
        let id: Int64, owner: Int64, stage: Int64
        let status: String
        let category: String
        let expected: LocalDate?
        let closed: LocalDate?
        let base: Int64
    }

    static func deals(_ database: Database, today: LocalDate) async throws -> (deals: [RawDeal], passed: [Int64: Set<Int64>],
                                                                                configured: [Int64: Int]) {
        let base = try await database.companySettings().baseCurrency.code
        return try await database.read { sql in
            var rates: [(currency: String, from: Int, micros: Int64)] = []
            for row in try await sql.raw("SELECT currency, valid_from, base_micros FROM exchange_rates ORDER BY valid_from").all() {
                rates.append((try row.decode(column: "currency", as: String.self), try row.decode(column: "valid_from", as: Int.self),
                              try row.decode(column: "base_micros", as: Int64.self)))
            }
            func toBase(_ amount: Int64, _ currency: String, _ day: LocalDate) throws -> Int64 {
                if currency == base { return amount }
                let rate = try #require(rates.last { $0.currency == currency && $0.from <= day.key })
                return ExchangeRate(currency: try Currency(currency), validFrom: day, baseMicros: rate.micros).toBase(amount)
            }
            var deals: [RawDeal] = []
            for row in try await sql.raw("""
                SELECT id, owner_id, stage_id, status, forecast_category, expected_close_on, closed_on, amount_minor, currency FROM deals
                """).all() {
                let status = try row.decode(column: "status", as: String.self)
                let closed = try row.decode(column: "closed_on", as: Int?.self).map { try LocalDate(key: $0) }
                deals.append(RawDeal(id: try row.decode(column: "id", as: Int64.self), owner: try row.decode(column: "owner_id", as: Int64.self),
                                     stage: try row.decode(column: "stage_id", as: Int64.self), status: status,
                                     category: try row.decode(column: "forecast_category", as: String.self),
                                     expected: try row.decode(column: "expected_close_on", as: Int?.self).map { try LocalDate(key: $0) },
                                     closed: closed,
                                     base: try toBase(try row.decode(column: "amount_minor", as: Int64.self),
                                                      try row.decode(column: "currency", as: String.self), status == "open" ? today : closed ?? today)))
            }
            var passed: [Int64: Set<Int64>] = [:]
            for row in try await sql.raw("SELECT deal_id, stage_id FROM deal_stage_history").all() {
                passed[try row.decode(column: "deal_id", as: Int64.self), default: []].insert(try row.decode(column: "stage_id", as: Int64.self))
            }
            var configured: [Int64: Int] = [:]
            for row in try await sql.raw("SELECT id, probability FROM stages WHERE outcome = 'open'").all() {
                configured[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "probability", as: Int.self)
            }
            return (deals, passed, configured)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func monthsEqualTheRecords(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let today = try LocalDate(iso: "2026-11-20")
            let current = Period(.month, containing: today)
            let (deals, passed, configured) = try await Self.deals(fixture.database, today: today)
            // Each stage's odds: its own 12 months once 30 closed deals passed it, else as configured.
            let yearAgo = today.adding(months: -12)
            var odds: [Int64: Double] = [:]
            var fromHistory = 0
            for (stage, percent) in configured {
                let closed = deals.filter { $0.status != "open" && $0.closed.map { $0 > yearAgo && $0 <= today } == true && passed[$0.id]?.contains(stage) == true }
                if closed.count >= 30 {
                    odds[stage] = Double(closed.filter { $0.status == "won" }.count) / Double(closed.count); fromHistory += 1
                } else {
                    odds[stage] = Double(percent) / 100
                }
            }
            #expect(fromHistory > 0, "the demo has stages with enough history")
            var checkedWeighted: Int64 = 0
            for user in [fixture.director, fixture.head, fixture.rep] {
                let token = try await client.token(for: user)
                let owners = try await fixture.owners(of: user)
                let mine = deals.filter { owners == nil || owners!.contains($0.owner) }
                let answer = try await client.get("/api/v1/forecast?horizon=4&past=12", token: token).json(Answer.self)
                let context = "\(user.role)"
                #expect(answer.months.count == 16, "\(context)")
                #expect(answer.stages.count == configured.count)
                for stage in answer.stages { #expect(abs(stage.probability - odds[stage.stageId]!) < 1e-9, "\(context) stage \(stage.stageId)") }
                var month = Period(.month, containing: current.start.adding(months: -12))
                for row in answer.months {
                    #expect(row.month == month.label)
                    let window = DateWindow(month)
                    let revenue = fixture.raw.values(.revenue, by: nil, over: window, filter: AnalyticsFilter(), owners: owners)[0] ?? 0
                    if month <= current { #expect(row.actual == revenue, "\(context) \(month.label) actual") } else { #expect(row.actual == nil) }
                    guard month >= current else {
                        #expect(row.weighted == nil && row.commit == nil, "\(context) \(month.label): no pipeline in the past")
                        month = month.next
                        continue
                    }
                    // Open deals expected in the month; overdue ones count in the current month.
                    let open = mine.filter { deal in
                        guard deal.status == "open", let expected = deal.expected else { return false }
                        let closes = Period(.month, containing: expected)
                        return closes == month || (month == current && closes < current)
                    }
                    let weighted = open.reduce(Int64(0)) { $0 + Int64((Double($1.base) * odds[$1.stage]!).rounded()) }
                    let won = mine.filter { $0.status == "won" && $0.closed.map { month.contains($0) } == true }.reduce(Int64(0)) { $0 + $1.base }
                    let commit = won + open.filter { $0.category == "commit" }.reduce(0) { $0 + $1.base }
                    let bestCase = commit + open.filter { $0.category == "best_case" }.reduce(0) { $0 + $1.base }
                    #expect(row.weighted == weighted, "\(context) \(month.label) weighted")
                    #expect(row.commit == commit && row.bestCase == bestCase, "\(context) \(month.label) categories")
                    if let history = row.history { #expect(row.low! <= history && history <= row.high!) }
                    checkedWeighted += weighted
                    month = month.next
                }
                // The history: the complete months from the first with revenue (at most five years).
                var series: [Double] = []
                var m = Period(.month, containing: current.start.adding(months: -60))
                while m < current {
                    let value = fixture.raw.values(.revenue, by: nil, over: DateWindow(m), filter: AnalyticsFilter(), owners: owners)[0] ?? 0
                    if !series.isEmpty || value != 0 { series.append(Double(value)) }
                    m = m.next
                }
                #expect(answer.historyMonths == series.count, "\(context) history")
                #expect(answer.method == HistoryForecast.method(forMonths: series.count).rawValue)
                let expected = HistoryForecast.forecast(series, horizon: 4).months.map { Int64($0.value.rounded()) }
                #expect(answer.months.suffix(4).map(\.history) == expected, "\(context) history forecast")
                #expect(answer.accuracy.backtestMonths == min(6, max(0, series.count - 1)))
                let outlook = try #require(answer.outlook?["month"])
                #expect(outlook.period == current.label && outlook.actual == answer.months[12].actual)
                #expect(outlook.outlook == outlook.actual + outlook.weighted && outlook.weighted == answer.months[12].weighted)
            }
            #expect(checkedWeighted > 0, "open deals were weighted")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func groupsAddUpAndBadQuestionsAnswer400(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let token = try await client.token(for: fixture.director)
            let whole = try await client.get("/api/v1/forecast", token: token).json(Answer.self)
            for by in ["region", "channel", "category"] {
                let split = try await client.get("/api/v1/forecast?by=\(by)&top=2", token: token).json(Answer.self)
                let groups = try #require(split.groups)
                #expect(groups.count <= 3 && groups.count >= 2, "\(by): two groups and the rest")
                for (index, row) in whole.months.enumerated() {
                    #expect(groups.reduce(Int64(0)) { $0 + ($1.months[index].actual ?? 0) } == row.actual ?? 0, "\(by) \(row.month)")
                    if by != "category", let weighted = row.weighted {
                        #expect(groups.reduce(Int64(0)) { $0 + ($1.months[index].weighted ?? 0) } == weighted, "\(by) \(row.month) weighted")
                    }
                }
                if by == "category" { #expect(groups.allSatisfy { $0.months.allSatisfy { $0.weighted == nil } }) }
            }
            let team = try #require(fixture.head.teamID)
            let teamAnswer = try await client.get("/api/v1/forecast?scope=team:\(team)", token: token)
            #expect(teamAnswer.status == .ok)
            let bad = try await client.get("/api/v1/forecast?scope=group:1&horizon=40&by=product&past=x", token: token)
            #expect(bad.status == .badRequest)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["scope", "horizon", "by", "past"])
            let csv = try await client.get("/api/v1/forecast?format=csv&horizon=2&past=1", token: token)
            #expect(csv.status == .ok && csv.text.split(whereSeparator: \.isNewline).count == 4)
        }
    }

    /// One definition of the weighted pipeline (METRICS.md): the KPI sums what the forecast spreads over months.
    @Test(arguments: TestDatabase.engines)
    func theKPIsWeightedPipelineIsTheForecasts(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            struct KPIs: Decodable {
                struct Item: Decodable { let key: String; let value: Double? }
                let items: [Item]
            }
            struct Weighted: Decodable {
                struct Month: Decodable { let weighted: Int64? }
                struct Undated: Decodable { let weighted: Int64 }
                let months: [Month]
                let undated: Undated?
            }
            let token = try await client.token(for: fixture.director)
            let kpi = try await client.get("/api/v1/kpis?scope=company&from=2026-11-01&to=2026-11-20&keys=pipeline_weighted", token: token)
                .json(KPIs.self)
            let forecast = try await client.get("/api/v1/forecast?horizon=24&past=0", token: token).json(Weighted.self)
            let spread = forecast.months.reduce(Int64(0)) { $0 + ($1.weighted ?? 0) } + (forecast.undated?.weighted ?? 0)
            let value = try #require(kpi.items.first { $0.key == "pipeline_weighted" }?.value)
            #expect(spread > 0 && Int64(value.rounded()) == spread, "KPI \(value), forecast \(spread) (both in minor units)")
        }
    }
}
