import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import Plot

/// `/imports`: a file imported from the browser, in the background (docs/import.md), and one's latest imports.
struct ImportsPage {
    let page: PageContext
    let jobs: [ImportJob]
    var kind: String?
    var error: String?

    func html() -> HTML {
        let t = page.t
        let kinds = ImportFormat.kvota.kinds
        return Layout(page: page, title: t(.importsTitle)).document(.group(
            .h1(.text(t(.importsTitle))),
            .p(.class("muted"), .text(t(.importsExplain))),
            .unwrap(error) { .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .form(.class("filters"), .method(.post), .action(SiteURL.imports(kind: nil).path), .enctype(.multipartData),
                  csrfField(page.csrfToken),
                  .div(selectField(t(.importsKind), name: "kind", options: kinds.map { ($0, $0) }, selected: kind ?? kinds[0], error: nil)),
                  .div(selectField(t(.importsFormat), name: "format", options: ImportFormat.allCases
                      .map { ($0.rawValue, $0.rawValue) }, selected: ImportFormat.kvota.rawValue, error: nil)),
                  .div(.label(.text(t(.importsFile)), .input(.type(.file), .name("file"), .required(true),
                                                              .attribute(named: "accept", value: ".csv,.txt,.xlsx,.zip")))),
                  .label(.class("check"), .input(.type(.checkbox), .name("dryRun"), .value("true")), .text(" " + t(.importsDryRun))),
                  .button(.type(.submit), .text(t(.importsStart)))),
            .h2(.text(t(.importsLatest))),
            jobs.isEmpty ? .p(.class("muted"), .text(t(.importsNone))) : .table(
                .class("list"),
                .thead(.tr(.th(.text(t(.importsWhen))), .th(.text(t(.importsKind))), .th(.text(t(.importsStatus))))),
                .tbody(.forEach(jobs) { job in
                    .tr(.td(.a(.href(SiteURL.importJob(id: job.id.rawValue).path), .text(t.dateTime(job.createdAt)))),
                        .td(.text(job.kind + (job.format == "kvota" ? "" : " · " + job.format))),
                        .td(.text(ImportJobPage.status(job, t))))
                }))
        ))
    }
}

/// `/imports/{id}`: one import's progress, refreshing itself while it runs, then its report with every problem.
struct ImportJobPage {
    let page: PageContext
    let job: ImportJob
    let progress: ImportProgress

    static func status(_ job: ImportJob, _ t: Localizer) -> String {
        switch job.status {
        case .queued: t(.importsQueued)
        case .running: t(.importsRunning)
        case .done: job.report?.written == true ? t(.importsWritten) : t(.importsRefused)
        case .failed: t(.importsFailed)
        }
    }

    func html() -> HTML {
        let t = page.t
        let waiting = job.status == .queued || job.status == .running
        var layout = Layout(page: page, title: t(.importsTitle))
        // A page that follows the import without a script: it asks again every two seconds until the import ends.
        if waiting { layout.refreshSeconds = 2 }
        return layout.document(.group(
            .h1(.text(t(.importsTitle) + " · " + job.kind)),
            .p(.strong(.text(Self.status(job, t))), .span(.class("muted"), .text(" · " + t.dateTime(job.createdAt)
                + (job.dryRun ? " · " + t(.importsDryRun) : "")))),
            .if(waiting, .group(
                .element(named: "progress", nodes: [.attribute(named: "max", value: "100"),
                                                   .attribute(named: "value", value: String(Int(progress.fraction * 100)))]),
                .p(.class("muted"), .text(t(.importsProgress, ["stage": stage(progress.stage), "rows": String(progress.rowsDone),
                                                              "total": String(progress.rowsTotal)])))
            )),
            .unwrap(job.error) { .p(.class("flash error"), .text(ProblemTexts.translate($0, to: t.language))) },
            .unwrap(job.report) { report($0) },
            .p(.a(.href(SiteURL.imports(kind: nil).path), .text(t(.importsBack))))
        ))
    }

    private func stage(_ stage: ImportProgress.Stage) -> String {
        let t = page.t
        return switch stage {
        case .waiting: t(.importsQueued)
        case .reading: t(.importsStageReading)
        case .importing: t(.importsStageImporting)
        case .committing: t(.importsStageCommitting)
        case .finished: t(.importsWritten)
        }
    }

    private func report(_ report: ImportReport) -> Node<HTML.BodyContext> {
        let t = page.t
        return .group(
            .p(.text(t(.importsCounts, ["created": String(report.created), "updated": String(report.updated),
                                        "unchanged": String(report.unchanged)]))),
            .if(!report.problems.isEmpty, .table(
                .class("list"),
                .thead(.tr(.th(.text(t(.importsRow))), .th(.text(t(.importsColumn))), .th(.text(t(.importsValue))), .th(.text(t(.importsProblem))))),
                .tbody(.forEach(ProblemTexts.translate(report.problems.prefix(500), to: t.language)) { problem in
                    .tr(.td(.text(String(problem.row))), .td(.text(problem.column)), .td(.text(problem.value)), .td(.text(problem.reason)))
                })))
        )
    }
}
