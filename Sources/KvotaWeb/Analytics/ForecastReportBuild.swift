import Foundation
import KvotaCore
import KvotaStore

/// Building a forecast in two steps: what its scope reads (`Reads`, from the database) and the report made of it
/// (`assemble`, no database). A round of forecasts (the weekly snapshots, `kvota bench`) reads every person's at once
/// (`peopleReads`) and assembles each from its share; one forecast (the API, the page) reads its own.
extension ForecastReport {
    /// What every forecast of a day shares whoever it is for: the stages' odds, the pipelines' names and the people.
    /// Read once for a round of forecasts.
    struct Context: Sendable {
        let odds: [Stage.ID: (stage: Stage, probability: WeightedPipeline.Probability, history: WeightedPipeline.StageHistory?)]
        let pipelines: [Pipeline.ID: String]
        let users: [User]

        static func read(_ database: Database, today: LocalDate) async throws -> Context {
            var pipelines: [Pipeline.ID: String] = [:]
            for (pipeline, _) in try await database.pipelines(for: Database.evaluator) { pipelines[pipeline.id] = pipeline.name }
            return Context(odds: try await database.stageProbabilities(asOf: today), pipelines: pipelines, users: try await database.users())
        }
    }

    /// The months a forecast looks at: the current one, the history the method fits, the six before the current one
    /// (recorded accuracy; their deals won), the last one ahead, and the plans' span.
    struct Span {
        let current: Period
        let history: DateWindow
        let recordedMonths: [Period]
        let lastMonth: Period
        let plans: DateWindow

        init(_ query: Query, today: LocalDate) throws {
            let current = Period(.month, containing: today), lastMonth = Period(.month, containing: current.start.adding(months: query.horizon - 1))
            self.current = current
            self.lastMonth = lastMonth
            history = try DateWindow(from: current.start.adding(months: -RevenueForecast.maxHistoryMonths), through: today)
            recordedMonths = (1...6).map { Period(.month, containing: current.start.adding(months: -$0)) }.reversed()
            plans = try DateWindow(from: current.start.adding(months: -query.past), through: lastMonth.end.adding(days: -1))
        }

        var wins: DateWindow { get throws { try DateWindow(from: recordedMonths[0].start, through: history.through) } }
    }

    /// What one forecast reads about its scope.
    struct Reads: Sendable {
        /// Monthly revenue per group (0 without `by`).
        var revenue: [Int64: [Period: Int64]] = [:]
        /// The open deals; nil for a split by category (deals have no product category).
        var pipeline: [ForecastDeal]?
        /// Deals won from six months back; none for a split by category.
        var wins: [ForecastWin] = []
        /// The heads' adjustments of the scope's people for the months ahead (none for a split: they are per rep).
        var adjustments: [ForecastAdjustment] = []
        var plans: [Period: Int64] = [:]
        var snapshots: [ForecastSnapshot] = []
        /// The names of the groups shown under `by`.
        var names: [Int64: String] = [:]
    }

    static func build(_ query: Query, for actor: Actor, in database: Database, currency: Currency, today: LocalDate,
                      context: Context? = nil) async throws -> ForecastReport {
        let shared = if let context { context } else { try await Context.read(database, today: today) }
        let reads = try await read(query, for: actor, in: database, today: today, context: shared)
        return try assemble(query, reads, context: shared, currency: currency, today: today)
    }

