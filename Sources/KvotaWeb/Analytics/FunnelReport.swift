import Foundation
import KvotaCore
import KvotaStore

/// `GET /api/v1/analytics/funnel?pipeline=ID` (METRICS.md "Funnel (per pipeline)"): stage by stage, how many of the
/// deals created in the window reached each stage, converted to the next and dropped off, and how long stays lasted;
/// and of the deals closed in the window the win rate by count and by amount, the average won deal, the sales cycle
/// and the loss reasons. Amounts are converted to the base currency at the rate of the closing day.
struct FunnelReport: Encodable, Sendable {
    struct StageRow: Encodable, Sendable {
        let stageId: Int64
        let name: String
        let outcome: String
        let reached: Int
        let conversion: Double?
        let dropOff: Int
        let meanDays: Double?
        let medianDays: Double?

        enum CodingKeys: String, CodingKey { case stageId, name, outcome, reached, conversion, dropOff, meanDays, medianDays }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(stageId, forKey: .stageId); try c.encode(name, forKey: .name); try c.encode(outcome, forKey: .outcome)
            try c.encode(reached, forKey: .reached); try c.encode(conversion, forKey: .conversion); try c.encode(dropOff, forKey: .dropOff)
            try c.encode(meanDays, forKey: .meanDays); try c.encode(medianDays, forKey: .medianDays)
        }
    }

    struct LossReason: Encodable, Sendable {
        let reason: String?
        let count: Int
        let amount: Int64
    }

    struct Closed: Encodable, Sendable {
        let won: Int
        let lost: Int
        let wonAmount: Int64
        let lostAmount: Int64
        let winRateCount: Double?
        let winRateAmount: Double?
        let averageWon: Int64?
        let cycleMeanDays: Double?
        let cycleMedianDays: Double?

        enum CodingKeys: String, CodingKey {
            case won, lost, wonAmount, lostAmount, winRateCount, winRateAmount, averageWon, cycleMeanDays, cycleMedianDays
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(won, forKey: .won); try c.encode(lost, forKey: .lost); try c.encode(wonAmount, forKey: .wonAmount)
            try c.encode(lostAmount, forKey: .lostAmount); try c.encode(winRateCount, forKey: .winRateCount)
            try c.encode(winRateAmount, forKey: .winRateAmount); try c.encode(averageWon, forKey: .averageWon)
            try c.encode(cycleMeanDays, forKey: .cycleMeanDays); try c.encode(cycleMedianDays, forKey: .cycleMedianDays)
        }
    }

    let pipelineId: Int64
    let pipeline: String
    let currency: String
    let from: String
    let to: String
    let created: Int
    let stages: [StageRow]
    let closed: Closed
    let lossReasons: [LossReason]

    static func build(pipeline id: Int64?, _ shared: AnalyticsParameters, for actor: Actor, in database: Database,
                      settings: CompanySettings, today: LocalDate) async throws -> FunnelReport {
        let pipelines = try await database.pipelines(for: actor)
        guard let (pipeline, stages) = id.map({ id in pipelines.first { $0.0.id.rawValue == id } }) ?? pipelines.first else {
            throw ValidationFailure([.invalid(field: "pipeline", reason: "no pipeline \(id.map(String.init) ?? "")")])
        }
        let window = shared.window
        let interval = DateInterval(start: window.from.start(in: settings.timeZone), end: window.through.adding(days: 1).start(in: settings.timeZone))
        let rates = RateTable(base: settings.baseCurrency, rates: try await database.exchangeRates())
        func deal(_ record: FunnelDealRecord) throws -> FunnelAnalysis.Deal {
            let currency = (try? Currency(record.currency)) ?? settings.baseCurrency
            return FunnelAnalysis.Deal(id: record.id, createdAt: record.createdAt, status: record.status, closedAt: record.closedAt,
                                       amountBase: try rates.toBase(record.amountMinor, currency, on: record.closedOn ?? today),
                                       lossReason: record.lossReason, entries: [])
        }
        // Read side by side: each is a few hundred thousand rows at scale L, on a reader of its own.
        async let cohortRead = database.funnelCohort(for: actor, filter: shared.filter, pipeline: pipeline.id.rawValue, created: interval)
        async let closedRead = database.funnelClosedDeals(for: actor, filter: shared.filter, pipeline: pipeline.id.rawValue, window: window)
        let (cohort, closedDeals) = try await (cohortRead, closedRead)
        let ordered = stages.sorted { $0.position < $1.position }
        let open = ordered.filter { $0.outcome == .open }
        let won = ordered.first { $0.outcome == .won }
        let rows = FunnelAnalysis.stages(open.map(\.id.rawValue), won: won?.id.rawValue, cohort: cohort)
        let closed = FunnelAnalysis.closed(try closedDeals.map(deal))
        let byID = Dictionary(uniqueKeysWithValues: ordered.map { ($0.id.rawValue, $0) })
        return FunnelReport(
            pipelineId: pipeline.id.rawValue, pipeline: pipeline.name, currency: settings.baseCurrency.code, from: window.from.iso,
            to: window.through.iso, created: cohort.count,
            stages: rows.map { row in
                StageRow(stageId: row.stage, name: byID[row.stage]?.name ?? "", outcome: byID[row.stage]?.outcome.rawValue ?? "open",
                         reached: row.reached, conversion: row.conversion, dropOff: row.dropOff, meanDays: row.meanDays, medianDays: row.medianDays)
            },
            closed: Closed(won: closed.won, lost: closed.lost, wonAmount: closed.wonAmount, lostAmount: closed.lostAmount,
                           winRateCount: closed.winRateCount, winRateAmount: closed.winRateAmount, averageWon: closed.averageWon,
                           cycleMeanDays: closed.cycleMeanDays, cycleMedianDays: closed.cycleMedianDays),
            lossReasons: closed.lossReasons.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.map {
                LossReason(reason: $0.key.isEmpty ? nil : $0.key, count: $0.value.count, amount: $0.value.amount)
            })
    }

    var csv: (header: [String], rows: [[String?]]) {
        (["stage_id", "stage", "outcome", "reached", "conversion", "drop_off", "mean_days", "median_days"],
         stages.map { [String($0.stageId), $0.name, $0.outcome, String($0.reached), $0.conversion.map { String($0) }, String($0.dropOff),
                       $0.meanDays.map { String($0) }, $0.medianDays.map { String($0) }] })
    }
}
