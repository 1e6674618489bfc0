import Foundation
import KvotaCore
import KvotaStore
import Plot

/// A person's training records and onboarding checklist: what they took, when and with what result, and which
/// steps of the checklist are done. Whoever keeps their training gets the forms; a rep ticks their own steps.
struct TrainingPage {
    let page: PageContext
    let name: String
    let userID: User.ID
    let records: [TrainingRecord]
    let onboarding: Onboarding
    let names: [User.ID: String]
    /// Mentors to choose from (value, label).
    let people: [(String, String)]
    let canRecord: Bool
    let canTick: Bool
    let entered: [String: String]
    let errors: [String: String]

    func html() -> HTML {
        let t = page.t
        let title = t(.trainingTitle, ["name": name])
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            .h2(.text(t(.trainingOnboarding, ["done": String(onboarding.done), "total": String(onboarding.items.count)]))),
            onboarding.items.isEmpty ? .p(.class("muted"), .text(t(.libraryOnboardingNone))) : .ul(.class("checklist"), .forEach(onboarding.items) { item in
                .li(.text((item.doneAt == nil ? "☐ " : "☑ ") + item.step.text),
                    .unwrap(item.doneAt) { at in
                        .span(.class("muted"), .text(" · " + t(.trainingDoneBy, ["at": t.dateTime(at), "name": item.doneBy.flatMap { names[$0] } ?? "?"])))
                    },
                    .if(canTick, .form(.class("inline"), .action(SiteURL.trainingTick(user: userID.rawValue, step: item.step.id.rawValue).path),
                                       .method(.post), csrfField(page.csrfToken),
                                       .input(.type(.hidden), .name("done"), .value(item.doneAt == nil ? "true" : "false")),
                                       .button(.type(.submit), .class("quiet"), .text(t(item.doneAt == nil ? .trainingTick : .trainingUntick))))))
            }),
            .h2(.text(t(.trainingRecords))),
            records.isEmpty ? .p(.class("muted"), .text(t(.trainingNone))) : .table(.class("list"),
                .thead(.tr(.th(.text(t(.trainingStarts))), .th(.text(t(.trainingKind))), .th(.text(t(.trainingWhat))), .th(.text(t(.trainingMentor))),
                           .th(.text(t(.trainingResult))), .th(.class("num"), .text(t(.trainingScore))), .th(.text(t(.trainingNotes))), .th())),
                .tbody(.forEach(records) { record in
                    .tr(.td(.text(t.date(record.startsOn) + (record.endsOn.map { " – " + t.date($0) } ?? ""))), .td(.text(t(record.kind.label))),
                        .td(.text(record.title)), .td(.text(record.mentorID.flatMap { names[$0] } ?? "")), .td(.text(t(record.result.label))),
                        .td(.class("num"), .text(record.score.map { "\($0) %" } ?? "")), .td(.text(record.notes)),
                        .td(.if(canRecord, .form(.class("inline"), .action(SiteURL.trainingDelete(id: record.id.rawValue).path), .method(.post),
                                                 csrfField(page.csrfToken), .button(.type(.submit), .class("quiet"), .text(t(.libraryDelete)))))))
                })),
            .if(canRecord, form())
        ))
    }

    private func form() -> Node<HTML.BodyContext> {
        let t = page.t
        return .group(
            .h2(.text(t(.trainingAdd))),
            .form(.class("stacked"), .action(SiteURL.training(user: userID.rawValue).path), .method(.post), csrfField(page.csrfToken),
                  selectField(t(.trainingKind), name: "kind", options: TrainingRecord.Kind.allCases.map { ($0.rawValue, t($0.label)) },
                              selected: entered["kind"], error: errors["kind"]),
                  field(t(.trainingWhat), name: "title", type: .text, value: entered["title"] ?? "", error: errors["title"]),
                  field(t(.trainingStarts), name: "startsOn", type: .date, value: entered["startsOn"] ?? "", error: errors["startsOn"]),
                  field(t(.trainingEnds), name: "endsOn", type: .date, value: entered["endsOn"] ?? "", error: errors["endsOn"], required: false),
                  selectField(t(.trainingMentor), name: "mentorId", options: [("", t(.trainingNoMentor))] + people, selected: entered["mentorId"],
                              error: errors["mentorId"]),
                  selectField(t(.trainingResult), name: "result", options: TrainingRecord.Result.allCases.map { ($0.rawValue, t($0.label)) },
                              selected: entered["result"], error: errors["result"]),
                  field(t(.trainingScore), name: "score", type: .number, value: entered["score"] ?? "", error: errors["score"], required: false),
                  textareaField(t(.trainingNotes), name: "notes", value: entered["notes"] ?? "", error: errors["notes"], rows: 2),
                  .button(.type(.submit), .text(t(.trainingAdd))))
        )
    }
}

extension TrainingRecord.Kind {
    var label: UIKey {
        switch self {
        case .course: .trainingKindCourse
        case .webinar: .trainingKindWebinar
        case .mentoring: .trainingKindMentoring
        }
    }
}

extension TrainingRecord.Result {
    var label: UIKey {
        switch self {
        case .planned: .trainingResultPlanned
        case .attended: .trainingResultAttended
        case .passed: .trainingResultPassed
        case .failed: .trainingResultFailed
        }
    }
}
