import Foundation
import KvotaCore
import KvotaStore
import Plot

/// A template's questions as the web form writes them, one per line: `kind[ min-max][?]: text`, as in
/// `nps: How likely…`, `scale 1-5: How satisfied…`, `text?: What should we do better?` (`?`: optional).
enum SurveyQuestionLines {
    static func parse(_ text: String, into errors: inout ValidationFailure.Collector) -> [SurveyTemplate.Question] {
        var questions: [SurveyTemplate.Question] = []
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for (index, line) in lines.enumerated() {
            guard let colon = line.firstIndex(of: ":") else {
                errors.check(false, "questions", "line \(index + 1): expected 'nps:', 'scale 1-5:' or 'text:' before the question")
                continue
            }
            var head = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let optional = head.hasSuffix("?")
            if optional { head.removeLast() }
            let words = head.split(separator: " ")
            let question = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch words.first.map(String.init) {
            case "nps" where words.count == 1:
                questions.append(.init(key: "", kind: .nps, text: question, required: !optional))
            case "text" where words.count == 1:
                questions.append(.init(key: "", kind: .text, text: question, required: !optional))
            case "scale" where words.count <= 2:
                let range = words.count == 2 ? words[1].split(separator: "-").compactMap { Int($0) } : [1, 5]
                guard range.count == 2 else {
                    errors.check(false, "questions", "line \(index + 1): expected a scale like 'scale 1-5'")
                    continue
                }
                questions.append(.init(key: "", kind: .scale, text: question, min: range[0], max: range[1], required: !optional))
            default:
                errors.check(false, "questions", "line \(index + 1): expected 'nps:', 'scale 1-5:' or 'text:' before the question")
            }
        }
        return questions
    }

    static func line(_ question: SurveyTemplate.Question) -> String {
        let mark = question.required ? "" : "?"
        return switch question.kind {
        case .nps: "nps\(mark): \(question.text)"
        case .scale: "scale \(question.min)-\(question.max)\(mark): \(question.text)"
        case .text: "text\(mark): \(question.text)"
        }
    }
}

/// The survey templates with their questions, retiring one, and the form of a new one.
struct SurveyTemplatesPage {
    let page: PageContext
    let templates: [SurveyTemplate]
    let canMake: Bool
    let entered: [String: String]
    let errors: [String: String]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.surveysTemplatesTitle)).document(.group(
            .h1(.text(t(.surveysTemplatesTitle))),
            PlansTab.nav(page, current: .surveys),
            templates.isEmpty ? .p(.class("muted"), .text(t(.surveysTemplatesNone))) : .forEach(templates) { template in
                .section(.h2(.text(template.name + (template.active ? "" : " (" + t(.surveysRetired) + ")"))),
                         .if(!template.intro.isEmpty, .p(.text(template.intro))),
                         .ol(.forEach(template.questions) { .li(.code(.text(SurveyQuestionLines.line($0)))) }),
                         .if(canMake && template.active,
                             .form(.class("inline"), .action(SiteURL.surveyTemplateRetire(id: template.id.rawValue).path), .method(.post),
                                   csrfField(page.csrfToken), .button(.type(.submit), .class("quiet"), .text(t(.surveysRetire))))))
            },
            .if(canMake, .group(
                .h2(.text(t(.surveysNewTemplate))),
                .form(.class("stacked"), .action(SiteURL.surveyTemplates.path), .method(.post), csrfField(page.csrfToken),
                      field(t(.surveysTemplateName), name: "name", type: .text, value: entered["name"] ?? "", error: errors["name"]),
                      textareaField(t(.surveysIntro), name: "intro", value: entered["intro"] ?? "", error: errors["intro"], rows: 3),
                      textareaField(t(.surveysQuestions), name: "questions", value: entered["questions"] ?? "", error: errors["questions"], rows: 8),
                      .p(.class("muted"), .text(t(.surveysQuestionsHelp))),
                      .button(.type(.submit), .text(t(.surveysCreateTemplate))))
            ))
        ))
    }
}

/// NPS and satisfaction of the responses the reader may see, by month, manager, region or ABC class.
struct SurveyReportPage {
    let page: PageContext
    let by: SurveyGrouping
    let from: String
    let to: String
    let total: SurveySummary
    let rows: [SurveyReportRow]
    let errors: [String: String]

    func html() -> HTML {
        let t = page.t
        let groupings: [(String, String)] = SurveyGrouping.allCases.map { ($0.rawValue, t($0.label)) }
        return Layout(page: page, title: t(.surveysReportTitle)).document(.group(
            .h1(.text(t(.surveysReportTitle))),
            PlansTab.nav(page, current: .surveys),
            .form(.class("filters"), .action(SiteURL.surveyReport(by: nil, from: nil, to: nil).path), .method(.get),
                  selectField(t(.surveysBy), name: "by", options: groupings, selected: by.rawValue),
                  field(t(.surveysFrom), name: "from", type: .date, value: from, error: errors["from"], required: false),
                  field(t(.surveysTo), name: "to", type: .date, value: to, error: errors["to"], required: false),
                  .button(.type(.submit), .text(t(.surveysShow)))),
            SurveySummaryTable(t: t).html([(t(.surveysAll), total)] + rows.map { ($0.name.isEmpty ? t(.surveysNoGroup) : $0.name, $0.summary) })
        ))
    }
}

extension SurveyGrouping {
    var label: UIKey {
        switch self {
        case .month: .surveysByMonth
        case .manager: .surveysByManager
        case .region: .surveysByRegion
        case .abcClass: .surveysByAbc
        }
    }
}