    static func read(_ query: Query, for actor: Actor, in database: Database, today: LocalDate, context: Context) async throws -> Reads {
        let span = try Span(query, today: today)
        let filter: AnalyticsFilter = switch query.scope {
        case .company: AnalyticsFilter()
        case .team(let team): AnalyticsFilter(teamID: team)
        case .user(let user): AnalyticsFilter(managerID: user)
        }
        let key: SalesKey = switch query.by {
        case nil: .none
        case .region: .region
        case .channel: .channel
        case .category: .product
        }
        var reads = Reads()
        let categories = query.by == .category ? try await database.categoriesOfProducts() : [:]
        for row in try await database.sales(for: actor, filter: filter, window: span.history, bucket: .month, key: key) {
            let month = try Period(monthKey: row.bucket)
            let group = query.by == .category ? categories[row.key] ?? 0 : row.key
            reads.revenue[group, default: [:]][month, default: 0] += row.totals.revenue
        }
        if query.by != .category {
            reads.pipeline = try await database.forecastOpenDeals(for: actor, filter: filter, asOf: today, places: query.by != nil)
            reads.wins = try await database.forecastWins(for: actor, filter: filter, window: try span.wins, places: query.by != nil)
        }
        if let by = query.by {
            let top = ranked(reads.revenue, from: Period(.month, containing: span.current.start.adding(months: -12)), before: span.current)
            reads.names = try await database.analyticsNames(by.dimension, ids: Set(top.prefix(query.top)))
        } else {
            let people: Set<User.ID>? = switch query.scope {
            case .company: nil
            case .team(let team): Set(context.users.filter { $0.teamID == team }.map(\.id))
            case .user(let user): [user]
            }
            reads.adjustments = try await database.forecastAdjustments(for: actor, months: span.current...span.lastMonth, users: people)
            reads.snapshots = try await database.forecastSnapshots(of: query.scope, months: span.recordedMonths[0]...span.lastMonth, for: actor)
        }
        reads.plans = try await database.revenueTargets(of: query.scope, in: span.plans, for: actor)
        return reads
    }

    /// Every person's `Reads` for the months of `query` (no split; its scope is not read), one read per question for all
    /// of them, side by side: what `read` answers for each, as the tests hold.
    static func peopleReads(_ people: [User.ID], _ query: Query, for actor: Actor, in database: Database,
                            today: LocalDate) async throws -> [User.ID: Reads] {
        precondition(query.by == nil)
        let span = try Span(query, today: today), everyone = AnalyticsFilter()
        async let sales = database.sales(for: actor, filter: everyone, window: span.history, bucket: .month, key: .owner)
        async let open = database.forecastOpenDeals(for: actor, filter: everyone, asOf: today, places: false)
        async let wins = database.forecastWins(for: actor, filter: everyone, window: try span.wins, places: false)
        async let adjustments = database.forecastAdjustments(for: actor, months: span.current...span.lastMonth)
        async let snapshots = database.forecastSnapshotsOfPeople(months: span.recordedMonths[0]...span.lastMonth, for: actor)
        async let plans = database.revenueTargetsOfPeople(in: span.plans, for: actor)
        var reads = Dictionary(uniqueKeysWithValues: people.map { ($0, Reads(revenue: [:], pipeline: [])) })
        func update(_ owner: Int64, _ change: (inout Reads) -> Void) {
            if reads[User.ID(owner)] != nil { change(&reads[User.ID(owner)]!) }
        }
        for row in try await sales {
            let month = try Period(monthKey: row.bucket)
            update(row.key) { $0.revenue[0, default: [:]][month, default: 0] += row.totals.revenue }
        }
        for deal in try await open { update(deal.ownerID) { $0.pipeline!.append(deal) } }
        for win in try await wins { update(win.ownerID) { $0.wins.append(win) } }
        for adjustment in try await adjustments { update(adjustment.userID.rawValue) { $0.adjustments.append(adjustment) } }
        let (snapshotsByScope, plansByPerson) = (try await snapshots, try await plans)
        for person in people {
            reads[person]!.snapshots = snapshotsByScope[PlanSubject.user(person).description] ?? []
            reads[person]!.plans = plansByPerson[person] ?? [:]
        }
        return reads
    }

