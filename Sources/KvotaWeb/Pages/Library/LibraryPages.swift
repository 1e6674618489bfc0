import Foundation
import KvotaCore
import KvotaStore
import Plot

/// The sales library in the plans section: the documents by kind with the stages that show them, the form of a new
/// one, and the onboarding checklist's steps. Keepers (heads, directors, admins) see the forms; the others read.
struct LibraryListPage {
    let page: PageContext
    let documents: [LibraryDocument]
    let steps: [OnboardingStep]
    let stages: LibraryStages
    let canKeep: Bool
    let entered: [String: String]
    let errors: [String: String]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.libraryTitle)).document(.group(
            .h1(.text(t(.libraryTitle))),
            PlansTab.nav(page, current: .library),
            .unwrap(page.actor) { actor in .p(.a(.href(SiteURL.training(user: actor.userID.rawValue).path), .text(t(.libraryMyTraining)))) },
            documents.isEmpty ? .p(.class("muted"), .text(t(.libraryNone))) : .forEach(LibraryDocument.Kind.allCases) { kind in
                let ofKind = documents.filter { $0.kind == kind }
                return .if(!ofKind.isEmpty, .section(.h2(.text(t(kind.label))), .ul(.forEach(ofKind) { document in
                    .li(.a(.href(SiteURL.libraryDocument(id: document.id.rawValue).path), .text(document.title)),
                        .span(.class("muted"), .text(document.stageIDs.isEmpty ? "" : " · " + stages.names(document.stageIDs))))
                })))
            },
            .if(canKeep, .group(.h2(.text(t(.libraryNew))),
                                LibraryForm(page: page, stages: stages, action: SiteURL.library.path, entered: entered, errors: errors).node())),
            .h2(.text(t(.libraryOnboarding))),
            steps.isEmpty ? .p(.class("muted"), .text(t(.libraryOnboardingNone))) : .ol(.forEach(steps) { step in
                .li(.text(step.text),
                    .if(canKeep, .form(.class("inline"), .action(SiteURL.onboardingStepRetire(id: step.id.rawValue).path), .method(.post),
                                       csrfField(page.csrfToken), .button(.type(.submit), .class("quiet"), .text(t(.libraryRetireStep))))))
            }),
            .if(canKeep, .form(.class("inline"), .action(SiteURL.onboardingSteps.path), .method(.post), csrfField(page.csrfToken),
                               field(t(.libraryStepText), name: "step", type: .text, value: entered["step"] ?? "", error: errors["text"]),
                               .button(.type(.submit), .text(t(.libraryAddStep)))))
        ))
    }
}

/// One document: its text, the stages that show it, and for keepers the form to change or delete it.
struct LibraryDocumentPage {
    let page: PageContext
    let document: LibraryDocument
    let stages: LibraryStages
    let canKeep: Bool
    let entered: [String: String]?
    let errors: [String: String]

    func html() -> HTML {
        let t = page.t
        let values = entered ?? ["kind": document.kind.rawValue, "title": document.title, "body": document.body,
                                 "version": String(document.version)]
        let chosen = entered.map { _ in Set(stages.chosen) } ?? Set(document.stageIDs.map { String($0.rawValue) })
        return Layout(page: page, title: document.title).document(.group(
            .h1(.text(document.title)),
            PlansTab.nav(page, current: .library),
            .p(.class("muted"), .text(t(document.kind.label) + " · " + t(.libraryUpdated, ["at": t.dateTime(document.updatedAt)])
                                      + (document.stageIDs.isEmpty ? "" : " · " + stages.names(document.stageIDs)))),
            .div(.class("script"), .text(document.body)),
            .if(canKeep, .group(
                .element(named: "details", nodes: [
                    errors.isEmpty ? .empty : .attribute(named: "open"),
                    .element(named: "summary", text: t(.libraryEdit)),
                    LibraryForm(page: page, stages: stages.choosing(chosen), action: SiteURL.libraryDocument(id: document.id.rawValue).path,
                                entered: values, errors: errors).node(),
                ]),
                .form(.class("inline"), .action(SiteURL.libraryDocumentDelete(id: document.id.rawValue).path), .method(.post),
                      csrfField(page.csrfToken), .button(.type(.submit), .class("quiet"), .text(t(.libraryDelete))))
            ))
        ))
    }
}

/// A document's fields: kind, title, text, and the stages (by pipeline) that show it.
struct LibraryForm {
    let page: PageContext
    let stages: LibraryStages
    let action: String
    let entered: [String: String]
    let errors: [String: String]

    func node() -> Node<HTML.BodyContext> {
        let t = page.t
        return .form(.class("stacked"), .action(action), .method(.post), csrfField(page.csrfToken),
                     .input(.type(.hidden), .name("version"), .value(entered["version"] ?? "")),
                     selectField(t(.libraryKind), name: "kind", options: LibraryDocument.Kind.allCases.map { ($0.rawValue, t($0.label)) },
                                 selected: entered["kind"], error: errors["kind"]),
                     field(t(.libraryDocTitle), name: "title", type: .text, value: entered["title"] ?? "", error: errors["title"]),
                     textareaField(t(.libraryBody), name: "body", value: entered["body"] ?? "", error: errors["body"], rows: 10),
                     .fieldset(.element(named: "legend", text: t(.libraryStages)),
                               .forEach(stages.options) { option in
                                   .label(.class("check"), .input(.type(.checkbox), .name("stage"), .value(option.id),
                                                                  .checked(stages.chosen.contains(option.id))),
                                          .text(" " + option.label))
                               },
                               .unwrap(errors["stages"]) { .p(.class("error"), .text($0)) }),
                     .button(.type(.submit), .text(t(.commonSave))))
    }
}

/// The stages a document can be shown at, labelled "Pipeline · Stage", and those chosen on the form.
struct LibraryStages {
    let options: [(id: String, label: String)]
    var chosen: [String] = []

    func names(_ ids: [Stage.ID]) -> String {
        let labels = Dictionary(uniqueKeysWithValues: options.map { ($0.id, $0.label) })
        return ids.map { labels[String($0.rawValue)] ?? "#\($0)" }.joined(separator: ", ")
    }

    func choosing(_ ids: Set<String>) -> LibraryStages {
        LibraryStages(options: options, chosen: options.map(\.id).filter(ids.contains))
    }
}

extension LibraryDocument.Kind {
    var label: UIKey {
        switch self {
        case .script: .libraryKindScript
        case .regulation: .libraryKindRegulation
        case .guide: .libraryKindGuide
        }
    }
}
