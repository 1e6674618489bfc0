import KvotaCore
@testable import KvotaStore
import Testing

/// A request's KPIs read each stretch's sales by customer once (`KPISalesReads`): the window's history and the stretch
/// before's own customers are one read, even when both ask at once; another stretch, other owners or another reader
/// are reads of their own. (That the KPIs come out the same is `KPIsAPITests` and `TeamsReadTogetherTests`.)
@Suite struct KPISalesReadsTests {
    /// How many times each window was read.
    actor Reads {
        var count: [DateWindow: Int] = [:]
        func read(_ window: DateWindow) -> Int { count[window, default: 0] += 1; return count[window]! }
    }

    @Test func aStretchAskedForTwiceAtOnceIsReadOnce() async throws {
        let memo = KPISalesReads(), reads = Reads()
        let week = try DateWindow(from: LocalDate(iso: "2026-11-24"), through: LocalDate(iso: "2026-11-30"))
        let before = try DateWindow(from: LocalDate(iso: "2026-11-17"), through: LocalDate(iso: "2026-11-23"))
        let director = Actor(userID: User.ID(1), role: .director, teamID: nil)
        let analyst = Actor(userID: User.ID(2), role: .analyst, teamID: nil)
        func ask(_ owners: KPIOwners, _ window: DateWindow, _ actor: Actor) async throws -> [KPISale] {
            try await memo.sales(KPISalesReads.Key(owners: owners, window: window, actor: actor)) {
                // Slow enough for the other ask to come while this one is under way.
                try await Task.sleep(for: .milliseconds(50))
                let n = await reads.read(window)
                return [KPISale(owner: 0, account: Int64(n), totals: SalesTotals(revenue: 100, cost: 0, quantityMilli: 0, orders: 1, lines: 1))]
            }
        }
        async let first = ask(.everyone, week, director)
        async let second = ask(.everyone, week, director)
        let (a, b) = try await (first, second)
        #expect(a.map(\.account) == [1] && b.map(\.account) == [1])
        #expect(await reads.count[week] == 1)

        // Asked again later: still the one read.
        #expect(try await ask(.everyone, week, director).map(\.account) == [1])
        #expect(await reads.count[week] == 1)

        // Another stretch, other owners, another reader: each read anew.
        _ = try await ask(.everyone, before, director)
        _ = try await ask(.each([User.ID(7)]), week, director)
        _ = try await ask(.everyone, week, analyst)
        #expect(await reads.count[before] == 1)
        #expect(await reads.count[week] == 3)
    }
}
