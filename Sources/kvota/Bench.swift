import ArgumentParser
import Foundation
import KvotaCore
import KvotaStore
import KvotaWeb

/// The first benchmark (docs/performance.md): demo generation rate, one raw grouped query (revenue by month over
/// three years), every rep's forecast, and training and applying the scores. Not part of the tests; prints a table to
/// paste into the docs.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark demo generation and revenue by month at a scale; prints a table.")

    @Option(help: "S, M or L.") var scale: DemoScale = .s
    @Option(help: "Database to benchmark (default: sqlite:./data/bench-SCALE.sqlite). Its data is replaced.")
    var database: String?
    @Flag(help: "Reuse the demo data already in the database instead of generating it again.") var reuse = false
    @Option(help: "How many times to run each query.") var runs = 5
    @OptionGroup var log: LogOption

    func run() async throws {
        let logger = try log.bootstrap()
        guard runs >= 1 else { throw CLIError("--runs must be at least 1") }
        let url = try DatabaseURL(database ?? "sqlite:./data/bench-\(scale.name).sqlite", setting: "--database")
        try await withDatabase(url, logger: logger) { db in
            try await Migrator.migrate(db, logger: logger)
            var rows: [(String, String)] = [("scale", scale.name), ("database", url.engine.rawValue)]
            let counts = try await db.tableCounts()
            if !reuse || counts["order_lines", default: 0] == 0 {
                let report = try await DemoRun(scale: scale, seed: 1, asOf: nil, replace: true).run(on: db, logger: logger)
                rows += [("demo records", "\(report.records)"), ("demo order lines", "\(report.orderLines)"),
                         ("demo load", String(format: "%.1f s", report.seconds)),
                         ("demo rate", String(format: "%.0f records/s", report.rate))]
            }
            let asOf = try await Settings.get("demo.as_of", in: db).flatMap { try? LocalDate(iso: $0) } ?? LocalDate(Date(), in: .current)
            let from = Period(.month, containing: asOf).start.adding(months: -36)
            var timings: [Double] = []
            var months = 0
            for _ in 0..<runs {
                let started = ContinuousClock.now
                months = try await db.revenueByMonth(from: from, through: asOf).count
                timings.append(started.duration(to: .now).seconds * 1000)
            }
            timings.sort()
            rows += [("revenue by month (\(months) months)",
                      String(format: "median %.0f ms, best %.0f ms over %d runs", timings[timings.count / 2], timings[0], runs))]
            // Issue 10's floor: every rep's forecast (history fit, pipeline, categories, plan) in under a second at L.
            var forecasts: [Double] = []
            var people = 0
            let noon = asOf.start(in: try await db.companySettings().timeZone).addingTimeInterval(12 * 3600)
            for _ in 0..<runs {
                let started = ContinuousClock.now
                people = try await ForecastRound.everyPerson(db, at: noon)
                forecasts.append(started.duration(to: .now).seconds * 1000)
            }
            forecasts.sort()
            rows += [("forecasts for every rep and head (\(people))",
                      String(format: "median %.0f ms, best %.0f ms over %d runs", forecasts[forecasts.count / 2], forecasts[0], runs))]
            // Issue 10's other floor: training on L in under a minute. Once: a training reads every closed record.
            for summary in try await db.trainScores(at: noon) {
                rows.append(("train the \(summary.subject.rawValue) score (\(summary.scorer.method.rawValue), \(summary.examples) examples)",
                             String(format: "%.1f s, held-out AUC %@ (baseline %@)", summary.seconds,
                                    summary.scorer.evaluation?.auc.map { String(format: "%.3f", $0) } ?? "–",
                                    summary.scorer.evaluation?.baselineAUC.map { String(format: "%.3f", $0) } ?? "–")))
            }
            let rescoring = ContinuousClock.now
            let scored = try await db.rescore(at: noon)
            rows += [("rescore every open lead and deal (\(scored))", String(format: "%.1f s", rescoring.duration(to: .now).seconds)),
                     ("database size", String(format: "%.1f MiB", Double(try await db.sizeInBytes()) / 1_048_576))]
            printTable(rows.map { [$0.0, $0.1] })
        }
    }
}
