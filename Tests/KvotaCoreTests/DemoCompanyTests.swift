import Foundation
import Testing
@testable import KvotaCore

/// Keeps everything the generator emits, in order.
final class CollectingSink: DemoSink, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var batches: [DemoBatch] = []

    func write(_ batch: DemoBatch) async throws {
        lock.withLock { batches.append(batch) }
    }

    func all<T>(_ extract: (DemoBatch) -> [T]?) -> [T] { batches.flatMap { extract($0) ?? [] } }
}

@Suite struct DemoCompanyTests {
    static let options = DemoOptions(scale: .tiny, seed: 7, asOf: try! LocalDate(iso: "2026-11-20"))

    static func generate(_ options: DemoOptions = options) async throws -> (DemoSummary, CollectingSink) {
        let sink = CollectingSink()
        let summary = try await DemoCompany.generate(options, into: sink)
        return (summary, sink)
    }

    @Test func theSameOptionsGiveTheSameCompany() async throws {
        let (first, a) = try await Self.generate()
        let (second, b) = try await Self.generate()
        #expect(first == second)
        #expect(a.all { if case .orderLines(let l) = $0 { l } else { nil } } == b.all { if case .orderLines(let l) = $0 { l } else { nil } })
        #expect(a.all { if case .activities(let l) = $0 { l } else { nil } } == b.all { if case .activities(let l) = $0 { l } else { nil } })
        var other = Self.options
        other.seed = 8
        let (third, _) = try await Self.generate(other)
        #expect(third.revenueBaseMinor != first.revenueBaseMinor)
    }

    /// Small batches put batch boundaries everywhere: a child table must never overtake its parent.
    @Test(arguments: [3, 2_000])
    func everyReferencePointsAtARecordEmittedBefore(batchSize: Int) async throws {
        let sink = CollectingSink()
        _ = try await DemoCompany.generate(Self.options, into: sink, batchSize: batchSize)
        var seen: [String: Set<Int64>] = [:]
        func check(_ kind: String, _ id: Int64?, _ context: String) {
            guard let id else { return }
            #expect(seen[kind, default: []].contains(id), "\(context) points at missing \(kind) \(id)")
        }
        for batch in sink.batches {
            switch batch {
            case .teams(let r): seen["team", default: []].formUnion(r.map(\.id.rawValue))
            case .users(let r):
                for u in r {  // a manager comes before the people who report to them
                    check("team", u.teamID?.rawValue, "user"); check("user", u.managerID?.rawValue, "user")
                    seen["user", default: []].insert(u.id.rawValue)
                }
            case .teamHeads(let r): for t in r { check("user", t.headID?.rawValue, "team head") }
            case .regions(let r):
                for x in r { check("region", x.parentID?.rawValue, "region"); seen["region", default: []].insert(x.id.rawValue) }
            case .channels(let r): seen["channel", default: []].formUnion(r.map(\.id.rawValue))
            case .categories(let r):
                for x in r { check("category", x.parentID?.rawValue, "category"); seen["category", default: []].insert(x.id.rawValue) }
            case .prices(let r): for p in r { check("product", p.productID.rawValue, "price") }
            case .pipelines(let r): seen["pipeline", default: []].formUnion(r.map(\.id.rawValue))
            case .accounts(let r):
                for a in r {
                    check("user", a.ownerID?.rawValue, "account"); check("region", a.regionID?.rawValue, "account")
                    check("channel", a.channelID?.rawValue, "account")
                }
                seen["account", default: []].formUnion(r.map(\.id.rawValue))
            case .contacts(let r):
                for c in r { check("account", c.accountID?.rawValue, "contact") }
                seen["contact", default: []].formUnion(r.map(\.id.rawValue))
            case .products(let r):
                for x in r { check("category", x.categoryID.rawValue, "product") }
                seen["product", default: []].formUnion(r.map(\.id.rawValue))
            case .stages(let r):
                for x in r { check("pipeline", x.pipelineID.rawValue, "stage") }
                seen["stage", default: []].formUnion(r.map(\.id.rawValue))
            case .leads(let r):
                for l in r { check("account", l.accountID?.rawValue, "lead"); check("contact", l.contactID?.rawValue, "lead") }
                seen["lead", default: []].formUnion(r.map(\.id.rawValue))
            case .deals(let r):
                for d in r {
                    check("account", d.accountID.rawValue, "deal"); check("stage", d.stageID.rawValue, "deal")
                    check("lead", d.leadID?.rawValue, "deal"); check("contact", d.contactID?.rawValue, "deal")
                }
                seen["deal", default: []].formUnion(r.map(\.id.rawValue))
            case .dealLines(let r): for l in r { check("deal", l.dealID.rawValue, "deal line"); check("product", l.productID.rawValue, "deal line") }
            case .stageChanges(let r): for c in r { check("deal", c.dealID.rawValue, "stage change") }
            case .orders(let r):
                for o in r { check("account", o.accountID.rawValue, "order"); check("deal", o.dealID?.rawValue, "order") }
                seen["order", default: []].formUnion(r.map(\.id.rawValue))
            case .orderLines(let r): for l in r { check("order", l.orderID.rawValue, "order line"); check("product", l.productID.rawValue, "order line") }
            case .activities(let r):
                for a in r {
                    check("user", a.ownerID.rawValue, "activity"); check("account", a.accountID?.rawValue, "activity")
                    check("deal", a.dealID?.rawValue, "activity"); check("lead", a.leadID?.rawValue, "activity")
                    check("contact", a.contactID?.rawValue, "activity")
                }
            default: break
            }
        }
        #expect(seen["order", default: []].count > 100)
    }

