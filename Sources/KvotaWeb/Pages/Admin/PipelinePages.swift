import Foundation
import KvotaCore
import Plot

/// The sales funnels with their stage counts, and a form for a new one.
struct PipelinesPage {
    let page: PageContext
    let pipelines: [(Pipeline, [Stage])]
    var name = ""
    var error: String?

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.adminPipelines)).document(.group(
            .h1(.text(t(.adminPipelines))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.pipelineName))), .th(.text(t(.pipelineStages))), .th(.text(t(.pipelineActive))))),
                   .tbody(.forEach(pipelines) { pipeline, stages in
                       .tr(.td(.attribute(named: "data-label", value: t(.pipelineName)),
                               .a(.href(SiteURL.adminPipeline(id: pipeline.id.rawValue).path), .text(pipeline.name))),
                           .td(.attribute(named: "data-label", value: t(.pipelineStages)), .text(stages.map(\.name).joined(separator: " → "))),
                           .td(.attribute(named: "data-label", value: t(.pipelineActive)), .text(t(pipeline.active ? .listYes : .listNo))))
                   })),
            .h2(.text(t(.pipelineNew))),
            .p(.class("muted"), .text(t(.pipelineCreatedHint))),
            .form(.class("filters"), .method(.post), .action(SiteURL.adminPipelines.path),
                  csrfField(page.csrfToken),
                  .div(field(t(.pipelineName), name: "name", type: .text, value: name, error: error)),
                  .button(.type(.submit), .text(t(.commonSave))))
        ))
    }
}

/// One funnel's stages, each a form of its own (name, order, probability, kind, what a deal needs to enter,
/// script, checklist), and a form for a new stage. Problems show at the stage they belong to.
struct PipelinePage {
    let page: PageContext
    let pipeline: Pipeline
    let stages: [Stage]
    /// The stage whose form was posted (0: the new stage) with its values and problems.
    var posted: Int64?
    var values: [String: String] = [:]
    var requirements: Set<DealRequirement> = []
    var errors: [String: String] = [:]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: pipeline.name).document(.group(
            .h1(.text(pipeline.name)),
            .p(.a(.href(SiteURL.adminPipelines.path), .text(t(.adminPipelines)))),
            .if(!errors.isEmpty, .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text(t(.formHasErrors)))),
            .ol(.class("stages"), .forEach(stages) { stage in .li(stageForm(stage)) }),
            stageForm(nil)
        ))
    }

    private func stageForm(_ stage: Stage?) -> Node<HTML.BodyContext> {
        let t = page.t
        let id = stage?.id.rawValue ?? 0
        let mine = posted == id
        func value(_ name: String, _ current: String) -> String { mine ? values[name] ?? "" : current }
        func error(_ name: String) -> String? { mine ? errors[name] : nil }
        let required = mine ? requirements : stage?.requiredFields ?? []
        let action = stage.map { SiteURL.adminStage(pipeline: pipeline.id.rawValue, id: $0.id.rawValue) } ?? .adminStages(pipeline: pipeline.id.rawValue)
        return .group(.element(named: "details", nodes: [
            mine || stage == nil ? .attribute(named: "open") : .empty,
            .element(named: "summary", nodes: [.text(stage.map { "\($0.position). \($0.name) · \($0.probability) %" } ?? t(.pipelineNewStage))]),
            .form(.class("stack"), .method(.post), .action(action.path),
                  csrfField(page.csrfToken),
                  .unwrap(stage) { .input(.type(.hidden), .name("version"), .value(String($0.version))) },
                  field(t(.stageName), name: "name", id: "name-\(id)", type: .text, value: value("name", stage?.name ?? ""), error: error("name")),
                  field(t(.stagePosition), name: "position", id: "position-\(id)", type: .number,
                        value: value("position", stage.map { String($0.position) } ?? ""), error: error("position"), required: false),
                  field(t(.stageProbability), name: "probability", id: "probability-\(id)", type: .number,
                        value: value("probability", stage.map { String($0.probability) } ?? "10"), error: error("probability")),
                  selectField(t(.stageOutcome), name: "outcome", id: "outcome-\(id)",
                              options: StageOutcome.allCases.map { ($0.rawValue, t($0.label)) },
                              selected: value("outcome", stage?.outcome.rawValue ?? StageOutcome.open.rawValue), error: error("outcome")),
                  selectField(t(.stageForecastCategory), name: "forecast_category", id: "forecast-category-\(id)",
                              options: ForecastCategory.allCases.map { ($0.rawValue, t($0.label)) },
                              selected: value("forecast_category", stage?.forecastCategory.rawValue ?? ForecastCategory.pipeline.rawValue),
                              error: error("forecastCategory")),
                  .fieldset(.element(named: "legend", text: t(.stageRequired)),
                            .forEach(DealRequirement.allCases) { requirement in
                                .label(.class("check"),
                                       .input(.type(.checkbox), .name("required"), .value(requirement.rawValue),
                                              .checked(required.contains(requirement))),
                                       .text(" " + t(requirement.label)))
                            }),
                  .label(.for("script-\(id)"), .text(t(.stageScript))),
                  .textarea(.id("script-\(id)"), .name("script"), .attribute(named: "rows", value: "4"),
                            .text(value("script", stage?.script ?? ""))),
                  .label(.for("checklist-\(id)"), .text(t(.stageChecklist))),
                  .textarea(.id("checklist-\(id)"), .name("checklist"), .attribute(named: "rows", value: "4"),
                            .text(value("checklist", stage?.checklist.joined(separator: "\n") ?? ""))),
                  .unwrap(error("checklist")) { .p(.class("error"), .text($0)) },
                  .div(.class("actions"), .button(.type(.submit), .text(t(.commonSave))))),
            .unwrap(stage) { stage in
                .form(.method(.post), .action(SiteURL.adminStageDelete(pipeline: pipeline.id.rawValue, id: stage.id.rawValue).path),
                      .attribute(named: "data-confirm", value: t(.stageDeleteConfirm, ["name": stage.name])),
                      csrfField(page.csrfToken),
                      .button(.type(.submit), .class("danger"), .text(t(.stageDelete))))
            },
        ]))
    }
}

extension ForecastCategory {
    var label: UIKey {
        switch self {
        case .commit: .forecastCommit
        case .bestCase: .forecastBestCase
        case .pipeline: .forecastCategoryPipeline
        case .omitted: .forecastCategoryOmitted
        }
    }
}

extension DealRequirement {
    var label: UIKey {
        switch self {
        case .amount: .requirementAmount
        case .expectedClose: .requirementExpectedClose
        case .contact: .requirementContact
        case .products: .requirementProducts
        }
    }
}
