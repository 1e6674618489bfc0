import Foundation
import KvotaCore
import KvotaStore

/// `GET /api/v1/forecast` and the forecast page (issue 10): per month, what came and what the weighted pipeline, the
/// reps' commit and best case and the revenue history say is coming, beside the plan; the history forecast's backtested
/// accuracy, and the outlook for the current month and quarter. With `by`, the same table per region, channel or
/// product category (the largest `top` over the last 12 months, the rest as "other").
struct ForecastReport: Encodable, Sendable {
    enum Split: String, CaseIterable, Sendable {
        case region, channel, category

        var dimension: SalesDimension {
            switch self {
            case .region: .region
            case .channel: .channel
            case .category: .category
            }
        }
    }

    struct Query: Sendable {
        var scope: PlanSubject
        var horizon: Int
        var past: Int
        var by: Split?
        var top: Int
    }

    struct Month: Encodable, Sendable {
        let row: RevenueForecast.Row

        enum CodingKeys: String, CodingKey { case month, actual, weighted, commit, bestCase, adjusted, history, low, high, plan }

        /// Every field is always there, null when it does not apply (a month ahead has no actual).
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(row.month.label, forKey: .month); try c.encode(row.actual, forKey: .actual)
            try c.encode(row.weighted, forKey: .weighted); try c.encode(row.commit, forKey: .commit)
            try c.encode(row.bestCase, forKey: .bestCase); try c.encode(row.adjusted, forKey: .adjusted)
            try c.encode(row.history, forKey: .history)
            try c.encode(row.low, forKey: .low); try c.encode(row.high, forKey: .high); try c.encode(row.plan, forKey: .plan)
        }
    }

    struct Accuracy: Encodable, Sendable {
        let mape: Double?
        let wape: Double?
        let backtestMonths: Int

        enum CodingKeys: String, CodingKey { case mape, wape, backtestMonths }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(mape, forKey: .mape); try c.encode(wape, forKey: .wape); try c.encode(backtestMonths, forKey: .backtestMonths)
        }
    }

    struct Outlook: Encodable, Sendable {
        let period: String
        let actual: Int64
        let weighted: Int64
        let outlook: Int64
        let plan: Int64?
        let gap: Int64?

        enum CodingKeys: String, CodingKey { case period, actual, weighted, outlook, plan, gap }

        init(_ outlook: RevenueForecast.Outlook) {
            period = outlook.period.label; actual = outlook.actualToDate; weighted = outlook.weightedRest
            self.outlook = outlook.outlook; plan = outlook.plan; gap = outlook.gap
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(period, forKey: .period); try c.encode(actual, forKey: .actual); try c.encode(weighted, forKey: .weighted)
            try c.encode(outlook, forKey: .outlook); try c.encode(plan, forKey: .plan); try c.encode(gap, forKey: .gap)
        }
    }

    struct Undated: Encodable, Sendable {
        let deals: Int
        let open: Int64
        let weighted: Int64
    }

    struct RecordedAccuracy: Encodable, Sendable {
        /// The weighted pipeline against deals won; the commit (adjusted where a head adjusted it) against deals won;
        /// the history forecast against revenue.
        let weighted: Accuracy
        let commit: Accuracy
        let history: Accuracy

        init(_ error: ForecastSnapshot.RecordedError) {
            func accuracy(_ a: HistoryForecast.Accuracy) -> Accuracy { Accuracy(mape: a.mape, wape: a.wape, backtestMonths: a.months) }
            weighted = accuracy(error.weighted); commit = accuracy(error.commit); history = accuracy(error.history)
        }
    }

    struct Snapshot: Encodable, Sendable {
        let takenOn: String
        let month: String
        let weighted: Int64?
        let commit: Int64?
        let adjusted: Int64?
        let bestCase: Int64?
        let history: Int64?

        enum CodingKeys: String, CodingKey { case takenOn, month, weighted, commit, adjusted, bestCase, history }

        init(_ s: ForecastSnapshot) {
            let f = s.forecast
            takenOn = s.takenOn.iso; month = f.month.label; weighted = f.weighted; commit = f.commit; adjusted = f.adjusted
            bestCase = f.bestCase; history = f.history
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(takenOn, forKey: .takenOn); try c.encode(month, forKey: .month); try c.encode(weighted, forKey: .weighted)
            try c.encode(commit, forKey: .commit); try c.encode(adjusted, forKey: .adjusted); try c.encode(bestCase, forKey: .bestCase)
            try c.encode(history, forKey: .history)
        }
    }

    /// A head's adjustment of one rep's commit, beside the rep's own number.
    struct Adjustment: Encodable, Sendable {
        let userId: Int64
        let user: String
        let month: String
        let amountMinor: Int64
        /// The rep's own commit for the month (deals won + open deals in commit).
        let commitMinor: Int64
        let note: String?
        let adjustedBy: Int64
        let adjustedAt: Date
        let version: Int64
    }

    /// One person's commit for the current month, with their head's number when there is one.
    struct RepCommit: Encodable, Sendable {
        let userId: Int64
        let user: String
        let commitMinor: Int64
        let adjustedMinor: Int64?
        let note: String?
        let version: Int64?

        enum CodingKeys: String, CodingKey { case userId, user, commitMinor, adjustedMinor, note, version }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(userId, forKey: .userId); try c.encode(user, forKey: .user); try c.encode(commitMinor, forKey: .commitMinor)
            try c.encode(adjustedMinor, forKey: .adjustedMinor); try c.encode(note, forKey: .note); try c.encode(version, forKey: .version)
        }
    }

    struct StageOdds: Encodable, Sendable {
        let stageId: Int64
        let pipelineId: Int64
        let pipeline: String
        let name: String
        /// From 0 to 1.
        let probability: Double
        /// `history` (the stage's own last 12 months) or `configured`.
        let source: String
        let closed: Int
        let won: Int
    }

    /// One table: the whole scope's, or one group's under `by`.
    struct Table: Encodable, Sendable {
        let key: String?
        let name: String?
        let method: String?
        let historyMonths: Int
        let months: [Month]
        let accuracy: Accuracy
        let outlook: [String: Outlook]?
        let undated: Undated?

        init(key: String? = nil, name: String? = nil, _ result: RevenueForecast.Result) {
            self.key = key; self.name = name
            method = result.method?.rawValue
            historyMonths = result.historyMonths
            months = result.rows.map(Month.init)
            accuracy = Accuracy(mape: result.accuracy.mape, wape: result.accuracy.wape, backtestMonths: result.accuracy.months)
            var outlook: [String: Outlook] = [:]
            if let month = result.month { outlook["month"] = Outlook(month) }
            if let quarter = result.quarter { outlook["quarter"] = Outlook(quarter) }
            self.outlook = outlook.isEmpty ? nil : outlook
            undated = result.undated.map { Undated(deals: $0.deals, open: $0.openMinor, weighted: $0.weightedMinor) }
        }
    }

    let scope: String
    let currency: String
    let asOf: String
    let horizon: Int
    let method: String?
    let historyMonths: Int
    let months: [Month]
    let accuracy: Accuracy
    let outlook: [String: Outlook]?
    let undated: Undated?
    let adjustments: [Adjustment]
    /// How far the forecasts recorded before each of the last six months began were from what came.
    let recordedAccuracy: RecordedAccuracy?
    /// The weekly snapshots of this scope's forecast about the months shown, oldest first.
    let snapshots: [Snapshot]
    /// This month's commit per person of a team (or of the company), beside any adjustment: what a head adjusts.
    let reps: [RepCommit]?
    let stages: [StageOdds]
    let by: String?
    let groups: [Table]?

    /// The key of the group that sums every key outside the top list.
    static let otherKey: Int64 = -1

    static func adjustmentRows(_ adjustments: [ForecastAdjustment], commit: [Period: [User.ID: Int64]], users: [User]) -> [Adjustment] {
        guard !adjustments.isEmpty else { return [] }
        let names = Dictionary(users.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return adjustments.map { a in
            Adjustment(userId: a.userID.rawValue, user: names[a.userID] ?? String(a.userID.rawValue), month: a.month.label,
                       amountMinor: a.amountMinor, commitMinor: commit[a.month]?[a.userID] ?? 0, note: a.note,
                       adjustedBy: a.adjustedBy.rawValue, adjustedAt: a.adjustedAt, version: a.version)
        }
    }

    /// The people of a team (every active member) or of the company (everyone with a commit or an adjustment) with
    /// their commit for `month`; nil for one person's forecast.
    static func repCommits(_ scope: PlanSubject, month: Period, commit: [User.ID: Int64], adjustments: [ForecastAdjustment],
                           users: [User]) -> [RepCommit]? {
        let adjusted = Dictionary(adjustments.filter { $0.month == month }.map { ($0.userID, $0) }, uniquingKeysWith: { a, _ in a })
        var people: Set<User.ID>
        switch scope {
        case .user: return nil
        case .team(let team): people = Set(users.filter { $0.teamID == team && $0.active && ($0.role == .rep || $0.role == .head) }.map(\.id))
        case .company: people = []
        }
        people.formUnion(commit.keys)
        people.formUnion(adjusted.keys)
        let names = Dictionary(users.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return people.sorted { (names[$0] ?? "", $0.rawValue) < (names[$1] ?? "", $1.rawValue) }.map { user in
            RepCommit(userId: user.rawValue, user: names[user] ?? String(user.rawValue), commitMinor: commit[user] ?? 0,
                      adjustedMinor: adjusted[user]?.amountMinor, note: adjusted[user]?.note, version: adjusted[user]?.version)
        }
    }

    /// Group keys by their revenue in `[from, before)`, largest first; keys without any are left out.
    static func ranked(_ revenue: [Int64: [Period: Int64]], from: Period, before: Period) -> [Int64] {
        var sums: [(key: Int64, value: Int64)] = []
        for (key, months) in revenue {
            var sum: Int64 = 0
            for (month, value) in months where month >= from && month < before { sum += value }
            if sum != 0 { sums.append((key, sum)) }
        }
        sums.sort { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return sums.map(\.key)
    }

    static func stageOdds(_ odds: [Stage.ID: (stage: Stage, probability: WeightedPipeline.Probability,
                                              history: WeightedPipeline.StageHistory?)],
                          pipelines: [Pipeline.ID: String]) -> [StageOdds] {
        let ordered = odds.values.sorted { a, b in
            a.stage.pipelineID != b.stage.pipelineID ? a.stage.pipelineID < b.stage.pipelineID : a.stage.position < b.stage.position
        }
        return ordered.map { entry in
            StageOdds(stageId: entry.stage.id.rawValue, pipelineId: entry.stage.pipelineID.rawValue,
                      pipeline: pipelines[entry.stage.pipelineID] ?? String(entry.stage.pipelineID.rawValue), name: entry.stage.name,
                      probability: entry.probability.value, source: entry.probability.source.rawValue,
                      closed: entry.history?.closed ?? 0, won: entry.history?.won ?? 0)
        }
    }
}