    @Test func historyStaysWithinThreeYearsUpToTheDay() async throws {
        let (_, sink) = try await Self.generate()
        let zone = Self.options.timeZone
        let end = try LocalDate(iso: "2026-11-21").start(in: zone)
        let orders = sink.all { if case .orders(let r) = $0 { r } else { nil } }
        #expect(orders.allSatisfy { $0.orderedOn >= (try! LocalDate(iso: "2023-11-01")) && $0.orderedOn <= Self.options.asOf })
        #expect(orders.map(\.id) == orders.sorted { ($0.orderedOn, $0.id) < ($1.orderedOn, $1.id) }.map(\.id))
        let activities = sink.all { if case .activities(let r) = $0 { r } else { nil } }
        #expect(activities.allSatisfy { $0.occurredAt < end.addingTimeInterval(8 * 86_400) })
        #expect(activities.allSatisfy { $0.doneAt == nil || $0.doneAt! < end })
        let leads = sink.all { if case .leads(let r) = $0 { r } else { nil } }
        #expect(leads.allSatisfy { $0.firstResponseAt == nil || $0.firstResponseAt! >= $0.receivedAt })
        let deals = sink.all { if case .deals(let r) = $0 { r } else { nil } }
        #expect(deals.allSatisfy { $0.closedAt == nil || ($0.closedAt! >= $0.createdAt && $0.closedAt! < end) })
        #expect(deals.allSatisfy { ($0.status == .open) == ($0.closedAt == nil) })
    }

    @Test func sizesFollowTheScale() async throws {
        let (summary, _) = try await Self.generate()
        let lines = summary.counts["orderLines"] ?? 0
        #expect(abs(Double(lines) / Double(DemoScale.tiny.orderLines) - 1) < 0.3, "order lines: \(lines)")
        #expect(summary.counts["accounts"] == DemoScale.tiny.accounts)
        #expect(summary.counts["products"] == DemoScale.tiny.products)
        let deals = summary.counts["deals"] ?? 0
        #expect(abs(Double(deals) / Double(DemoScale.tiny.deals) - 1) < 0.3, "deals: \(deals)")
    }

    @Test func revenueIsLongTailedAndCustomersMove() async throws {
        let (summary, sink) = try await Self.generate(DemoOptions(scale: .tiny, seed: 3, asOf: Self.options.asOf))
        let orders: [Order] = sink.all { if case .orders(let r) = $0 { r } else { nil } }.filter { $0.status != .cancelled }
        var byAccount: [Account.ID: Int64] = [:]
        for order in orders { byAccount[order.accountID, default: 0] += order.totalBaseMinor }
        let sorted = byAccount.values.sorted(by: >)
        let total = sorted.reduce(0, +)
        #expect(total == summary.revenueBaseMinor)
        let topFifth = sorted.prefix(max(1, sorted.count / 5)).reduce(0, +)
        #expect(Double(topFifth) / Double(total) > 0.5, "top 20 % of customers carry more than half the revenue")
        // Customers appear and churn: some buy only in the last year, some only in the first.
        let firstYearEnd = try LocalDate(iso: "2024-11-01"), lastYearStart = try LocalDate(iso: "2025-11-20")
        var first: Set<Account.ID> = [], last: Set<Account.ID> = []
        for order in orders {
            if order.orderedOn < firstYearEnd { first.insert(order.accountID) }
            if order.orderedOn >= lastYearStart { last.insert(order.accountID) }
        }
        #expect(!last.subtracting(first).isEmpty)
        #expect(!first.subtracting(last).isEmpty)
    }

    @Test func pipelinesEndInWinsLossesAndOpenDeals() async throws {
        let (_, sink) = try await Self.generate()
        let deals = sink.all { if case .deals(let r) = $0 { r } else { nil } }
        let won = deals.filter { $0.status == .won }.count, lost = deals.filter { $0.status == .lost }.count
        #expect(won > 0 && lost > 0 && deals.contains { $0.status == .open })
        #expect(deals.filter { $0.status == .lost }.allSatisfy { $0.lossReason != nil })
        let history = sink.all { if case .stageChanges(let r) = $0 { r } else { nil } }
        let byDeal = Dictionary(grouping: history, by: \.dealID)
        #expect(deals.allSatisfy { byDeal[$0.id]?.last?.stageID == $0.stageID })
        // Won deals became orders.
        let orders = sink.all { if case .orders(let r) = $0 { r } else { nil } }
        #expect(Set(orders.compactMap(\.dealID)).count > won / 2)
    }

    @Test func callsIncludeMissedAndCalledBack() async throws {
        let (_, sink) = try await Self.generate()
        let calls = sink.all { if case .activities(let r) = $0 { r } else { nil } }.compactMap(\.call)
        #expect(calls.contains { $0.direction == .inbound && $0.disposition == .missed })
        #expect(calls.contains { $0.direction == .outbound && $0.disposition == .answered && $0.talkSeconds > 0 })
        #expect(calls.filter { $0.disposition == .missed }.allSatisfy { $0.talkSeconds == 0 })
        #expect(calls.allSatisfy { $0.externalNumber == nil || $0.externalNumber!.hasPrefix("+") })
    }

    @Test func scaleNamesAreCheckedWithAClearError() throws {
        #expect(try DemoScale.named("m") == .m)
        #expect(throws: ValueError.invalid(field: "scale", reason: "expected S, M or L, got 'XL'")) { try DemoScale.named("XL") }
    }
}
