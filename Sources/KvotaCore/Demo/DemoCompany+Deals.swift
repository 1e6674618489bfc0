import Foundation

/// A call, message or meeting that belongs to a lead or a deal and is written with that day's activities.
struct ScheduledTouch {
    let kind: ActivityKind
    let ownerID: User.ID
    let accountID: Account.ID?
    let contactID: Contact.ID?
    let dealID: Deal.ID?
    let leadID: Lead.ID?
    let at: Date
    let subject: String
    let answered: Bool
}

extension DemoCompany {
    /// How much likelier than the average lead a source's lead is to convert (weighted by the sources' shares, about 1).
    static let leadSourceOdds: [LeadSource: Double] = [
        .webForm: 1.0, .inboundCall: 1.2, .email: 0.9, .messenger: 0.9, .referral: 1.6, .coldOutreach: 0.5, .event: 1.3,
    ]

    /// Leads day by day from several sources, each answered (or not) by an acquisition rep; about a third convert
    /// into a "New business" deal. Retention reps open "Repeat & upsell" deals on their customers. Every deal walks
    /// its pipeline to won, lost, or the stage it is in today, leaving a full stage history.
    func generateLeadsAndDeals() async throws {
        var r = random("deals")
        let leadConversion = 0.35
        let newBusinessShare = 0.45
        let targetLeads = Double(scale.deals) * newBusinessShare / leadConversion
        let targetRepeatDeals = Double(scale.deals) * (1 - newBusinessShare)
        let weights = (firstDay.dayNumber...options.asOf.dayNumber).map { dayWeight($0) }
        let totalWeight = weights.reduce(0, +)
        scheduled = Array(repeating: [], count: dayCount + 1)
        wonDealOrders = Array(repeating: [], count: monthCount)

        var leadBuffer = DemoBuffer<Lead>(size: batchSize) { .leads($0) }
        var dealBuffer = DemoBuffer<Deal>(size: batchSize) { .deals($0) }
        var lineBuffer = DemoBuffer<DealLine>(size: batchSize) { .dealLines($0) }
        var historyBuffer = DemoBuffer<StageChange>(size: batchSize) { .stageChanges($0) }
        var nextLeadID: Int64 = 1
        let sourcePicker = WeightedPicker(weights: [30, 20, 12, 12, 8, 13, 5])
        let sources: [LeadSource] = [.webForm, .inboundCall, .email, .messenger, .referral, .coldOutreach, .event]
        let leadOwners = acquisitionReps.isEmpty ? retentionReps : acquisitionReps
        let end = options.asOf.dayNumber
        // Deals refer to leads, lines and stage history to deals: parents go first.
        func flushAll() async throws {
            try await leadBuffer.flush(to: self)
            try await dealBuffer.flush(to: self)
            try await lineBuffer.flush(to: self)
            try await historyBuffer.flush(to: self)
        }
        func flushIfFull() async throws {
            if leadBuffer.isFull || dealBuffer.isFull || lineBuffer.isFull || historyBuffer.isFull { try await flushAll() }
        }

        for (offset, weight) in weights.enumerated() {
            let day = firstDay.dayNumber + offset
            for _ in 0..<r.poisson(targetLeads * weight / totalWeight) {
                let id = Lead.ID(nextLeadID)
                nextLeadID += 1
                let source = sources[sourcePicker.pick(&r)]
                let offHours = r.chance(source == .webForm || source == .messenger || source == .email ? 0.22 : 0.04)
                let second = offHours ? (r.chance(0.5) ? r.int(0...(8 * 3600 - 1)) : r.int((18 * 3600)...86_399))
                                      : businessSecond(&r)
                let received = instant(day: day, second: second)
                let owner = reps[leadOwners[r.int(0...(leadOwners.count - 1))]]
                let first = r.pick(DemoNames.firstNames), last = r.pick(DemoNames.lastNames)

                var response: Date? = nil
                if source == .coldOutreach {
                    response = received
                } else if r.chance(0.9) {
                    // Answered after a log-normal delay; requests that come in off hours wait for the morning.
                    var start = received
                    if offHours { start = instant(day: second < 8 * 3600 ? day : day + 1, second: 8 * 3600 + r.int(0...1800)) }
                    response = start.addingTimeInterval(r.logNormal(median: 540, sigma: 1.3))
                }
                if let at = response, at > instant(day: end, second: 86_399) { response = nil }

                var status: LeadStatus
                let age = end - day
                let roll = r.unit()
                // Referrals and events convert best, cold outreach worst, and a lead answered within the hour better than
                // one left waiting: what a real intake shows, and what the lead score learns (docs/scoring.md).
                let quick = response.map { $0.timeIntervalSince(received) < 3_600 } ?? false
                let converts = leadConversion * (Self.leadSourceOdds[source] ?? 1) * (quick ? 1.1 : 0.7)
                if age <= 2 { status = response == nil ? .new : .inWork }
                else if roll < converts { status = .converted }
                else if roll < converts + 0.08 { status = age < 45 ? .qualified : .disqualified }
                else if roll < converts + 0.14 && age < 30 { status = .inWork }
                else { status = .disqualified }
                if status == .converted && response == nil { status = .disqualified }

                var accountIndex: Int? = nil
                if status == .converted, let responded = response {
                    let account = newCustomer(near: day, &r)
                    accountIndex = account
                    let dealID = makeDeal(
                        pipeline: pipelines[0], account: account, owner: owner.id, created: responded.addingTimeInterval(r.logNormal(median: 86_400, sigma: 1)),
                        leadID: id, &r, deals: &dealBuffer, lines: &lineBuffer, history: &historyBuffer)
                    if dealID == nil { status = .qualified }
                }
                if let at = response {
                    let byMessage = source == .messenger || (source == .email && r.chance(0.5))
                    let dayIndex = clock.local(at).day - firstDay.dayNumber
                    if dayIndex >= 0 && dayIndex < scheduled.count {
                        scheduled[dayIndex].append(ScheduledTouch(
                            kind: byMessage ? .message : .call, ownerID: owner.id,
                            accountID: accountIndex.map { accounts[$0].id }, contactID: accountIndex.map { accounts[$0].firstContact },
                            dealID: nil, leadID: id, at: at, subject: byMessage ? "Reply to request" : "First call on request",
                            answered: r.chance(0.8)))
                    }
                }
                let converted = accountIndex.map { accounts[$0] }
                leadBuffer.collect(Lead(
                    id: id, source: source, receivedAt: received, firstResponseAt: response, status: status,
                    disqualifyReason: status == .disqualified ? r.pick(DemoNames.leadLossReasons) : nil,
                    ownerID: owner.id, name: "\(first) \(last)",
                    companyName: r.chance(0.8) ? "\(r.pick(DemoNames.companyStems)) \(r.pick(DemoNames.companyTrades))" : nil,
                    phone: source == .inboundCall || r.chance(0.6) ? "+4673\(String(1_000_000 + id.rawValue % 9_000_000))" : nil,
                    email: source == .inboundCall ? nil : "\(first).\(last).lead\(id)@mail.example".lowercased(),
                    message: source == .webForm || source == .email || source == .messenger ? r.pick(DemoNames.leadMessages) : nil,
                    utmSource: source == .webForm ? r.pick(DemoNames.utmSources) : nil,
                    utmCampaign: source == .webForm && r.chance(0.7) ? r.pick(DemoNames.utmCampaigns) : nil,
                    accountID: converted?.id, contactID: converted?.firstContact))
                try await flushIfFull()
            }

            for _ in 0..<r.poisson(targetRepeatDeals * weight / totalWeight) {
                guard let account = activeCustomer(on: day, &r) else { continue }
                _ = makeDeal(
                    pipeline: pipelines[1], account: account, owner: reps[accounts[account].ownerRep].id,
                    created: instant(day: day, second: businessSecond(&r)), leadID: nil, &r,
                    deals: &dealBuffer, lines: &lineBuffer, history: &historyBuffer)
                try await flushIfFull()
            }
        }
        try await flushAll()
    }

