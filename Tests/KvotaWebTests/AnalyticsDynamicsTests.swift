import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// `GET /api/v1/analytics/dynamics` on the demo company equals the same sums taken line by line from the order
/// lines (and deals), for a director, a head of sales and a rep, across measures, grains, breakdowns and filters, on
/// both engines.
@Suite struct AnalyticsDynamicsTests {
    struct Answer: Decodable {
        struct Series: Decodable {
            let key: String
            let name: String
            let points: [Point]
        }

        struct Point: Decodable {
            let period: String
            let partial: Bool
            let value: Int64
            let previous: Int64
            let changePct: Double?
            let yoyValue: Int64
            let yoyPct: Double?
        }

        let measure: String
        let grain: String
        let currency: String
        let series: [Series]
    }

    struct Case: Sendable {
        let measure: SalesMeasure
        let grain: PeriodGrain
        let from: String, to: String
        var by: SalesDimension? = nil
        var top = 10
        var filter = AnalyticsFilter()
    }

    static func query(_ c: Case) -> String {
        var parts = ["measure=\(c.measure.rawValue)", "grain=\(GrainParameter.allCases.first { $0.grain == c.grain }!.rawValue)",
                     "from=\(c.from)", "to=\(c.to)", "top=\(c.top)"]
        if let by = c.by { parts.append("by=\(by.rawValue)") }
        if let v = c.filter.teamID { parts.append("team=\(v)") }
        if let v = c.filter.managerID { parts.append("manager=\(v)") }
        if let v = c.filter.regionID { parts.append("region=\(v)") }
        if let v = c.filter.channelID { parts.append("channel=\(v)") }
        if let v = c.filter.categoryID { parts.append("category=\(v)") }
        return "/api/v1/analytics/dynamics?" + parts.joined(separator: "&")
    }

    /// What the answer must hold, computed from the raw rows: the series keys in order and each point's three values.
    static func expected(_ c: Case, raw: RawSales, owners: Set<Int64>?) throws -> [(key: String, points: [(Int64, Int64, Int64)])] {
        let window = try DateWindow(from: try LocalDate(iso: c.from), through: try LocalDate(iso: c.to))
        let slots = SalesDynamics.slots(c.grain, window: window)
        func values(_ range: DateWindow) -> [Int64: Int64] { raw.values(c.measure, by: c.by, over: range, filter: c.filter, owners: owners) }
        guard c.by != nil else {
            return [("total", slots.map { (values($0.value)[0] ?? 0, values($0.previous)[0] ?? 0, values($0.yearEarlier)[0] ?? 0) })]
        }
        let ranked = values(window).filter { $0.value != 0 }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        let top = Array(ranked.prefix(c.top))
        func other(_ values: [Int64: Int64]) -> Int64 { values.filter { !top.contains($0.key) }.values.reduce(0, +) }
        var result = top.map { key in
            (key: key == 0 ? "none" : String(key), points: slots.map {
                (values($0.value)[key] ?? 0, values($0.previous)[key] ?? 0, values($0.yearEarlier)[key] ?? 0)
            })
        }
        let rest = slots.map { (other(values($0.value)), other(values($0.previous)), other(values($0.yearEarlier))) }
        if rest.contains(where: { $0 != 0 || $1 != 0 || $2 != 0 }) { result.append(("other", rest)) }
        return result
    }

