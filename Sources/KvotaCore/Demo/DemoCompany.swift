import Foundation

/// Generates a believable sales company for demos, tests and benchmarks: an org chart, a region tree, a catalogue
/// with margins that differ by category, customers with a long-tailed revenue distribution and their own buying
/// rhythm (steady, seasonal, sporadic), three years of orders with trend and seasonality, leads, deals through two
/// pipelines with full stage history, and the calls, meetings, tasks, notes and messages around them.
///
/// Deterministic: the same `DemoOptions` give the same records in the same order, whatever the storage.
/// Streams its output in batches, so the L scale never sits in memory whole.
public final class DemoCompany {
    let options: DemoOptions
    let scale: DemoScale
    let sink: any DemoSink
    let clock: DemoClock
    /// The first day of history: the first of the month three years before `asOf`'s month.
    let firstDay: LocalDate
    /// Records per batch; small in tests, so that batch boundaries fall everywhere.
    let batchSize: Int
    var summary = DemoSummary()

    // MARK: The company as generated so far (only what later parts need)
    var nextUserID: Int64 = 1
    var reps: [RepInfo] = []
    var acquisitionReps: [Int] = []
    var retentionReps: [Int] = []
    var leafRegions: [Region.ID] = []
    var channels: [Channel.ID] = []
    var categories: [CategoryInfo] = []
    var products: [ProductInfo] = []
    var productPickers: [WeightedPicker] = []
    var categoryMembers: [[Int]] = []
    var rates: [Currency: [ExchangeRate]] = [:]
    var accounts: [AccountInfo] = []
    /// Account indices sorted by the day they became customers, for matching converted leads to new accounts.
    var accountsByStart: [Int] = []
    var accountsOfRep: [[Int]] = []
    var pipelines: [PipelineInfo] = []
    /// Won deals waiting for their order, by month index of the close date.
    var wonDealOrders: [[WonDeal]] = []
    /// Calls, messages and meetings about leads and deals, by day offset from `firstDay`, written with that day's
    /// activities.
    var scheduled: [[ScheduledTouch]] = []
    var nextDealID: Int64 = 1
    var nextDealLineID: Int64 = 1
    var nextStageChangeID: Int64 = 1
    var nextActivityID: Int64 = 1

    public convenience init(options: DemoOptions, sink: any DemoSink) {
        self.init(options: options, sink: sink, batchSize: 2_000)
    }

    init(options: DemoOptions, sink: any DemoSink, batchSize: Int) {
        self.options = options
        self.batchSize = batchSize
        self.scale = options.scale
        self.sink = sink
        let asOfMonth = Period(.month, containing: options.asOf)
        self.firstDay = asOfMonth.start.adding(months: -36)
        self.clock = DemoClock(timeZone: options.timeZone, from: firstDay, through: options.asOf)
    }

    /// Generates the whole company into the sink and returns what it counted.
    public static func generate(_ options: DemoOptions, into sink: any DemoSink) async throws -> DemoSummary {
        try await generate(options, into: sink, batchSize: 2_000)
    }

    static func generate(_ options: DemoOptions, into sink: any DemoSink, batchSize: Int) async throws -> DemoSummary {
        let company = DemoCompany(options: options, sink: sink, batchSize: batchSize)
        try await company.run()
        return company.summary
    }

    func run() async throws {
        try await generateOrganisation()
        try await generateCatalogue()
        try await generateAccounts()
        try await generatePipelines()
        try await generateLeadsAndDeals()
        try await generateOrders()
        try await generateActivities()
    }

    // MARK: - Shared helpers

    var dayCount: Int { firstDay.days(until: options.asOf) + 1 }
    var monthCount: Int { Period.covering(from: firstDay, through: options.asOf, grain: .month).count }

    func emit(_ batch: DemoBatch) async throws {
        guard batch.count > 0 else { return }
        summary.counts[batch.kind, default: 0] += batch.count
        try await sink.write(batch)
    }

    func random(_ stream: String) -> DemoRandom { DemoRandom(seed: options.seed, stream: stream) }

    /// The company's growth and its yearly season, as a multiplier on the average month (about 1.0).
    func marketFactor(day: Int) -> Double {
        let t = Double(day - firstDay.dayNumber) / 365.25
        let date = LocalDate(dayNumber: day)
        let phase = 2 * Double.pi * (Double(date.month - 1) + Double(date.day) / 31) / 12
        // Spring and autumn peaks, a July and late-December dip.
        let season = 1 + 0.18 * sin(phase - 1.2) + 0.12 * cos(2 * phase)
        return pow(1.12, t - 1.5) * season
    }

