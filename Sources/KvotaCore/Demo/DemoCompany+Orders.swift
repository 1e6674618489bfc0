import Foundation

extension DemoCompany {
    /// Three years of orders, month by month. Each customer buys in its rhythm: steady customers reorder their basket
    /// on a schedule (XYZ class X), seasonal ones peak in their month (Y), sporadic ones buy now and then (Z).
    /// Won deals become orders on their close date. Order ids rise with the date.
    func generateOrders() async throws {
        var r = random("orders")
        let months = Period.covering(from: firstDay, through: options.asOf, grain: .month)
        let monthFactors = months.map { month in
            let last = min(month.end.dayNumber - 1, options.asOf.dayNumber)
            return (month.start.dayNumber...last).map { marketFactor(day: $0) }.reduce(0, +) / Double(month.dayCount)
        }
        let averageLines = 3.6
        // Lines per order as generated (measured at M): steady buyers reorder their whole basket (about 4.5 lines),
        // and the smallest steady buyers are rounded up to one order per cycle.
        let generatedLinesPerOrder = 4.3
        let wonLines = wonDealOrders.joined().reduce(0) { $0 + $1.lines.count }
        let targetOrders = Double(max(scale.orderLines - wonLines, scale.orderLines / 2)) / generatedLinesPerOrder

        // Normalise the customers' propensities so the company lands on the scale's order-line count.
        var total = 0.0
        for account in accounts {
            for (m, month) in months.enumerated() {
                total += propensity(account, month: month, monthIndex: m) * monthFactors[m]
            }
        }
        let k = targetOrders / max(total, 1e-9)

        var orderBuffer = DemoBuffer<Order>(size: batchSize) { .orders($0) }
        var lineBuffer = DemoBuffer<OrderLine>(size: batchSize * 4) { .orderLines($0) }
        var nextOrderID: Int64 = 1
        var nextLineID: Int64 = 1
        let recentDay = options.asOf.dayNumber - 30

        for (m, month) in months.enumerated() {
            let first = month.start.dayNumber
            let last = min(month.end.dayNumber - 1, options.asOf.dayNumber)
            var drafts: [OrderDraft] = []
            for (index, account) in accounts.enumerated() {
                let activeFirst = max(first, account.startDay)
                let activeLast = min(last, (account.churnDay ?? Int.max) - 1)
                guard activeFirst <= activeLast else { continue }
                let lambda = k * propensity(account, month: month, monthIndex: m) * monthFactors[m]
                guard lambda > 0 else { continue }
                var count: Int
                var sizeScale = 1.0
                switch account.rhythm {
                case .steady:
                    if lambda >= 0.5 {
                        count = max(1, Int(lambda.rounded()))
                        sizeScale = lambda / Double(count)
                    } else {
                        // Small steady buyers order every few months on a fixed cycle.
                        let cycle = min(6, max(2, Int((1 / lambda).rounded())))
                        count = (m + Int(account.id.rawValue)) % cycle == 0 ? 1 : 0
                        sizeScale = lambda * Double(cycle)
                    }
                case .seasonal:
                    count = r.poisson(lambda)
                case .sporadic:
                    count = r.chance(0.3) ? r.poisson(lambda / 0.3) : 0
                }
                for n in 0..<count {
                    var day: Int
                    if account.rhythm == .steady {
                        let span = Double(activeLast - activeFirst + 1)
                        day = activeFirst + min(Int(span * (Double(n) + 0.5) / Double(count)) + r.int(-1...1), Int(span) - 1)
                        day = max(activeFirst, day)
                    } else {
                        day = r.int(activeFirst...activeLast)
                    }
                    if !isWorkday(day) && r.chance(0.85) {
                        let shifted = day + (LocalDate(dayNumber: day).isoWeekday == 6 ? -1 : 1)
                        if shifted >= activeFirst && shifted <= activeLast { day = shifted }
                    }
                    drafts.append(OrderDraft(day: day, second: businessSecond(&r), account: index, deal: nil,
                                             owner: reps[account.ownerRep].id, sizeScale: sizeScale))
                }
            }
            for won in wonDealOrders[m] {
                drafts.append(OrderDraft(day: won.day, second: businessSecond(&r), account: won.account, deal: won,
                                         owner: won.ownerID, sizeScale: 1))
            }
            drafts.sort { ($0.day, $0.second) < ($1.day, $1.second) }

            for draft in drafts {
                let account = accounts[draft.account]
                let id = Order.ID(nextOrderID)
                nextOrderID += 1
                let rate = account.currency == options.baseCurrency ? nil : rate(account.currency, on: draft.day)
                var lines: [OrderLine] = []
                func addLine(product: Int, quantity: Int64, price: Int64, cost: Int64, discount: Int64) {
                    let net = price * quantity - discount
                    lines.append(OrderLine(
                        id: .init(nextLineID), orderID: id, productID: products[product].id, quantityMilli: quantity * 1000,
                        unitPriceMinor: price, discountMinor: discount, netMinor: net,
                        netBaseMinor: rate?.toBase(net) ?? net, costBaseMinor: cost * quantity))
                    nextLineID += 1
                }
                if let won = draft.deal {
                    for line in won.lines {
                        let product = Int(line.productID.rawValue - 1)
                        addLine(product: product, quantity: line.quantityMilli / 1000, price: line.unitPrice.minorUnits,
                                cost: products[product].price(on: draft.day).cost, discount: line.discountMinor)
                    }
                } else {
                    let steady = account.rhythm == .steady
                    let products: [Int] = steady ? account.basket
                        : (0..<(1 + r.poisson(averageLines - 1))).map { _ in r.chance(0.6) ? r.pick(account.basket) : anyProduct(&r) }
                    let baseQuantity = 2 * pow(account.weight, 0.4) * draft.sizeScale
                    let discountShare = account.weight > 20 ? 0.08 : account.weight > 3 ? 0.04 : 0
                    for product in products {
                        let noise = steady ? 1 + 0.06 * r.normal() : r.logNormal(median: 1, sigma: 0.6)
                        let quantity = Int64(max(1, (baseQuantity * noise).rounded()))
                        let price = unitPrice(self.products[product], day: draft.day, currency: account.currency)
                        let discount = discountShare > 0 && r.chance(0.4)
                            ? Int64((Double(price.price * quantity) * discountShare).rounded()) : 0
                        addLine(product: product, quantity: quantity, price: price.price, cost: price.cost, discount: discount)
                    }
                }
                let status: OrderStatus = r.chance(0.02) ? .cancelled
                    : draft.day < recentDay ? .paid : [.confirmed, .shipped, .invoiced][r.int(0...2)]
                let total = lines.reduce(0) { $0 + $1.netMinor }
                let totalBase = lines.reduce(0) { $0 + $1.netBaseMinor }
                if status != .cancelled {
                    summary.revenueBaseMinor += totalBase
                    summary.costBaseMinor += lines.reduce(0) { $0 + $1.costBaseMinor }
                }
                orderBuffer.collect(Order(
                    id: id, number: "SO-\(String(1_000_000 + id.rawValue))", accountID: account.id, dealID: draft.deal?.dealID,
                    ownerID: draft.owner, orderedOn: LocalDate(dayNumber: draft.day), status: status,
                    currency: account.currency, totalMinor: total, totalBaseMinor: totalBase,
                    createdAt: instant(day: draft.day, second: draft.second), channelID: account.channel, regionID: account.region))
                for line in lines { lineBuffer.collect(line) }
                if orderBuffer.isFull || lineBuffer.isFull {
                    try await orderBuffer.flush(to: self)
                    try await lineBuffer.flush(to: self)
                }
            }
        }
        try await orderBuffer.flush(to: self)
        try await lineBuffer.flush(to: self)
    }

    /// How many orders a customer would place in a month, before scaling to the company's size.
    func propensity(_ account: AccountInfo, month: Period, monthIndex m: Int) -> Double {
        let first = month.start.dayNumber, last = month.end.dayNumber - 1
        let activeFirst = max(first, account.startDay), activeLast = min(last, (account.churnDay ?? Int.max) - 1)
        guard activeFirst <= activeLast else { return 0 }
        let share = Double(activeLast - activeFirst + 1) / Double(month.dayCount)
        let years = Double(m) / 12
        var value = pow(account.weight, 0.6) * pow(account.growth, years) * share
        if account.rhythm == .seasonal {
            value *= 1 + 0.85 * cos(2 * Double.pi * Double(month.start.month - account.peakMonth) / 12)
        }
        return value
    }
}

struct OrderDraft {
    let day: Int
    let second: Int
    let account: Int
    let deal: WonDeal?
    let owner: User.ID
    let sizeScale: Double
}