    @Test(arguments: TestDatabase.engines)
    func everyMeasureGrainAndBreakdownEqualsTheSumsOfTheLines(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let raw = fixture.raw
            // A region with sub-regions, a category with sub-categories, a channel and a team that sell.
            let parentRegion = try #require(Set(raw.regionParent.values).sorted().first)
            let parentCategory = try #require(Set(raw.categoryParent.values).sorted().first)
            let channel = try #require(raw.lines.map(\.channel).filter { $0 != 0 }.min())
            let team = try #require(fixture.head.teamID)
            let cases = [
                Case(measure: .revenue, grain: .month, from: "2026-01-01", to: "2026-11-20"),
                Case(measure: .margin, grain: .quarter, from: "2025-02-10", to: "2026-08-15", by: .region, top: 3),
                Case(measure: .orders, grain: .week, from: "2026-09-01", to: "2026-11-20", by: .manager),
                Case(measure: .quantity, grain: .month, from: "2025-06-01", to: "2026-05-31", by: .category,
                     filter: AnalyticsFilter(regionID: Region.ID(parentRegion))),
                Case(measure: .orders, grain: .month, from: "2026-01-01", to: "2026-06-30", by: .channel,
                     filter: AnalyticsFilter(categoryID: ProductCategory.ID(parentCategory))),
                Case(measure: .orders, grain: .quarter, from: "2025-01-01", to: "2026-09-30", by: .category),
                Case(measure: .orders, grain: .month, from: "2026-02-10", to: "2026-11-20", by: .category),
                Case(measure: .orders, grain: .week, from: "2026-08-10", to: "2026-11-20", by: .category,
                     filter: AnalyticsFilter(regionID: Region.ID(parentRegion))),
                Case(measure: .revenue, grain: .halfYear, from: "2024-01-01", to: "2026-11-20", by: .team,
                     filter: AnalyticsFilter(channelID: Channel.ID(channel))),
                Case(measure: .dealsWon, grain: .month, from: "2026-01-01", to: "2026-10-31", by: .manager),
                Case(measure: .newCustomers, grain: .quarter, from: "2024-01-01", to: "2026-11-20", by: .region),
                Case(measure: .revenue, grain: .day, from: "2026-10-25", to: "2026-11-20", by: .account, top: 5),
                Case(measure: .revenue, grain: .month, from: "2026-03-01", to: "2026-09-30", by: .product, top: 4,
                     filter: AnalyticsFilter(teamID: team)),
                Case(measure: .margin, grain: .year, from: "2024-03-15", to: "2026-11-20", filter: AnalyticsFilter(managerID: fixture.rep.id)),
            ]
            var nonEmpty = 0
            for user in [fixture.director, fixture.head, fixture.rep] {
                let token = try await client.token(for: user)
                let owners = try await fixture.owners(of: user)
                for c in cases {
                    let response = try await client.get(Self.query(c), token: token)
                    #expect(response.status == .ok, "\(user.role) \(Self.query(c)): \(response.text)")
                    guard response.status == .ok else { continue }
                    let answer = try response.json(Answer.self)
                    let expected = try Self.expected(c, raw: raw, owners: owners)
                    #expect(answer.series.map(\.key) == expected.map(\.key), "\(user.role) \(Self.query(c))")
                    for (series, want) in zip(answer.series, expected) {
                        let got = series.points.map { ($0.value, $0.previous, $0.yoyValue) }
                        #expect(got.map(\.0) == want.points.map(\.0) && got.map(\.1) == want.points.map(\.1) && got.map(\.2) == want.points.map(\.2),
                                "\(user.role) \(Self.query(c)) series \(series.key): \(got) against \(want.points)")
                        if got.contains(where: { $0.0 != 0 }) { nonEmpty += 1 }
                    }
                }
            }
            #expect(nonEmpty > 40, "the cases read real sales, not empty windows (\(nonEmpty) series with sales)")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theAnswerNamesItsSeriesComparesAndExportsCSV(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let token = try await client.token(for: fixture.director)
            let answer = try await client.get("/api/v1/analytics/dynamics?from=2026-01-01&to=2026-11-20&by=channel", token: token).json(Answer.self)
            #expect(answer.measure == "revenue" && answer.grain == "month" && answer.currency == "EUR")
            #expect(answer.series.allSatisfy { $0.points.map(\.period) == (1...11).map { String(format: "2026-%02d", $0) } })
            let names = try await fixture.database.read { sql in
                try await sql.raw("SELECT name FROM channels").all().map { try $0.decode(column: "name", as: String.self) }
            }
            #expect(answer.series.allSatisfy { names.contains($0.name) }, "channels by name")
            let november = try #require(answer.series.first?.points.last)
            #expect(november.partial, "November to the 20th")
            if november.previous != 0 {
                #expect(november.changePct == Double(november.value - november.previous) / Double(november.previous))
            } else {
                #expect(november.changePct == nil)
            }
            // Defaults: revenue by month over the year to date.
            let defaults = try await client.get("/api/v1/analytics/dynamics", token: token).json(Answer.self)
            #expect(defaults.series.map(\.key) == ["total"] && defaults.series[0].points.count == 11)
            // An empty choice, as a form's "all" option sends it, is no choice.
            let emptyBy = try await client.get("/api/v1/analytics/dynamics?by=&measure=", token: token)
            let emptyKeys = try emptyBy.json(Answer.self).series.map(\.key)
            #expect(emptyBy.status == .ok && emptyKeys == ["total"])

            let csv = try await client.get("/api/v1/analytics/dynamics?from=2026-01-01&to=2026-03-31&format=csv", token: token)
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.count == 4 && lines[0].hasSuffix("series_key,series,period,partial,value,previous,change_pct,yoy_value,yoy_pct"))
            #expect(lines[1].hasPrefix("total,total,2026-01,false,"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aQuestionThatMakesNoSenseIs400WithEveryProblemNamed(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let token = try await client.token(for: fixture.director)
            let bad = try await client.get("/api/v1/analytics/dynamics?measure=profit&grain=fortnight&from=2026-05-01&to=2026-04-01&by=colour&top=0",
                                           token: token)
            #expect(bad.status == .badRequest)
            let problem = try bad.problem()
            #expect(Set(problem.errors?.map(\.field) ?? []) == ["measure", "grain", "to", "by", "top"])
            #expect(problem.errors?.first { $0.field == "measure" }?.reason
                    == "expected one of: revenue, margin, quantity, orders, deals_won, new_customers, got 'profit'")
            let split = try await client.get("/api/v1/analytics/dynamics?measure=deals_won&by=product", token: token)
            #expect(split.status == .badRequest)
            #expect(try split.problem().errors?.map(\.field) == ["by"])
            let days = try await client.get("/api/v1/analytics/dynamics?grain=day&from=2024-01-01&to=2026-11-20", token: token)
            #expect(days.status == .badRequest)
            #expect(try days.problem().errors?.map(\.field) == ["grain"])
            let date = try await client.get("/api/v1/analytics/dynamics?from=2026-13-01", token: token)
            #expect(date.status == .badRequest)
            #expect(try date.problem().errors?.map(\.field) == ["from"])
            // A question's size is bounded by its window: every analysis, the KPIs more tightly.
            for path in ["analytics/dynamics", "analytics/xyz", "analytics/abc", "analytics/products", "kpis"] {
                let endless = try await client.get("/api/v1/\(path)?from=0001-01-01&to=9999-12-31", token: token)
                #expect(endless.status == .badRequest, "\(path): \(endless.status)")
                #expect(try endless.problem().errors?.first { $0.field == "to" }?.reason
                        == (path == "kpis" ? "a window of at most 10 years" : "a window of at most 25 years"), "\(path)")
            }
            #expect(try await client.get("/api/v1/analytics/dynamics?from=2001-01-01&to=2025-12-31", token: token).status == .ok,
                    "twenty-five whole years are answered")
            #expect(try await client.get("/api/v1/analytics/dynamics").status == .unauthorized)
        }
    }
}