    func isWorkday(_ day: Int) -> Bool { LocalDate(dayNumber: day).isoWeekday <= 5 }

    func instant(day: Int, second: Int) -> Date { clock.instant(day: day, second: second) }

    /// A moment in business hours (08:00–18:00), with the morning busier than the late afternoon.
    func businessSecond(_ r: inout DemoRandom) -> Int {
        let hour = min(17.999, 8 + 10 * pow(r.unit(), 1.15))
        return Int(hour * 3600)
    }

    func rate(_ currency: Currency, on day: Int) -> ExchangeRate? {
        guard let table = rates[currency] else { return nil }
        let date = LocalDate(dayNumber: day)
        return table.last { $0.validFrom <= date } ?? table.first
    }
}

// MARK: - Working state

struct RepInfo {
    let id: User.ID
    let teamKind: TeamKind
    /// How busy this rep is compared with the average (0.6–1.4): some reps call twice as much as others.
    let activity: Double
}

struct CategoryInfo {
    let id: ProductCategory.ID
    let name: String
    let margin: Double
    let unit: String
}

struct ProductInfo {
    let id: Product.ID
    let category: Int
    /// (first day, price, cost) in base-currency minor units, oldest first.
    let prices: [(day: Int, price: Int64, cost: Int64)]

    func price(on day: Int) -> (price: Int64, cost: Int64) {
        var current = prices[0]
        for entry in prices where entry.day <= day { current = entry }
        return (current.price, current.cost)
    }
}

enum BuyingRhythm { case steady, seasonal, sporadic }

struct AccountInfo {
    let id: Account.ID
    let ownerRep: Int
    let currency: Currency
    /// Relative size from a Pareto distribution: the long tail that makes concentration risk show.
    let weight: Double
    let rhythm: BuyingRhythm
    let startDay: Int
    let churnDay: Int?
    /// Yearly growth (>1) or shrinkage (<1), so customers move between A, B and C.
    let growth: Double
    /// The products this customer reorders.
    let basket: [Int]
    /// Where its orders count (orders keep the account's region and channel).
    let region: Region.ID
    let channel: Channel.ID
    let firstContact: Contact.ID
    let contactCount: Int
    /// Month of the seasonal peak for seasonal buyers.
    let peakMonth: Int
}

struct PipelineInfo {
    let id: Pipeline.ID
    let stages: [Stage]
    /// Chance to move from open stage k to k+1 (the last open stage moves to won).
    let advance: [Double]
    /// Median days spent in each open stage.
    let medianDays: [Double]
    var won: Stage { stages.first { $0.outcome == .won }! }
    var lost: Stage { stages.first { $0.outcome == .lost }! }
    var open: [Stage] { stages.filter { $0.outcome == .open } }
}

struct WonDeal {
    let dealID: Deal.ID
    let account: Int
    let ownerID: User.ID
    let day: Int
    let lines: [DealLine]
}

/// Collects records and sends them to the sink in batches.
///
/// A table whose rows refer to rows of another table being generated alongside (contacts to accounts, deal lines
/// to deals) must not reach the sink before the rows it refers to. Such buffers `collect` and are flushed together,
/// parents first, by the generator at a point where every collected record is complete; a buffer that
/// nothing refers to alongside can `append`, which flushes when full.
struct DemoBuffer<Record> {
    private var records: [Record] = []
    let size: Int
    let wrap: ([Record]) -> DemoBatch

    init(size: Int, _ wrap: @escaping ([Record]) -> DemoBatch) {
        self.size = size
        self.wrap = wrap
        records.reserveCapacity(size)
    }

    var isFull: Bool { records.count >= size }

    mutating func collect(_ record: Record) {
        records.append(record)
    }

    mutating func append(_ record: Record, to company: DemoCompany) async throws {
        records.append(record)
        if records.count >= size { try await flush(to: company) }
    }

    mutating func flush(to company: DemoCompany) async throws {
        guard !records.isEmpty else { return }
        let batch = wrap(records)
        records.removeAll(keepingCapacity: true)
        try await company.emit(batch)
    }
}
