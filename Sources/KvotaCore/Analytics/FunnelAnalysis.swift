import Foundation

/// The funnel of one pipeline (METRICS.md "Funnel (per pipeline)").
public enum FunnelAnalysis {
    /// A deal of the pipeline as the funnel sees it: its stage entries in time order, and its amount in the base
    /// currency (converted at the rate of its closing day, or of today while open).
    public struct Deal: Sendable {
        public let id: Int64
        public let createdAt: Date
        public let status: String
        public let closedAt: Date?
        public let amountBase: Int64
        public let lossReason: String?
        public let entries: [(stage: Int64, at: Date)]

        public init(id: Int64, createdAt: Date, status: String, closedAt: Date?, amountBase: Int64, lossReason: String?,
                    entries: [(stage: Int64, at: Date)]) {
            self.id = id; self.createdAt = createdAt; self.status = status; self.closedAt = closedAt; self.amountBase = amountBase
            self.lossReason = lossReason
            // Most come in order already (a copy each was a tenth of a year's funnel at scale L).
            self.entries = zip(entries, entries.dropFirst()).allSatisfy { $0.at <= $1.at } ? entries : entries.sorted { $0.at < $1.at }
        }
    }

    public struct StageRow: Hashable, Sendable {
        public let stage: Int64
        /// Deals of the cohort that entered the stage.
        public let reached: Int
        /// Deals that reached the next stage (the next open one, or won after the last) / deals that reached this one, as
        /// METRICS.md defines it; nil when none reached this one. Deals that skip a stage can lift it above 1.
        public let conversion: Double?
        /// Reached this stage but not the next.
        public let dropOff: Int
        /// Days spent in the stage by the stays that ended (the deal moved on or closed), mean and median.
        public let meanDays: Double?
        public let medianDays: Double?
    }

    public struct Closed: Hashable, Sendable {
        public var won = 0, lost = 0
        public var wonAmount: Int64 = 0, lostAmount: Int64 = 0
        public var winRateCount: Double? { won + lost > 0 ? Double(won) / Double(won + lost) : nil }
        public var winRateAmount: Double? { wonAmount + lostAmount > 0 ? Double(wonAmount) / Double(wonAmount + lostAmount) : nil }
        public var averageWon: Int64? { won > 0 ? (wonAmount + Int64(won) / 2) / Int64(won) : nil }
        /// Days from creation to winning, of the deals won.
        public var cycleMeanDays: Double?
        public var cycleMedianDays: Double?
        /// Per loss reason ("" when none was given).
        public var lossReasons: [String: Losses] = [:]
    }

    public struct Losses: Hashable, Sendable {
        public var count = 0
        public var amount: Int64 = 0
    }

    /// Stage conversion over a cohort (the deals created in the window): `stages` are the pipeline's open stages in
    /// order, then its won stage. A deal reached every stage it entered, by its history.
    public static func stages(_ stages: [Int64], won: Int64?, cohort: [Deal]) -> [StageRow] {
        self.stages(stages, won: won, cohort: FunnelCohort(cohort))
    }

