import Foundation

extension DemoCompany {
    /// Customers and their contacts. Most customers already buy when history starts; the rest appear over the three
    /// years, some churn, each grows or shrinks at its own pace and buys in its own rhythm.
    func generateAccounts() async throws {
        var r = random("accounts")
        var accountBuffer = DemoBuffer<Account>(size: batchSize) { .accounts($0) }
        var contactBuffer = DemoBuffer<Contact>(size: batchSize) { .contacts($0) }
        let start = firstDay.dayNumber, end = options.asOf.dayNumber
        var nextContactID: Int64 = 1
        let foreign: [Currency] = [.USD, .SEK].filter { $0 != options.baseCurrency }

        for n in 0..<scale.accounts {
            let id = Account.ID(Int64(n + 1))
            let existing = r.chance(0.7)
            let startDay = existing ? start - r.int(30...2_000) : r.int(start...(end - 20))
            let churnDay: Int? = r.chance(0.16) ? r.int(max(startDay, start) + 60...end + 200) : nil
            let weight = min(r.pareto(alpha: 1.16), 400)
            let roll = r.unit()
            let rhythm: BuyingRhythm = roll < 0.4 ? .steady : roll < 0.7 ? .seasonal : .sporadic
            // New customers are worked by acquisition reps for their first year, then handed to retention.
            let recent = startDay > end - 365
            let pool = recent && !acquisitionReps.isEmpty ? acquisitionReps : retentionReps
            let owner = pool[r.int(0...(pool.count - 1))]
            let currency = !foreign.isEmpty && r.chance(0.12) ? r.pick(foreign) : options.baseCurrency
            let favourite = r.int(0...(categories.count - 1))
            var basket: [Int] = []
            for _ in 0..<r.int(3...7) {
                let category = r.chance(0.6) ? favourite : r.int(0...(categories.count - 1))
                if let p = product(in: category, &r), !basket.contains(p) { basket.append(p) }
            }
            if basket.isEmpty { basket.append(anyProduct(&r)) }

            let name = "\(r.pick(DemoNames.companyStems)) \(r.pick(DemoNames.companyTrades)) \(r.pick(DemoNames.companyForms))"
            let segment = weight > 20 ? DemoNames.segments[0] : weight > 3 ? DemoNames.segments[1] : DemoNames.segments[2]
            let createdDay = max(startDay - r.int(5...60), start - 2_100)
            let region = r.pick(leafRegions)
            let channel = channels[WeightedPicker(weights: [0.45, 0.25, 0.15, 0.15]).pick(&r)]
            accountBuffer.collect(
                Account(id: id, name: name, legalID: "556\(String(1_000_000 + n))", regionID: region, channelID: channel,
                        ownerID: reps[owner].id, segment: segment,
                        createdAt: instant(day: createdDay, second: businessSecond(&r))))

            let contactCount = weight > 10 ? r.int(2...4) : r.int(1...2)
            let firstContact = Contact.ID(nextContactID)
            for _ in 0..<contactCount {
                let first = r.pick(DemoNames.firstNames), last = r.pick(DemoNames.lastNames)
                let cid = nextContactID
                nextContactID += 1
                contactBuffer.collect(
                    Contact(id: .init(cid), accountID: id, name: "\(first) \(last)",
                            position: r.pick(DemoNames.positions), phone: "+4670\(String(1_000_000 + cid))",
                            email: "\(first).\(last).\(cid)@customer.example".lowercased(),
                            createdAt: instant(day: createdDay, second: businessSecond(&r))))
            }
            if accountBuffer.isFull || contactBuffer.isFull {
                try await accountBuffer.flush(to: self)
                try await contactBuffer.flush(to: self)
            }

            accounts.append(AccountInfo(
                id: id, ownerRep: owner, currency: currency, weight: weight, rhythm: rhythm, startDay: startDay,
                churnDay: churnDay, growth: r.logNormal(median: 1.0, sigma: 0.28), basket: basket, region: region, channel: channel,
                firstContact: firstContact, contactCount: contactCount, peakMonth: r.int(1...12)))
            accountsOfRep[owner].append(n)
        }
        try await accountBuffer.flush(to: self)
        try await contactBuffer.flush(to: self)
        accountsByStart = accounts.indices.sorted { (accounts[$0].startDay, $0) < (accounts[$1].startDay, $1) }
    }

    /// What a head of sales writes into the funnel: what a deal must have to enter a stage, and the script and checklist
    /// a rep follows there. The demo's deals were placed directly, so only moves made after loading meet these.
    static let stageRegulations: [String: (required: Set<DealRequirement>, script: String?, checklist: [String])] = [
        "Qualification": ([], "Ask who decides, what they buy today, from whom, and what they would change.",
                          ["Decision maker named", "Current supplier known"]),
        "Proposal": ([.amount], "Walk through the proposal line by line; agree on the next step before hanging up.",
                     ["Prices checked with the price list", "Delivery terms agreed"]),
        "Negotiation": ([.amount, .expectedClose], nil, ["Discount approved by the head of sales", "Contract draft sent"]),
    ]

    /// "New business" for acquisition and a shorter "Repeat & upsell" for retention.
    func generatePipelines() async throws {
        let definitions: [(String, [(String, Int)], [Double], [Double])] = [
            ("New business",
             [("New", 10), ("Qualification", 20), ("Needs analysis", 35), ("Proposal", 50), ("Negotiation", 75)],
             [0.82, 0.72, 0.78, 0.68, 0.74], [2, 5, 7, 9, 6]),
            ("Repeat & upsell",
             [("Opportunity", 30), ("Proposal", 55), ("Negotiation", 80)],
             [0.85, 0.75, 0.82], [3, 6, 4]),
        ]
        var pipelineRecords: [Pipeline] = []
        var stageRecords: [Stage] = []
        var nextStageID: Int64 = 1
        for (index, definition) in definitions.enumerated() {
            let pipeline = Pipeline(id: .init(Int64(index + 1)), name: definition.0)
            pipelineRecords.append(pipeline)
            var stages: [Stage] = []
            for (position, stage) in definition.1.enumerated() {
                let rules = Self.stageRegulations[stage.0]
                stages.append(Stage(id: .init(nextStageID), pipelineID: pipeline.id, position: position + 1,
                                    name: stage.0, probability: stage.1, outcome: .open, requiredFields: rules?.required ?? [],
                                    script: rules?.script, checklist: rules?.checklist ?? []))
                nextStageID += 1
            }
            stages.append(Stage(id: .init(nextStageID), pipelineID: pipeline.id, position: stages.count + 1,
                                name: "Won", probability: 100, outcome: .won))
            stages.append(Stage(id: .init(nextStageID + 1), pipelineID: pipeline.id, position: stages.count + 1,
                                name: "Lost", probability: 0, outcome: .lost))
            nextStageID += 2
            stageRecords += stages
            pipelines.append(PipelineInfo(id: pipeline.id, stages: stages, advance: definition.2,
                                          medianDays: definition.3))
        }
        try await emit(.pipelines(pipelineRecords))
        try await emit(.stages(stageRecords))
    }
}
