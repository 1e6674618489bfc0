import Foundation

extension DemoCompany {
    /// Teams (acquisition, retention, an order desk) with heads and reps, a commercial director, an analyst and an
    /// admin; the region tree and the four channels.
    func generateOrganisation() async throws {
        var r = random("organisation")
        let joined = instant(day: firstDay.dayNumber - 400, second: 9 * 3600)
        var teams: [Team] = []
        var users: [User] = []
        var nextTeamID: Int64 = 1

        func person(_ r: inout DemoRandom, role: Role, team: Team.ID?, manager: User.ID?) -> User {
            let id = User.ID(nextUserID)
            nextUserID += 1
            let first = r.pick(DemoNames.firstNames), last = r.pick(DemoNames.lastNames)
            let language: Language = r.chance(0.55) ? .en : r.pick([.sv, .ru, .uk])
            return User(id: id, name: "\(first) \(last)", email: "\(first).\(last).\(id)@demo.kvota.test".lowercased(),
                        role: role, teamID: team, managerID: manager, language: language,
                        phoneExtension: String(100 + id.rawValue), active: true, createdAt: joined)
        }

        let director = person(&r, role: .director, team: nil, manager: nil)
        users.append(director)
        users.append(person(&r, role: .analyst, team: nil, manager: director.id))
        users.append(person(&r, role: .admin, team: nil, manager: nil))

        for kind in [TeamKind.acquisition, .retention] {
            for n in 1...scale.teamsPerKind {
                let team = Team(id: Team.ID(nextTeamID), name: "\(kind == .acquisition ? "New Business" : "Key Accounts") \(n)",
                                kind: kind)
                nextTeamID += 1
                teams.append(team)
                let head = person(&r, role: .head, team: team.id, manager: director.id)
                users.append(head)
                for _ in 0..<scale.repsPerTeam {
                    var rep = person(&r, role: .rep, team: team.id, manager: head.id)
                    // A few reps have left: their history stays, they take no new work.
                    rep.active = !r.chance(0.06)
                    users.append(rep)
                    if rep.active {
                        let index = reps.count
                        reps.append(RepInfo(id: rep.id, teamKind: kind, activity: 0.6 + 0.8 * r.unit()))
                        if kind == .acquisition { acquisitionReps.append(index) } else { retentionReps.append(index) }
                    }
                }
                teams[teams.count - 1].headID = head.id
            }
        }
        let desk = Team(id: Team.ID(nextTeamID), name: "Order Desk", kind: .orderDesk)
        teams.append(desk)
        let deskHead = person(&r, role: .head, team: desk.id, manager: director.id)
        users.append(deskHead)
        for _ in 0..<max(2, scale.teamsPerKind) {
            users.append(person(&r, role: .orderDesk, team: desk.id, manager: deskHead.id))
        }
        teams[teams.count - 1].headID = deskHead.id

        try await emit(.teams(teams.map { Team(id: $0.id, name: $0.name, kind: $0.kind) }))
        for chunk in users.chunked(batchSize) { try await emit(.users(Array(chunk))) }
        try await emit(.teamHeads(teams))
        accountsOfRep = Array(repeating: [], count: reps.count)

        var regions: [Region] = []
        var nextRegionID: Int64 = 1
        for country in DemoNames.regions {
            let parent = Region(id: Region.ID(nextRegionID), parentID: nil, code: country.code, name: country.name)
            nextRegionID += 1
            regions.append(parent)
            for (code, name) in country.children {
                let child = Region(id: Region.ID(nextRegionID), parentID: parent.id, code: code, name: name)
                nextRegionID += 1
                regions.append(child)
                leafRegions.append(child.id)
            }
        }
        try await emit(.regions(regions))

        let standard: [(String, String, ChannelKind)] = [
            ("direct", "Direct", .direct), ("dealer", "Dealer / wholesale", .dealer),
            ("distributor", "Distributor", .distributor), ("retail", "Retail", .retail),
        ]
        let channelRecords = standard.enumerated().map { i, c in
            Channel(id: Channel.ID(Int64(i + 1)), code: c.0, name: c.1, kind: c.2)
        }
        channels = channelRecords.map(\.id)
        try await emit(.channels(channelRecords))
    }

