/// A slice of the demo company on its way to storage, in an order that satisfies every reference
/// (a record only points at records emitted before it).
public enum DemoBatch: Sendable {
    case teams([Team])
    case users([User])
    /// Teams again, now that their heads exist.
    case teamHeads([Team])
    case regions([Region])
    case channels([Channel])
    case categories([ProductCategory])
    case products([Product])
    case prices([ProductPrice])
    case exchangeRates([ExchangeRate])
    case accounts([Account])
    case contacts([Contact])
    case pipelines([Pipeline])
    case stages([Stage])
    case leads([Lead])
    case deals([Deal])
    case dealLines([DealLine])
    case stageChanges([StageChange])
    case orders([Order])
    case orderLines([OrderLine])
    case activities([Activity])

    public var count: Int {
        switch self {
        case .teams(let r), .teamHeads(let r): r.count
        case .users(let r): r.count
        case .regions(let r): r.count
        case .channels(let r): r.count
        case .categories(let r): r.count
        case .products(let r): r.count
        case .prices(let r): r.count
        case .exchangeRates(let r): r.count
        case .accounts(let r): r.count
        case .contacts(let r): r.count
        case .pipelines(let r): r.count
        case .stages(let r): r.count
        case .leads(let r): r.count
        case .deals(let r): r.count
        case .dealLines(let r): r.count
        case .stageChanges(let r): r.count
        case .orders(let r): r.count
        case .orderLines(let r): r.count
        case .activities(let r): r.count
        }
    }

    /// The record kind, as counted in `DemoSummary`.
    public var kind: String {
        switch self {
        case .teams: "teams"
        case .teamHeads: "teamHeads"
        case .users: "users"
        case .regions: "regions"
        case .channels: "channels"
        case .categories: "categories"
        case .products: "products"
        case .prices: "prices"
        case .exchangeRates: "exchangeRates"
        case .accounts: "accounts"
        case .contacts: "contacts"
        case .pipelines: "pipelines"
        case .stages: "stages"
        case .leads: "leads"
        case .deals: "deals"
        case .dealLines: "dealLines"
        case .stageChanges: "stageChanges"
        case .orders: "orders"
        case .orderLines: "orderLines"
        case .activities: "activities"
        }
    }
}

/// Where the generator sends the company: storage, a checksum, a test's array.
public protocol DemoSink: Sendable {
    func write(_ batch: DemoBatch) async throws
}
