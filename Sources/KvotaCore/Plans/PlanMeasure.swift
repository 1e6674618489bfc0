/// What a plan can set a target for (issue 7): the sales measures analytics sum (METRICS.md "Revenue") and the activity
/// counts a head of sales plans by. A measure is here only once it has a definition the actuals can follow.
public enum PlanMeasure: String, CaseIterable, Sendable, Codable {
    case revenue, margin, quantity, orders
    case dealsWon = "deals_won"
    case newCustomers = "new_customers"
    case qualifiedLeads = "qualified_leads"
    case outboundCalls = "outbound_calls"
    case meetingsHeld = "meetings_held"

    /// The analytics measure with the same definition, for those analytics already sum.
    public var sales: SalesMeasure? {
        switch self {
        case .revenue: .revenue
        case .margin: .margin
        case .quantity: .quantity
        case .orders: .orders
        case .dealsWon: .dealsWon
        case .newCustomers: .newCustomers
        case .qualifiedLeads, .outboundCalls, .meetingsHeld: nil
        }
    }

    /// Money in minor units of the base currency (revenue, margin); quantity is in thousandths; the rest are counts.
    public var isMoney: Bool { self == .revenue || self == .margin }

    /// Whether a plan row may narrow it to a product category: only sums of order lines can be split by product; a
    /// deal, a customer or a call is not "in" a category.
    public var splitsByProduct: Bool { [.revenue, .margin, .quantity, .orders].contains(self) }

    /// Whether a breakdown by customer, region or channel means something: activities are not filed under a region.
    public var splitsByCustomer: Bool { sales != nil }
}

/// What a plan's breakdown row narrows the subject's actuals to (e.g. "Region North: 2.4 M", "Account Acme: 300 k").
public enum PlanDimension: String, CaseIterable, Sendable, Codable {
    case account, region, category, channel
}
