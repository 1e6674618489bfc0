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

    /// Bigger files wait for the background imports of the integrations issue.
    static let maximumBytes = 64 << 20

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
            var mapping: [String: String] = [:]
            if let text = query["mapping"] {
                do throws(ImportFailure) { mapping = try Importer.mapping(Data(String(text).utf8)) } catch {
                    errors.check(false, "mapping", error.description)
                }
            }
            try errors.finish()
            var request = request
            let file = try await request.collectBody(upTo: Self.maximumBytes)
            let report: ImportReport
            do {
                report = try await Importer.run(kind: kind, file: Data(buffer: file), mapping: mapping, format: format ?? .kvota,
                                                dryRun: dryRun == "true",
                                                into: database, by: context.actor, at: config.now())
            } catch let failure as ImportFailure {
                throw ValidationFailure([.invalid(field: "file", reason: failure.description)])
            }
            // The reasons in the uploader's language, like any problem's; a file repeats the same few reasons.
            var translated: [String: String] = [:]
            let problems = report.problems.map { problem in
                let reason = translated[problem.reason] ?? ProblemTexts.translate(problem.reason, to: context.user.language)
                translated[problem.reason] = reason
                return ImportProblem(row: problem.row, column: problem.column, value: problem.value, reason: reason)
            }
            return try JSONBody.response(ReportDTO(kind: kind, dryRun: report.dryRun, written: report.written, created: report.created,
                                                   updated: report.updated, unchanged: report.unchanged, problems: problems,
                                                   related: report.related, skippedRows: report.skippedRows,
                                                   ignoredColumns: report.ignoredColumns))
        }
    }
}