    public static func stages(_ stages: [Int64], won: Int64?, cohort: FunnelCohort) -> [StageRow] {
        let path = stages + (won.map { [$0] } ?? [])
        // Counted by each stage's place on the path (a handful, searched in order), a deal at a time: a set of deal ids
        // per stage was a tenth of a year's funnel at scale L. A deal has one id in the cohort, so counts are sets' sizes.
        var reached = Array(repeating: 0, count: path.count), dropOff = Array(repeating: 0, count: path.count)
        var stays = Array(repeating: [Double](), count: path.count)
        var entered = Array(repeating: false, count: path.count)
        for deal in 0..<cohort.count {
            for index in entered.indices { entered[index] = false }
            let end = cohort.starts[deal + 1]
            for entry in cohort.starts[deal]..<end {
                let stage = cohort.stages[entry]
                guard let place = path.firstIndex(of: stage) else { continue }
                entered[place] = true
                // A stay ends when the next entry begins (whatever its stage), or when the deal closed.
                guard stage != won, let left = entry + 1 < end ? cohort.enteredAt[entry + 1] : cohort.closedAt[deal] else { continue }
                stays[place].append(Double(left - cohort.enteredAt[entry]) / 86_400_000)
            }
            for place in path.indices where entered[place] {
                reached[place] += 1
                if place + 1 < path.count && !entered[place + 1] { dropOff[place] += 1 }
            }
        }
        return path.enumerated().map { index, stage in
            let next = index + 1 < path.count ? reached[index + 1] : nil
            let durations = stays[index]
            return StageRow(stage: stage, reached: reached[index],
                            conversion: next.flatMap { reached[index] == 0 ? nil : Double($0) / Double(reached[index]) },
                            dropOff: next == nil ? 0 : dropOff[index],
                            meanDays: durations.isEmpty ? nil : durations.reduce(0, +) / Double(durations.count), medianDays: median(durations))
        }
    }

    /// Win rate, average won deal, sales cycle and loss reasons of the deals closed in the window.
    public static func closed(_ deals: [Deal]) -> Closed {
        var result = Closed()
        var cycles: [Double] = []
        for deal in deals {
            switch deal.status {
            case "won":
                result.won += 1; result.wonAmount += deal.amountBase
                if let closedAt = deal.closedAt { cycles.append(closedAt.timeIntervalSince(deal.createdAt) / 86_400) }
            case "lost":
                result.lost += 1; result.lostAmount += deal.amountBase
                let reason = deal.lossReason ?? ""
                result.lossReasons[reason, default: Losses()].count += 1
                result.lossReasons[reason, default: Losses()].amount += deal.amountBase
            default:
                continue
            }
        }
        result.cycleMeanDays = cycles.isEmpty ? nil : cycles.reduce(0, +) / Double(cycles.count)
        result.cycleMedianDays = median(cycles)
        return result
    }

    /// The middle value, or the mean of the two middle ones. Found by selection, not by sorting: a year's funnel at
    /// scale L takes the median of 150 000 stays a stage, and sorting them was a tenth of its time. The standard library
    /// and swift-algorithms have no selection (nth element), hence `select` below.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        var values = values
        let middle = values.count / 2
        let upper = select(middle, in: &values)
        guard values.count % 2 == 0 else { return upper }
        // After the selection everything before `middle` is at most the upper middle value: the lower one is their largest.
        return (values[..<middle].max()! + upper) / 2
    }

    /// Puts the `k`th smallest value at `k`, smaller or equal ones before it and larger or equal ones after (Hoare's
    /// quickselect with the middle element as pivot; expected linear time).
    static func select(_ k: Int, in values: inout [Double]) -> Double {
        var low = 0, high = values.count - 1
        while low < high {
            let pivot = values[low + (high - low) / 2]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1; j -= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { break }
        }
        return values[k]
    }
}

/// Exchange rates by currency, for converting amounts that were not converted when written (deal amounts).
public struct RateTable: Sendable {
    public let base: Currency
    private let rates: [Currency: [ExchangeRate]]

    public init(base: Currency, rates: [ExchangeRate]) {
        self.base = base
        self.rates = Dictionary(grouping: rates, by: \.currency).mapValues { $0.sorted { $0.validFrom < $1.validFrom } }
    }

    /// `minorUnits` of `currency` in the base currency at the rate valid on `day`; a missing rate is an error naming
    /// the currency and the day (METRICS.md: never a silent 1.0).
    public func toBase(_ minorUnits: Int64, _ currency: Currency, on day: LocalDate) throws(ValidationFailure) -> Int64 {
        if currency == base { return minorUnits }
        guard let rate = rates[currency]?.last(where: { $0.validFrom <= day }) else {
            throw ValidationFailure([.invalid(field: "currency", reason: "no exchange rate for \(currency.code) on \(day.iso)")])
        }
        return rate.toBase(minorUnits)
    }
}
