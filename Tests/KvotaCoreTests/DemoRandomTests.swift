import Testing
@testable import KvotaCore

@Suite struct DemoRandomTests {
    @Test func streamsAreReproducibleAndIndependent() {
        var a = DemoRandom(seed: 1, stream: "orders"), b = DemoRandom(seed: 1, stream: "orders")
        var c = DemoRandom(seed: 1, stream: "calls")
        let x = (0..<5).map { _ in a.next() }
        #expect(x == (0..<5).map { _ in b.next() })
        #expect(x != (0..<5).map { _ in c.next() })
    }

    @Test func distributionsHaveTheirMeans() {
        var r = DemoRandom(seed: 42)
        let n = 20_000
        let units = (0..<n).map { _ in r.unit() }
        #expect(units.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(units.reduce(0, +) / Double(n) - 0.5) < 0.01)
        for mean in [0.3, 4.0, 120.0] {
            let sample = (0..<n).map { _ in Double(r.poisson(mean)) }
            #expect(abs(sample.reduce(0, +) / Double(n) - mean) < mean * 0.05 + 0.02, "poisson \(mean)")
        }
        let ints = (0..<n).map { _ in r.int(3...5) }
        #expect(Set(ints) == [3, 4, 5])
        let picker = WeightedPicker(weights: [1, 0, 3])
        let picks = (0..<n).map { _ in picker.pick(&r) }
        #expect(!picks.contains(1))
        #expect(abs(Double(picks.filter { $0 == 2 }.count) / Double(n) - 0.75) < 0.02)
    }
}
