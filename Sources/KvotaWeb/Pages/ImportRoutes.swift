import Foundation
import Hummingbird
import KvotaCore
import KvotaImport
import KvotaStore

/// `/imports`: a file imported from the browser. It always runs in the background, as `?background=true` does in the
/// API, and its page follows it to the report.
struct ImportRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts
    let running: RunningImports

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.imports(kind: nil).route)) { request, context in
            let page = try await pages.pageContext(request, context, section: nil)
            var view = ImportsPage(page: page, jobs: try await database.importJobs(for: context.actor))
            view.kind = request.uri.queryParameters["kind"].map(String.init)
            return page.response(view.html())
        }
        signedIn.post(RouterPath(SiteURL.imports(kind: nil).route)) { request, context in
            var request = request
            let form = try await MultipartForm.read(&request)
            let kind = form?.text("kind") ?? ""
            let format = ImportFormat(rawValue: form?.text("format") ?? "kvota")
            var problem: String?
            if !ImportFormat.kvota.kinds.contains(kind) {
                problem = "kind: expected one of \(ImportFormat.kvota.kinds.joined(separator: ", "))"
            } else if format.map({ !$0.kinds.contains(kind) }) ?? true {
                problem = "format: this format does not import that kind"
            } else if form?.data("file")?.isEmpty ?? true {
                problem = "file: is required"
            }
            if let problem {
                let page = try await pages.pageContext(request, context, section: nil)
                var view = ImportsPage(page: page, jobs: try await database.importJobs(for: context.actor))
                view.kind = kind
                view.error = ProblemTexts.translate(problem, to: page.t.language)
                return page.response(view.html(), status: .unprocessableContent)
            }
            let job = try await database.queueImport(kind: kind, format: format!.rawValue, mapping: [:], dryRun: form?.text("dryRun") == "true",
                                                     file: form?.data("file") ?? Data(), by: context.actor, at: config.now())
            return Response.redirect(to: SiteURL.importJob(id: job.id.rawValue).path, type: .normal)
        }
        signedIn.get(RouterPath(SiteURL.importJob(id: 0).route)) { request, context in
            let id = ImportJob.ID(try context.parameters.require("id", as: Int64.self))
            let job = try await database.importJob(id, for: context.actor)
            let page = try await pages.pageContext(request, context, section: nil)
            return page.response(ImportJobPage(page: page, job: job, progress: running.progress(of: id) ?? job.progress).html())
        }
    }
}