    /// Relative volume of a day: market growth and season, and weekends at a quarter of a weekday.
    func dayWeight(_ day: Int) -> Double { marketFactor(day: day) * (isWorkday(day) ? 1 : 0.25) }

    /// A customer that started buying around `day` (the one a converted lead most likely became), else any.
    func newCustomer(near day: Int, _ r: inout DemoRandom) -> Int {
        var low = 0, high = accountsByStart.count
        while low < high {
            let mid = (low + high) / 2
            if accounts[accountsByStart[mid]].startDay < day - 45 { low = mid + 1 } else { high = mid }
        }
        var upper = low
        while upper < accountsByStart.count && accounts[accountsByStart[upper]].startDay <= day + 10 { upper += 1 }
        if upper > low && r.chance(0.7) { return accountsByStart[r.int(low...(upper - 1))] }
        return r.int(0...(accounts.count - 1))
    }

    func isActive(_ account: AccountInfo, on day: Int) -> Bool {
        account.startDay <= day && (account.churnDay.map { day < $0 } ?? true)
    }

    func activeCustomer(on day: Int, _ r: inout DemoRandom) -> Int? {
        for _ in 0..<6 {
            let candidate = r.int(0...(accounts.count - 1))
            if isActive(accounts[candidate], on: day) { return candidate }
        }
        return nil
    }

