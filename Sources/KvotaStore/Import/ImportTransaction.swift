import Foundation
import KvotaCore
import SQLKit

/// Raised inside an import's transaction to roll it back: a dry run, or a file with problems.
struct ImportRollback: Error {
    let reports: [ImportReport]
}

extension Database {
    /// Runs `body` over every row inside the import's transaction, collecting each row's problems. Problems found by
    /// the stores (a `ValidationFailure`) are named at the row's column for the field, through `column`.
    static func eachRow(_ rows: [ImportRow], problems: [ImportProblem] = [], column: @escaping @Sendable (String) -> String,
                        in sql: any SQLDatabase,
                        body: @escaping @Sendable (ImportRow, any SQLDatabase, inout ImportReport) async throws -> Void) async throws -> ImportReport {
        var report = ImportReport(dryRun: false)
        report.problems = problems
        for row in rows {
            do {
                try await body(row, sql, &report)
            } catch let failure as ValidationFailure {
                report.problems += failure.errors.map { row.problem(column($0.field), $0.reason) }
            }
            ImportProgressMeter.rowDone()
        }
        return report
    }

    /// Rows that repeat a key (an external id, a legal id) of an earlier row of the same file: each would overwrite
    /// the one before, so they are problems.
    static func repeatedKeys(_ rows: [ImportRow], fields: [(String, (String) -> String)]) -> [ImportProblem] {
        var problems: [ImportProblem] = []
        for (field, normalise) in fields {
            var first: [String: Int] = [:]
            for row in rows {
                guard let value = row[field].map(normalise) else { continue }
                if let earlier = first[value] {
                    problems.append(row.problem(field, "row \(earlier) has it too"))
                } else {
                    first[value] = row.row
                }
            }
        }
        return problems
    }
}
