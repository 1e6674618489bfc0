import ArgumentParser
import Foundation
import KvotaCore
import KvotaStore

/// `kvota train`: trains the lead and the deal score from the closed records (docs/scoring.md), rescores every open
/// record, and prints how each score did on the held-out 20 % beside the frequency baseline.
struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the lead and deal scores from the closed records and rescore every open lead and deal.")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var log: LogOption

    func run() async throws {
        let logger = try log.bootstrap()
        try await withDatabase(try database.url(), logger: logger) { db in
            _ = try await Migrator.migrate(db, logger: logger)
            let now = Date()
            let summaries = try await db.trainScores(at: now)
            let started = ContinuousClock.now
            let scored = try await db.rescore(at: now)
            let rescoring = started.duration(to: .now).seconds
            func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "–" }
            printTable([["score", "method", "closed", "examples", "held out", "AUC", "baseline AUC", "seconds"]] + summaries.map { summary in
                let evaluation = summary.scorer.evaluation
                return [summary.subject.rawValue, summary.scorer.method.rawValue, String(summary.scorer.closedRecords), String(summary.examples),
                        evaluation.map { String($0.heldOutRecords) } ?? "–", figure(evaluation?.auc), figure(evaluation?.baselineAUC),
                        String(format: "%.2f", summary.seconds)]
            })
            print("rescored \(scored) open leads and deals in \(String(format: "%.2f", rescoring)) s")
            if summaries.contains(where: { $0.scorer.method == .rules }) {
                print("rules: fewer than \(ScoreTraining.minimumClosed) closed records (or only one outcome) to learn from")
            }
        }
    }
}
