import Foundation
import KvotaCore
import KvotaStore

/// Breakdown rows as the plan forms write them: one a line, "dimension; name; measure; target", e.g.
/// "region; North; revenue; 2400000" or "account; #42; orders; 12". Names are matched without regard to case (a
/// customer by its exact name, or `#ID` when several share it); a plain textarea keeps a plan with many rows editable
/// without a script, and pastes from a spreadsheet (tab works as well as ";").
struct PlanRowsText {
    let database: Database
    let actor: Actor
    let figures: PlanFigures

    /// The rows as lines, with names.
    func text(_ rows: [PlanRow], names: [PlanDimension: [Int64: String]]) -> String {
        rows.map { row in
            let name = names[row.dimension]?[row.key] ?? "#\(row.key)"
            return "\(row.dimension.rawValue); \(name); \(row.measure.rawValue); \(figures.input(row.target, row.measure))"
        }.joined(separator: "\n")
    }

    /// The rows the text names; the first unreadable line's problem (with its number) in `error`.
    func rows(_ text: String, error: inout String?) async throws -> [PlanRow] {
        let t = figures.t
        var lookup: [PlanDimension: [String: [Int64]]] = [:]
        func names(_ dimension: PlanDimension) async throws -> [String: [Int64]] {
            if let known = lookup[dimension] { return known }
            let pairs: [(String, Int64)] = switch dimension {
            case .region: try await database.regions().map { ($0.name, $0.id.rawValue) }
            case .channel: try await database.channels().map { ($0.name, $0.id.rawValue) }
            case .category: try await database.productCategories().map { ($0.name, $0.id.rawValue) }
            case .account: []
            }
            let found = Dictionary(grouping: pairs, by: { $0.0.lowercased() }).mapValues { $0.map(\.1) }
            lookup[dimension] = found
            return found
        }
        var rows: [PlanRow] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let number = String(index + 1)
            let cells = line.split(whereSeparator: { $0 == ";" || $0 == "\t" }).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 4, let dimension = PlanDimension(rawValue: cells[0].lowercased()),
                  let measure = PlanMeasure(rawValue: cells[2]) else {
                error = error ?? t(.planRowsLineInvalid, ["line": number]); continue
            }
            guard let target = figures.parse(cells[3], measure), target >= 0 else {
                error = error ?? t(.planRowsTargetInvalid, ["line": number]); continue
            }
            var ids: [Int64]
            if cells[1].hasPrefix("#"), let id = Int64(cells[1].dropFirst()) {
                ids = [id]
            } else if dimension == .account {
                let found = try await database.accounts(AccountFilter(text: cells[1]), for: actor).items
                ids = found.filter { $0.name.lowercased() == cells[1].lowercased() }.map(\.id.rawValue)
            } else {
                ids = try await names(dimension)[cells[1].lowercased()] ?? []
            }
            guard ids.count == 1 else {
                error = error ?? t(ids.isEmpty ? .planRowsUnknown : .planRowsAmbiguous, ["line": number, "name": cells[1]]); continue
            }
            rows.append(PlanRow(dimension, ids[0], measure, target))
        }
        return rows
    }
}