    /// Categories (a two-level tree) and products with list price, cost and a yearly price change; monthly
    /// exchange rates for the foreign currencies some customers pay in.
    func generateCatalogue() async throws {
        var r = random("catalogue")
        var categoryRecords: [ProductCategory] = []
        var leaves: [CategoryInfo] = []
        var nextCategoryID: Int64 = 1
        for top in DemoNames.categories {
            let parent = ProductCategory(id: .init(nextCategoryID), parentID: nil, name: top.name)
            nextCategoryID += 1
            categoryRecords.append(parent)
            for child in top.children {
                let record = ProductCategory(id: .init(nextCategoryID), parentID: parent.id, name: child)
                nextCategoryID += 1
                categoryRecords.append(record)
                leaves.append(CategoryInfo(id: record.id, name: child, margin: top.margin, unit: top.unit))
            }
        }
        categories = leaves
        try await emit(.categories(categoryRecords))

        let base = options.baseCurrency
        var productBuffer = DemoBuffer<Product>(size: batchSize) { .products($0) }
        var priceBuffer = DemoBuffer<ProductPrice>(size: batchSize) { .prices($0) }
        var popularity: [[Double]] = Array(repeating: [], count: leaves.count)
        var members: [[Int]] = Array(repeating: [], count: leaves.count)
        for n in 0..<scale.products {
            let id = Product.ID(Int64(n + 1))
            let category = r.int(0...(leaves.count - 1))
            let info = leaves[category]
            let margin = min(0.85, max(0.03, info.margin + 0.08 * r.normal()))
            var price = Int64(r.logNormal(median: 4_000, sigma: 0.9).rounded()) + 100
            var cost = Int64((Double(price) * (1 - margin)).rounded())
            var history: [(day: Int, price: Int64, cost: Int64)] = [(firstDay.dayNumber - 365, price, cost)]
            // Prices rise once a year on a product-specific day; costs follow, not always as much.
            var changeDay = firstDay.dayNumber + r.int(30...330)
            while changeDay <= options.asOf.dayNumber {
                price = Int64((Double(price) * (1.02 + 0.06 * r.unit())).rounded())
                cost = Int64((Double(cost) * (1.01 + 0.07 * r.unit())).rounded())
                history.append((changeDay, price, cost))
                changeDay += r.int(330...400)
            }
            for entry in history {
                priceBuffer.collect(
                    ProductPrice(productID: id, validFrom: LocalDate(dayNumber: entry.day),
                                 price: Money(minorUnits: entry.price, currency: base),
                                 cost: Money(minorUnits: entry.cost, currency: base)))
            }
            let name = "\(r.pick(DemoNames.productAdjectives)) \(info.name) \(n + 1)"
            productBuffer.collect(
                Product(id: id, sku: "SKU-\(String(100_000 + n))", name: name, categoryID: info.id, unit: info.unit,
                        price: Money(minorUnits: price, currency: base), cost: Money(minorUnits: cost, currency: base),
                        active: !r.chance(0.04)))
            if productBuffer.isFull || priceBuffer.isFull {
                try await productBuffer.flush(to: self)
                try await priceBuffer.flush(to: self)
            }
            products.append(ProductInfo(id: id, category: category, prices: history))
            popularity[category].append(r.pareto(alpha: 1.3))
            members[category].append(n)
        }
        try await productBuffer.flush(to: self)
        try await priceBuffer.flush(to: self)
        productPickers = popularity.map { WeightedPicker(weights: $0) }
        categoryMembers = members

        var rateRecords: [ExchangeRate] = []
        for (currency, start) in [(Currency.USD, 0.92), (Currency.SEK, 0.088)] where currency != base {
            var value = start
            for month in Period.covering(from: firstDay.adding(months: -1), through: options.asOf, grain: .month) {
                value *= 1 + 0.015 * r.normal()
                let record = ExchangeRate(currency: currency, validFrom: month.start,
                                          baseMicros: Int64((value * 1_000_000).rounded()))
                rateRecords.append(record)
                rates[currency, default: []].append(record)
            }
        }
        try await emit(.exchangeRates(rateRecords))
    }

    /// Picks a product of `category`, popular ones more often.
    func product(in category: Int, _ r: inout DemoRandom) -> Int? {
        let picker = productPickers[category]
        guard !picker.isEmpty else { return nil }
        return categoryMembers[category][picker.pick(&r)]
    }

    func anyProduct(_ r: inout DemoRandom) -> Int {
        for _ in 0..<8 {
            if let p = product(in: r.int(0...(categories.count - 1)), &r) { return p }
        }
        return r.int(0...(products.count - 1))
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
