import Foundation
import KvotaCore
import KvotaStore
import Plot

/// The scores' admin page (issue 10): for the lead and the deal score, how it is reached (learned or rules), when it
/// was trained, and how it did on the held-out 20 % against the frequency baseline: the AUC of both and a calibration
/// table of both. A button trains them again.
struct ScoringPage {
    let page: PageContext
    let scorers: [(subject: ScoreSubject, scorer: StoredScorer?)]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.adminScoring)).document(.group(
            .h1(.text(t(.adminScoring))),
            .p(.class("muted"), .text(t(.scoringAucExplain))),
            .forEach(scorers) { subject, stored in section(subject, stored) },
            .form(.method(.post), .action(SiteURL.adminScoringTrain.path), csrfField(page.csrfToken),
                  .button(.type(.submit), .text(t(.scoringTrain))))
        ))
    }

    private func section(_ subject: ScoreSubject, _ stored: StoredScorer?) -> Node<HTML.BodyContext> {
        let t = page.t
        return .section(
            .class("scoring"), .attribute(named: "data-subject", value: subject.rawValue),
            .h2(.text(t(subject == .lead ? .scoringLead : .scoringDeal))),
            .p(.text(method(stored))),
            .unwrap(stored) { .p(.class("muted"), .text(t(.scoringTrainedAt, ["when": t.dateTime($0.trainedAt)]))) },
            .unwrap(stored?.evaluation) { evaluation(subject, $0) }
        )
    }

    private func method(_ stored: StoredScorer?) -> String {
        let t = page.t
        guard let stored else { return t(.scoringNever) }
        guard let model = stored.model else {
            return t(.scoringRules, ["count": t.number(Int64(stored.closedRecords)), "minimum": t.number(Int64(ScoreTraining.minimumClosed))])
        }
        return t(.scoringModel, ["count": t.number(Int64(stored.closedRecords)), "features": t.number(Int64(model.columns))])
    }

    private func evaluation(_ subject: ScoreSubject, _ evaluation: ScoreEvaluationReport) -> Node<HTML.BodyContext> {
        let t = page.t
        func auc(_ value: Double?) -> String { value.map { t.fixed($0, digits: 3) } ?? "–" }
        let heldOut = t(.scoringHeldOut, ["n": t.number(Int64(evaluation.heldOutRecords)), "m": t.number(Int64(evaluation.trainingRecords)),
                                          "date": t.date(LocalDate(evaluation.heldOutFrom, in: t.timeZone))])
        return .group(
            .p(.text(heldOut)),
            .table(.class("auc"),
                   .tr(.th(.text("")), .th(.class("number"), .text(t(.scoringAuc)))),
                   .tr(.td(.text(t(.scoringKvota))), .td(.class("number kvota-auc"), .text(auc(evaluation.auc)))),
                   .tr(.td(.text(t(.scoringBaseline))), .td(.class("number baseline-auc"), .text(auc(evaluation.baselineAUC))))),
            .h3(.text(t(.scoringCalibration))),
            calibration(evaluation)
        )
    }

    private func calibration(_ evaluation: ScoreEvaluationReport) -> Node<HTML.BodyContext> {
        let t = page.t
        func share(_ value: Double?) -> String { value.map { t.percent($0) } ?? "–" }
        let rows = zip(evaluation.calibration, evaluation.baselineCalibration).filter { $0.count + $1.count > 0 }
        return .table(
            .class("calibration"),
            .tr(.th(.text(t(.scoringBand))), .th(.attribute(named: "colspan", value: "3"), .text(t(.scoringKvota))),
                .th(.attribute(named: "colspan", value: "3"), .text(t(.scoringBaseline)))),
            .tr(.th(.text("")), .th(.class("number"), .text(t(.scoringExamples))), .th(.class("number"), .text(t(.scoringPredicted))),
                .th(.class("number"), .text(t(.scoringObserved))), .th(.class("number"), .text(t(.scoringExamples))),
                .th(.class("number"), .text(t(.scoringPredicted))), .th(.class("number"), .text(t(.scoringObserved)))),
            .forEach(rows) { model, baseline in
                .tr(.td(.text("\(t.percent(model.lower))–\(t.percent(model.upper))")),
                    .td(.class("number"), .text(t.number(Int64(model.count)))), .td(.class("number"), .text(share(model.meanPredicted))),
                    .td(.class("number"), .text(share(model.observed))),
                    .td(.class("number"), .text(t.number(Int64(baseline.count)))), .td(.class("number"), .text(share(baseline.meanPredicted))),
                    .td(.class("number"), .text(share(baseline.observed))))
            }
        )
    }
}
