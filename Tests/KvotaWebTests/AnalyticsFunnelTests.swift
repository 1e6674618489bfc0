import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import SQLKit
import Testing

/// The funnel through the API equals counts taken straight from the deals and their stage history, for three roles
/// and both pipelines, on both engines.
@Suite struct AnalyticsFunnelTests {
    struct Answer: Decodable {
        struct Stage: Decodable { let stageId: Int64; let reached: Int; let conversion: Double?; let dropOff: Int; let meanDays: Double?; let medianDays: Double? }
        struct Closed: Decodable { let won: Int; let lost: Int; let wonAmount: Int64; let lostAmount: Int64; let cycleMedianDays: Double? }
        struct Loss: Decodable { let reason: String?; let count: Int; let amount: Int64 }
        let pipelineId: Int64
        let created: Int
        let stages: [Stage]
        let closed: Closed
        let lossReasons: [Loss]
    }

    struct RawDeal {
        let id: Int64, owner: Int64, pipeline: Int64
        let createdOn: LocalDate
        let status: String
        let closedAt: Int64?
        let closedOn: LocalDate?
        let amount: Int64
        let currency: String
        let reason: String?
    }

    @Test(arguments: TestDatabase.engines)
    func stagesAndClosedDealsEqualTheHistory(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let zone = TimeZone(identifier: "Europe/Stockholm")!
            let (deals, entered, stages, rates) = try await fixture.database.read { sql in
                let deals = try await sql.raw("SELECT id, owner_id, pipeline_id, created_at, status, closed_at, closed_on, amount_minor, currency, loss_reason FROM deals")
                    .all().map { row in
                        RawDeal(id: try row.decode(column: "id", as: Int64.self), owner: try row.decode(column: "owner_id", as: Int64.self),
                                pipeline: try row.decode(column: "pipeline_id", as: Int64.self),
                                createdOn: LocalDate(Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)), in: zone),
                                status: try row.decode(column: "status", as: String.self),
                                closedAt: try row.decode(column: "closed_at", as: Int64?.self),
                                closedOn: try row.decode(column: "closed_on", as: Int?.self).map { try LocalDate(key: $0) },
                                amount: try row.decode(column: "amount_minor", as: Int64.self), currency: try row.decode(column: "currency", as: String.self),
                                reason: try row.decode(column: "loss_reason", as: String?.self))
                    }
                var entered: [Int64: [(stage: Int64, at: Int64)]] = [:]
                for row in try await sql.raw("SELECT deal_id, stage_id, entered_at FROM deal_stage_history ORDER BY deal_id, entered_at, id").all() {
                    entered[try row.decode(column: "deal_id", as: Int64.self), default: []].append(
                        (try row.decode(column: "stage_id", as: Int64.self), try row.decode(column: "entered_at", as: Int64.self)))
                }
                let stages = try await sql.raw("SELECT id, pipeline_id, outcome FROM stages ORDER BY pipeline_id, position").all().map {
                    (id: try $0.decode(column: "id", as: Int64.self), pipeline: try $0.decode(column: "pipeline_id", as: Int64.self),
                     outcome: try $0.decode(column: "outcome", as: String.self))
                }
                let rates = try await sql.raw("SELECT currency, valid_from, base_micros FROM exchange_rates ORDER BY valid_from").all().map {
                    (currency: try $0.decode(column: "currency", as: String.self), from: try $0.decode(column: "valid_from", as: Int.self),
                     micros: try $0.decode(column: "base_micros", as: Int64.self))
                }
                return (deals, entered, stages, rates)
            }
            func base(_ deal: RawDeal) -> Int64 {
                if deal.currency == "EUR" { return deal.amount }
                let rate = rates.last { $0.currency == deal.currency && $0.from <= deal.closedOn!.key }!
                return ExchangeRate(currency: try! Currency(deal.currency), validFrom: deal.closedOn!, baseMicros: rate.micros).toBase(deal.amount)
            }
            let window = try DateWindow(from: try LocalDate(iso: "2026-01-01"), through: try LocalDate(iso: "2026-09-30"))
            var reachedAny = 0
            for user in [fixture.director, fixture.head, fixture.rep] {
                let token = try await client.token(for: user)
                let owners = try await fixture.owners(of: user)
                for pipeline in Set(stages.map(\.pipeline)).sorted() {
                    let mine = deals.filter { $0.pipeline == pipeline && (owners == nil || owners!.contains($0.owner)) }
                    let cohort = mine.filter { $0.createdOn >= window.from && $0.createdOn <= window.through }
                    let path = stages.filter { $0.pipeline == pipeline && $0.outcome != "lost" }.map(\.id)
                    let reached = path.map { stage in Set(cohort.filter { entered[$0.id]?.contains { $0.stage == stage } == true }.map(\.id)) }
                    // Each ended stay in days: to the next entry, or to the closing of a closed deal; none in the won stage.
                    let wonStage = stages.first { $0.pipeline == pipeline && $0.outcome == "won" }?.id
                    var stays: [Int64: [Double]] = [:]
                    for deal in cohort {
                        let entries = entered[deal.id] ?? []
                        for (index, entry) in entries.enumerated() where entry.stage != wonStage {
                            guard let left = index + 1 < entries.count ? entries[index + 1].at : deal.closedAt else { continue }
                            stays[entry.stage, default: []].append(Double(left - entry.at) / 86_400_000)
                        }
                    }
                    let answer = try await client.get("/api/v1/analytics/funnel?pipeline=\(pipeline)&from=2026-01-01&to=2026-09-30", token: token)
                        .json(Answer.self)
                    let context = "\(user.role) pipeline \(pipeline)"
                    #expect(answer.created == cohort.count && answer.stages.map(\.stageId) == path, "\(context)")
                    #expect(answer.stages.map(\.reached) == reached.map(\.count), "\(context) reached")
                    for stage in answer.stages {
                        let days = stays[stage.stageId] ?? []
                        let mean = days.isEmpty ? nil : days.reduce(0, +) / Double(days.count), median = FunnelAnalysis.median(days)
                        // Days from milliseconds here, from seconds in the server: the same to the last few bits.
                        #expect(stage.meanDays.map { abs($0 - mean!) < 1e-9 } ?? (mean == nil), "\(context) stage \(stage.stageId) mean stay")
                        #expect(stage.medianDays.map { abs($0 - median!) < 1e-9 } ?? (median == nil), "\(context) stage \(stage.stageId) median stay")
                    }
                    for (index, stage) in answer.stages.enumerated() where index + 1 < path.count {
                        #expect(stage.dropOff == reached[index].subtracting(reached[index + 1]).count, "\(context) drop-off")
                        #expect(stage.conversion == (reached[index].isEmpty ? nil : Double(reached[index + 1].count) / Double(reached[index].count)))
                    }
                    let closed = mine.filter { $0.status != "open" && $0.closedOn.map { $0 >= window.from && $0 <= window.through } == true }
                    let won = closed.filter { $0.status == "won" }, lost = closed.filter { $0.status == "lost" }
                    #expect(answer.closed.won == won.count && answer.closed.lost == lost.count, "\(context) closed")
                    #expect(answer.closed.wonAmount == won.reduce(0) { $0 + base($1) } && answer.closed.lostAmount == lost.reduce(0) { $0 + base($1) })
                    for loss in answer.lossReasons {
                        let members = lost.filter { $0.reason == loss.reason }
                        #expect(loss.count == members.count && loss.amount == members.reduce(0) { $0 + base($1) }, "\(context) \(loss.reason ?? "none")")
                    }
                    #expect(answer.lossReasons.reduce(0) { $0 + $1.count } == lost.count)
                    reachedAny += reached.first?.count ?? 0
                }
            }
            #expect(reachedAny > 20, "deals went through the funnel (\(reachedAny))")
            let token = try await client.token(for: fixture.director)
            let unknown = try await client.get("/api/v1/analytics/funnel?pipeline=999999", token: token)
            #expect(unknown.status == .badRequest)
            #expect(try unknown.problem().errors?.first?.field == "pipeline")
        }
    }
}
