import Foundation
import KvotaCore
import Testing

/// A template's answers from a form, the NPS and satisfaction of a response, and of a group (docs/metrics.md "Surveys").
@Suite struct SurveyTests {
    let template = SurveyTemplate(id: 1, name: "Pulse", intro: "", questions: [
        .init(key: "q1", kind: .nps, text: "Recommend?"),
        .init(key: "q2", kind: .scale, text: "Delivery", min: 1, max: 5),
        .init(key: "q3", kind: .scale, text: "Prices", min: 0, max: 10, required: false),
        .init(key: "q4", kind: .text, text: "Anything else?", required: false),
    ], createdAt: Date(timeIntervalSince1970: 0))

    @Test func answersAreReadAndEveryProblemIsNamedByKey() throws {
        let answers = try template.answers(from: ["q1": "7", "q2": "4", "q3": " ", "q4": " More colours "])
        #expect(answers == [SurveyAnswer(key: "q1", score: 7), SurveyAnswer(key: "q2", score: 4), SurveyAnswer(key: "q4", text: "More colours")])
        #expect(throws: ValidationFailure([.invalid(field: "q1", reason: "expected a whole number from 0 to 10, got '11'"),
                                           .invalid(field: "q2", reason: "is required"),
                                           .invalid(field: "q3", reason: "expected a whole number from 0 to 10, got 'x'")])) {
            try template.answers(from: ["q1": "11", "q3": "x"])
        }
    }

    @Test func aResponsesSatisfactionIsTheMeanOfItsScalesAsFractions() {
        let measures = template.measures(of: [SurveyAnswer(key: "q1", score: 9), SurveyAnswer(key: "q2", score: 4), SurveyAnswer(key: "q3", score: 5)])
        #expect(measures.nps == 9 && measures.satisfaction == (0.75 + 0.5) / 2)
        #expect(template.measures(of: [SurveyAnswer(key: "q4", text: "ok")]) == (nil, nil))
    }

    @Test func npsIsPromotersLessDetractorsOfThoseWhoGaveOne() {
        var summary = SurveySummary()
        for score in [10, 9, 8, 7, 6, 0] { summary.add(nps: score, satisfaction: nil) }
        summary.add(nps: nil, satisfaction: 0.5)
        #expect(summary.responses == 7 && summary.promoters == 2 && summary.passives == 2 && summary.detractors == 2)
        #expect(summary.nps == 0 && summary.satisfaction == 0.5)
        #expect(SurveySummary().nps == nil && SurveySummary().satisfaction == nil)
        var loved = SurveySummary()
        for score in [10, 10, 10, 5] { loved.add(nps: score, satisfaction: nil) }
        #expect(loved.nps == 50)
    }

    @Test func aTemplatesProblemsAreNamed() {
        var errors = ValidationFailure.Collector()
        SurveyTemplate.check(name: "", intro: "", questions: [.init(key: "q1", kind: .nps, text: "A"), .init(key: "q2", kind: .nps, text: ""),
                                                              .init(key: "q3", kind: .scale, text: "B", min: 3, max: 3)], into: &errors)
        #expect(errors.errors.map(\.field) == ["name", "questions", "questions[1].text", "questions[2].max"])
    }
}