    /// The report from what its scope read.
    static func assemble(_ query: Query, _ reads: Reads, context shared: Context, currency: Currency, today: LocalDate) throws -> ForecastReport {
        let span = try Span(query, today: today)
        let current = span.current
        let probabilities = shared.odds.mapValues(\.probability)
        let groupKey: (Int64, Int64) -> Int64 = { region, channel in query.by == .channel ? channel : region }
        func won(_ group: (Int64) -> Bool) -> [Period: [User.ID: Int64]] {
            var won: [Period: [User.ID: Int64]] = [:]
            for win in reads.wins where query.by == nil || group(groupKey(win.regionID, win.channelID)) {
                won[win.month, default: [:]][User.ID(win.ownerID), default: 0] += win.amountMinor
            }
            return won
        }
        func inputs(_ group: (Int64) -> Bool, plans: [Period: Int64]) -> RevenueForecast.Inputs {
            var months: [Period: Int64] = [:]
            for (key, series) in reads.revenue where group(key) { months.merge(series, uniquingKeysWith: +) }
            let open = reads.pipeline.map { deals in
                deals.filter { query.by == nil || group(groupKey($0.regionID, $0.channelID)) }.map(\.deal)
            }
            return RevenueForecast.Inputs(today: today, horizon: query.horizon, pastMonths: query.past, revenue: months, open: open,
                                          probabilities: probabilities, won: won(group), plans: plans,
                                          adjustments: query.by == nil ? reads.adjustments : nil)
        }
        let total = RevenueForecast.build(inputs({ _ in true }, plans: reads.plans))
        // Each person's own commit per month, for the adjustments' "beside the rep's own number".
        let owners = ForecastAdjustment.commitByOwner(open: reads.pipeline?.map(\.deal) ?? [], won: won { _ in true }, current: current)

        var groups: [Table]?
        if query.by != nil {
            let ranked = Self.ranked(reads.revenue, from: Period(.month, containing: current.start.adding(months: -12)), before: current)
            let top = Array(ranked.prefix(query.top))
            groups = top.map { key in
                Table(key: key == 0 ? "none" : String(key), name: key == 0 ? "none" : reads.names[key] ?? String(key),
                      RevenueForecast.build(inputs({ $0 == key }, plans: [:])))
            }
            let chosen = Set(top)
            let other = RevenueForecast.build(inputs({ !chosen.contains($0) }, plans: [:]))
            if other.historyMonths > 0 || other.rows.contains(where: { ($0.actual ?? 0) != 0 || ($0.weighted ?? 0) != 0 }) {
                groups?.append(Table(key: "other", name: "other", other))
            }
        }
        var recorded: ForecastSnapshot.RecordedError?
        if query.by == nil {
            var revenueByMonth: [Period: Int64] = [:], wonByMonth: [Period: Int64] = [:]
            for series in reads.revenue.values { revenueByMonth.merge(series, uniquingKeysWith: +) }
            for win in reads.wins { wonByMonth[win.month, default: 0] += win.amountMinor }
            recorded = ForecastSnapshot.recordedError(reads.snapshots, months: span.recordedMonths, revenue: revenueByMonth, won: wonByMonth)
        }
        let whole = Table(total)
        return ForecastReport(scope: query.scope.description, currency: currency.code, asOf: today.iso, horizon: query.horizon,
                              method: whole.method, historyMonths: whole.historyMonths, months: whole.months, accuracy: whole.accuracy,
                              outlook: whole.outlook, undated: whole.undated,
                              adjustments: Self.adjustmentRows(reads.adjustments, commit: owners, users: shared.users),
                              recordedAccuracy: recorded.map(RecordedAccuracy.init), snapshots: reads.snapshots.map(Snapshot.init),
                              reps: query.by == nil ? Self.repCommits(query.scope, month: current, commit: owners[current] ?? [:],
                                                                      adjustments: reads.adjustments, users: shared.users) : nil,
                              stages: stageOdds(shared.odds, pipelines: shared.pipelines), by: query.by?.rawValue,
                              groups: groups)
    }
}
