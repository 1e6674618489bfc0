import Foundation

/// A funnel's cohort (the deals created in its window) in flat arrays: deal `d`'s stage entries are
/// `starts[d]..<starts[d + 1]` of `stages` and `enteredAt` (milliseconds since 1970), in time order, and `closedAt[d]` is
/// when it closed (nil while open). Flat because a year of a pipeline at scale L is 150 000 deals with 580 000 entries:
/// two arrays per deal, made and then copied, were a sixth of a director's funnel.
public struct FunnelCohort: Sendable {
    public private(set) var starts: [Int]
    public private(set) var stages: [Int64]
    public private(set) var enteredAt: [Int64]
    public private(set) var closedAt: [Int64?]

    public var count: Int { closedAt.count }

    /// Entry `i` belongs to deal `entryDeals[i]` (an index into `closedAt`); the entries come in any order and are put
    /// together per deal, in time order within each (entries entered at the same moment by `order`, e.g. their ids).
    public init(closedAt: [Int64?], entryDeals: [Int], stages: [Int64], enteredAt: [Int64], order: [Int64]) {
        precondition(entryDeals.count == stages.count && stages.count == enteredAt.count && enteredAt.count == order.count)
        self.closedAt = closedAt
        // A counting sort by deal: each deal's entries keep the order they came in, which is usually time order already.
        var starts = Array(repeating: 0, count: closedAt.count + 1)
        for deal in entryDeals { starts[deal + 1] += 1 }
        for index in starts.indices.dropFirst() { starts[index] += starts[index - 1] }
        var next = starts
        var placedStages = Array(repeating: Int64(0), count: stages.count), placedAt = placedStages, placedOrder = placedStages
        for (entry, deal) in entryDeals.enumerated() {
            let at = next[deal]
            next[deal] += 1
            placedStages[at] = stages[entry]; placedAt[at] = enteredAt[entry]; placedOrder[at] = order[entry]
        }
        for deal in closedAt.indices {
            let range = starts[deal]..<starts[deal + 1]
            guard range.count > 1,
                  !zip(range, range.dropFirst()).allSatisfy({ (placedAt[$0], placedOrder[$0]) < (placedAt[$1], placedOrder[$1]) }) else { continue }
            let sorted = range.sorted { (placedAt[$0], placedOrder[$0]) < (placedAt[$1], placedOrder[$1]) }
            let (stagesInOrder, atInOrder) = (sorted.map { placedStages[$0] }, sorted.map { placedAt[$0] })
            placedStages.replaceSubrange(range, with: stagesInOrder)
            placedAt.replaceSubrange(range, with: atInOrder)
        }
        self.starts = starts
        self.stages = placedStages
        self.enteredAt = placedAt
    }

    /// The cohort of deals given one by one (tests, small pipelines).
    public init(_ deals: [FunnelAnalysis.Deal]) {
        func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        var entryDeals: [Int] = [], stages: [Int64] = [], enteredAt: [Int64] = []
        for (index, deal) in deals.enumerated() {
            for entry in deal.entries {
                entryDeals.append(index); stages.append(entry.stage); enteredAt.append(milliseconds(entry.at))
            }
        }
        self.init(closedAt: deals.map { $0.closedAt.map(milliseconds) }, entryDeals: entryDeals, stages: stages, enteredAt: enteredAt,
                  order: enteredAt.indices.map(Int64.init))
    }
}
