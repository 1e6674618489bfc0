import Foundation
import Hummingbird
import KvotaCore
import KvotaImport
import KvotaStore
import NIOFoundationCompat

/// `POST /api/v1/imports/{kind}`: the body is the file, as `kvota import` reads it (docs/import.md); `?dryRun=true`
/// checks and writes nothing; `?mapping=` a JSON object of column names; `?format=1c` reads another system's export. The answer is the report either way:
/// `written` says whether the rows were kept, and `problems` names every row, column and value that stopped them.
struct ImportsAPI {
    let database: Database
    let config: AppConfig
    /// The background imports this server runs, for their live progress.
    let running: RunningImports

    /// The largest file imported while the request waits; a bigger one goes to the background.
    static let maximumBytes = 64 << 20
    /// The largest file at all: it waits in the database (as base64) until a round takes it.
    static let maximumBackgroundBytes = 256 << 20

    struct JobDTO: Encodable {
        struct Progress: Encodable {
            let stage: String
            let kind: String?
            let stepsDone: Int
            let stepsTotal: Int
            let rowsDone: Int
            let rowsTotal: Int
            let fraction: Double
        }

        let id: Int64
        let kind: String
        let format: String
        let dryRun: Bool
        let fileBytes: Int
        let status: String
        let progress: Progress
        let report: ReportDTO?
        let error: String?
        let attempts: Int
        let createdBy: Int64
        let createdAt: Date
        let startedAt: Date?
        let finishedAt: Date?

        init(_ job: ImportJob, live: ImportProgress?, language: Language) {
            let p = live ?? job.progress
            id = job.id.rawValue; kind = job.kind; format = job.format; dryRun = job.dryRun; fileBytes = job.fileBytes
            status = job.status.rawValue
            progress = Progress(stage: p.stage.rawValue, kind: p.kind, stepsDone: p.stepsDone, stepsTotal: p.stepsTotal, rowsDone: p.rowsDone,
                                rowsTotal: p.rowsTotal, fraction: p.fraction)
            report = job.report.map { ReportDTO($0, kind: job.kind, language: language) }
            error = job.error.map { ProblemTexts.translate($0, to: language) }
            attempts = job.attempts; createdBy = job.createdBy.rawValue; createdAt = job.createdAt; startedAt = job.startedAt
            finishedAt = job.finishedAt
        }
    }

    struct ReportDTO: Encodable {
        let kind: String
        let dryRun: Bool
        let written: Bool
        let created: Int
        let updated: Int
        let unchanged: Int
        let problems: [ImportProblem]
        let related: [ImportReport.Related]
        let skippedRows: Int
        let ignoredColumns: [String]

        /// The report with its problems' reasons in the uploader's language, like any problem's.
        init(_ report: ImportReport, kind: String, language: Language) {
            problems = ProblemTexts.translate(report.problems, to: language)
            self.kind = kind; dryRun = report.dryRun; written = report.written; created = report.created; updated = report.updated
            unchanged = report.unchanged; related = report.related; skippedRows = report.skippedRows; ignoredColumns = report.ignoredColumns
        }
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.post("/imports/:kind") { request, context -> Response in
            let kind = context.parameters.get("kind") ?? ""
            var errors = ValidationFailure.Collector()
            let query = request.uri.queryParameters
            let format = query["format"].map { ImportFormat(rawValue: String($0)) } ?? .kvota
            errors.check(format != nil, "format", "expected one of \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            let kinds = (format ?? .kvota).kinds
            errors.check(kinds.contains(kind), "kind", "expected one of \(kinds.joined(separator: ", "))")
            let dryRun = query["dryRun"].map(String.init)
            errors.check(dryRun == nil || ["true", "false"].contains(dryRun!), "dryRun", "expected true or false")
            let asked = query["background"].map(String.init)
            errors.check(asked == nil || ["true", "false"].contains(asked!), "background", "expected true or false")
            let length = request.headers[.contentLength].flatMap { Int($0) } ?? 0
            let background = asked == "true" || length > Self.maximumBytes
            var mapping: [String: String] = [:]
            if let text = query["mapping"] {
                do throws(ImportFailure) { mapping = try Importer.mapping(Data(String(text).utf8)) } catch {
                    errors.check(false, "mapping", error.description)
                }
            }
            try errors.finish()
            var request = request
            let file = try await request.collectBody(upTo: background ? Self.maximumBackgroundBytes : Self.maximumBytes)
            if background {
                let job = try await database.queueImport(kind: kind, format: (format ?? .kvota).rawValue, mapping: mapping,
                                                         dryRun: dryRun == "true", file: Data(buffer: file), by: context.actor, at: config.now())
                var response = try JSONBody.response(JobDTO(job, live: nil, language: context.user.language), status: .accepted)
                response.headers[.location] = "/api/v1/imports/\(job.id)"
                return response
            }
            let report: ImportReport
            do {
                report = try await Importer.run(kind: kind, file: Data(buffer: file), mapping: mapping, format: format ?? .kvota,
                                                dryRun: dryRun == "true",
                                                into: database, by: context.actor, at: config.now())
            } catch let failure as ImportFailure {
                throw ValidationFailure([.invalid(field: "file", reason: failure.description)])
            }
            return try JSONBody.response(ReportDTO(report, kind: kind, language: context.user.language))
        }
        api.get("/imports") { _, context -> Response in
            let jobs = try await database.importJobs(for: context.actor)
            return try JSONBody.response(Page(items: jobs.map { JobDTO($0, live: running.progress(of: $0.id), language: context.user.language) }))
        }
        // The same place in the path as the POST's kind: a router (and OpenAPI) has one name for one position.
        api.get("/imports/:kind") { _, context -> Response in
            guard let id = context.parameters.get("kind").flatMap({ Int64($0) }), id > 0 else { throw AccessDenied.notFound(.importJob, id: 0) }
            let job = try await database.importJob(.init(id), for: context.actor)
            return try JSONBody.response(JobDTO(job, live: running.progress(of: job.id), language: context.user.language))
        }
    }
}