    func monthIndex(_ day: Int) -> Int {
        let date = LocalDate(dayNumber: day)
        return (date.year * 12 + date.month) - (firstDay.year * 12 + firstDay.month)
    }

    /// Unit price of a product on a day in the account's currency (list prices are kept in the base currency).
    func unitPrice(_ product: ProductInfo, day: Int, currency: Currency) -> (price: Int64, cost: Int64, rate: ExchangeRate?) {
        let base = product.price(on: day)
        guard currency != options.baseCurrency, let rate = rate(currency, on: day) else { return (base.price, base.cost, nil) }
        return (max(1, Int64((Double(base.price) * 1_000_000 / Double(rate.baseMicros)).rounded())), base.cost, rate)
    }

    /// Collects one deal with its lines and stage history (the caller flushes); returns nil when the deal would start after today.
    func makeDeal(pipeline: PipelineInfo, account index: Int, owner: User.ID, created: Date, leadID: Lead.ID?,
                  _ r: inout DemoRandom, deals: inout DemoBuffer<Deal>, lines: inout DemoBuffer<DealLine>,
                  history: inout DemoBuffer<StageChange>) -> Deal.ID? {
        let now = instant(day: options.asOf.dayNumber, second: 86_399)
        guard created < now else { return nil }
        let account = accounts[index]
        let id = Deal.ID(nextDealID)
        nextDealID += 1
        let createdDay = clock.local(created).day

        var dealLines: [DealLine] = []
        var amount: Int64 = 0
        var firstCategory: Int? = nil
        for _ in 0..<r.int(1...3) {
            let product = products[r.chance(0.6) ? r.pick(account.basket) : anyProduct(&r)]
            if firstCategory == nil { firstCategory = product.category }
            let price = unitPrice(product, day: createdDay, currency: account.currency).price
            let quantity = Int64(max(1, (r.logNormal(median: 8, sigma: 0.8) * pow(account.weight, 0.3)).rounded()))
            let discount = r.chance(0.3) ? price * quantity * Int64(r.int(2...10)) / 100 : 0
            let line = DealLine(id: .init(nextDealLineID), dealID: id, productID: product.id,
                                quantityMilli: quantity * 1000, unitPrice: Money(minorUnits: price, currency: account.currency),
                                discountMinor: discount)
            nextDealLineID += 1
            dealLines.append(line)
            amount += price * quantity - discount
        }

        // Walk the stages: each open stage takes a log-normal time, then the deal moves on or is lost.
        let open = pipeline.open
        var at = created
        var stage = open[0]
        var status = StageOutcome.open
        var closedAt: Date? = nil
        var lossReason: String? = nil
        let contact = Contact.ID(account.firstContact.rawValue + Int64(r.int(0...(account.contactCount - 1))))
        var entered: [(Stage, Date)] = [(stage, at)]
        for (k, _) in open.enumerated() {
            // One stage in ten stalls for weeks: the stuck deals every real pipeline carries.
            let stall = r.chance(0.1) ? 8.0 : 1.0
            let next = at.addingTimeInterval(r.logNormal(median: pipeline.medianDays[k] * stall, sigma: 0.8) * 86_400)
            if next > now { break }
            at = next
            if r.chance(pipeline.advance[k]) {
                stage = k + 1 < open.count ? open[k + 1] : pipeline.won
            } else {
                stage = pipeline.lost
                lossReason = r.pick(DemoNames.dealLossReasons)
            }
            entered.append((stage, at))
            if stage.outcome != .open {
                status = stage.outcome
                closedAt = at
                break
            }
        }
        for (stage, enteredAt) in entered {
            history.collect(StageChange(id: .init(nextStageChangeID), dealID: id, stageID: stage.id,
                                        enteredAt: enteredAt, userID: owner))
            nextStageChangeID += 1
            if stage.outcome == .open, r.chance(0.6) {
                let touchAt = enteredAt.addingTimeInterval(r.logNormal(median: 7_200, sigma: 1))
                let dayIndex = clock.local(touchAt).day - firstDay.dayNumber
                if touchAt < now, dayIndex >= 0 {
                    let meeting = stage.position >= 3 && r.chance(0.35)
                    scheduled[dayIndex].append(ScheduledTouch(
                        kind: meeting ? .meeting : .call, ownerID: owner, accountID: account.id, contactID: contact,
                        dealID: id, leadID: nil, at: touchAt, subject: meeting ? "Meeting: \(stage.name)" : "Call: \(stage.name)",
                        answered: r.chance(0.8)))
                }
            }
        }
        for line in dealLines { lines.collect(line) }

        let plannedDays = pipeline.medianDays.reduce(0, +) * (0.8 + 0.8 * r.unit())
        let expected = LocalDate(dayNumber: createdDay + Int(plannedDays.rounded()))
        let forecast: ForecastCategory
        switch status {
        case .won: forecast = .commit
        case .lost: forecast = .omitted
        case .open:
            let progress = Double(stage.position) / Double(open.count)
            forecast = r.chance(0.05) ? .omitted : progress >= 0.8 ? (r.chance(0.7) ? .commit : .bestCase)
                : progress >= 0.5 ? .bestCase : .pipeline
        }
        let title = "\(pipeline.id.rawValue == 1 ? "New" : "Repeat"): \(categories[firstCategory ?? 0].name)"
        deals.collect(Deal(
            id: id, title: title, accountID: account.id, contactID: contact, pipelineID: pipeline.id, stageID: stage.id,
            amount: Money(minorUnits: amount, currency: account.currency), expectedClose: expected,
            forecastCategory: forecast, ownerID: owner, status: status, createdAt: created, closedAt: closedAt,
            lossReason: lossReason, leadID: leadID))

        if status == .won, let closed = closedAt {
            let day = clock.local(closed).day
            let month = monthIndex(day)
            if month >= 0 && month < wonDealOrders.count {
                wonDealOrders[month].append(WonDeal(dealID: id, account: index, ownerID: owner, day: day, lines: dealLines))
            }
        }
        return id
    }
}
