import Foundation

/// What a deal must have before it may enter a stage: a head writes it into the stage ("amount and expected close
/// date from Proposal on"), and every later open stage and the won stage inherit it.
public enum DealRequirement: String, CaseIterable, Sendable, Codable {
    case amount, expectedClose, contact, products

    /// The request field a missing requirement is reported on.
    var field: String {
        switch self {
        case .amount: "amountMinor"
        case .expectedClose: "expectedClose"
        case .contact: "contactId"
        case .products: "lines"
        }
    }

    /// The requirements `deal` misses for entering `stage`, named at their fields.
    public static func check(_ deal: Deal, hasLines: Bool, entering stage: String, requires: Set<DealRequirement>,
                             into errors: inout ValidationFailure.Collector) {
        for requirement in allCases where requires.contains(requirement) {
            let met = switch requirement {
            case .amount: deal.amount.minorUnits > 0
            case .expectedClose: deal.expectedClose != nil
            case .contact: deal.contactID != nil
            case .products: hasLines
            }
            errors.check(met, requirement.field, "is required in stage '\(stage)'")
        }
    }
}

/// A stage as a head writes it: the fields of a new one, or (all optional) a change.
public struct StagePatch: Hashable, Sendable {
    public var name: String?
    public var position: Int?
    public var probability: Int?
    public var outcome: StageOutcome?
    public var requiredFields: Set<DealRequirement>?
    public var script: String??
    public var checklist: [String]?
    public var forecastCategory: ForecastCategory?

    public init(name: String? = nil, position: Int? = nil, probability: Int? = nil, outcome: StageOutcome? = nil,
                requiredFields: Set<DealRequirement>? = nil, script: String?? = nil, checklist: [String]? = nil,
                forecastCategory: ForecastCategory? = nil) {
        self.name = name; self.position = position; self.probability = probability; self.outcome = outcome
        self.requiredFields = requiredFields; self.script = script; self.checklist = checklist; self.forecastCategory = forecastCategory
    }

    public func applied(to stage: Stage, field prefix: String = "", into errors: inout ValidationFailure.Collector) -> Stage {
        var changed = stage
        if let name { changed.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let position { changed.position = position }
        if let probability { changed.probability = probability }
        if let outcome { changed.outcome = outcome }
        if let requiredFields { changed.requiredFields = requiredFields }
        if let forecastCategory {
            changed.forecastCategory = forecastCategory
        } else if changed.forecastCategory == .default(probability: stage.probability, outcome: stage.outcome) {
            // A category nobody chose follows the stage's odds.
            changed.forecastCategory = .default(probability: changed.probability, outcome: changed.outcome)
        }
        if let script { changed.script = script.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }
        if let checklist {
            changed.checklist = checklist.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        }
        errors.check(!changed.name.isEmpty && changed.name.count <= 100, prefix + "name", "expected 1 to 100 characters")
        errors.check(changed.position >= 1, prefix + "position", "must be 1 or more")
        errors.check((0...100).contains(changed.probability), prefix + "probability", "expected 0 to 100 (percent)")
        if changed.outcome == .won { errors.check(changed.probability == 100, prefix + "probability", "a won stage is 100 %") }
        if changed.outcome == .lost { errors.check(changed.probability == 0, prefix + "probability", "a lost stage is 0 %") }
        errors.check((changed.script?.count ?? 0) <= 20_000, prefix + "script", "must be at most 20 000 characters")
        errors.check(changed.checklist.count <= 50, prefix + "checklist", "at most 50 items")
        errors.check(changed.checklist.allSatisfy { $0.count <= 300 }, prefix + "checklist", "items must be at most 300 characters")
        return changed
    }
}

extension Stage {
    /// What entering `target` requires, given its pipeline's stages: its own requirements, and for an open or won
    /// stage those of every open stage before it.
    public static func requirements(entering target: Stage, in stages: [Stage]) -> Set<DealRequirement> {
        guard target.outcome != .lost else { return target.requiredFields }
        return stages.filter { $0.outcome == .open && $0.position <= target.position }
            .reduce(into: target.requiredFields) { $0.formUnion($1.requiredFields) }
    }
}
