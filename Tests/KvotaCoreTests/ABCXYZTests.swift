import Testing
@testable import KvotaCore

/// ABC and XYZ classes on small hand-checked fixtures (METRICS.md "ABC analysis", "XYZ analysis").
struct ABCXYZTests {
    @Test func abcClassesByTheShareOfTheItemsBeforeEach() {
        // Positive total 1 000. Shares before each: 0, .5, .8, .9, .95 → A, A, B, B, C; 0 and a loss are C.
        let result = ABCAnalysis.classify([(5, 50), (1, 500), (7, -20), (3, 100), (4, 50), (2, 300), (6, 0)])
        #expect(result.rows.map(\.id) == [1, 2, 3, 4, 5, 6, 7], "by value, ties by id")
        #expect(result.rows.map(\.category) == [.a, .a, .b, .b, .c, .c, .c])
        #expect(result.rows.map(\.rank) == [1, 2, 3, 4, 5, 6, 7])
        #expect(result.rows.map(\.cumulativeShare) == [0.5, 0.8, 0.9, 0.95, 1, 1, 1])
        #expect(result.rows[0].share == 0.5 && result.rows[6].share == -0.02)
        #expect(result.total == 1_000)
        #expect(result.classes[.a] == ABCClassSummary(count: 2, value: 800, share: 0.8))
        #expect(result.classes[.b] == ABCClassSummary(count: 2, value: 150, share: 0.15))
        #expect(result.classes[.c] == ABCClassSummary(count: 3, value: 30, share: 0.03))
    }

    @Test func theItemThatCrossesABoundaryStaysInTheUpperClass() {
        let crossing = ABCAnalysis.classify([(1, 70), (2, 20), (3, 10)])
        #expect(crossing.rows.map(\.category) == [.a, .a, .b], "70 % before the second: it crosses 80 % and stays A")
        let other = ABCAnalysis.classify([(1, 70), (2, 20), (3, 10)], thresholds: ABCThresholds(a: 0.5, b: 0.75))
        #expect(other.rows.map(\.category) == [.a, .b, .c], "thresholds are settings")
        let empty = ABCAnalysis.classify([(1, 0), (2, -5)])
        #expect(empty.rows.map(\.category) == [.c, .c] && empty.total == 0)
    }

    @Test func classesInTheItemsOwnOrderAreTheRankedClasses() {
        // Ties on 50 (ids 4 and 5) straddle the 95 % line: id 4 is ranked first and stays B, id 5 is C.
        let items: [(id: Int64, value: Int64)] = [(5, 50), (1, 500), (7, -20), (3, 100), (4, 50), (2, 300), (6, 0)]
        #expect(ABCAnalysis.classes(of: items) == [.c, .a, .c, .b, .b, .a, .c])
        let ranked = Dictionary(uniqueKeysWithValues: ABCAnalysis.classify(items).rows.map { ($0.id, $0.category) })
        #expect(ABCAnalysis.classes(of: items) == items.map { ranked[$0.id]! })
        #expect(ABCAnalysis.classes(of: [(1, 70), (2, 20), (3, 10)], thresholds: ABCThresholds(a: 0.5, b: 0.75)) == [.a, .b, .c])
        #expect(ABCAnalysis.classes(of: []).isEmpty)
    }

    @Test func xyzClassesBySteadinessOfEveryMonthOfTheWindow() throws {
        let rows = try XYZAnalysis.classify([
            (1, [100, 100, 100, 100]),  // cv 0
            (2, [100, 120, 80, 100]),   // sd √200 ≈ 14.1, cv .141
            (3, [0, 0, 0, 400]),        // sd √30 000 ≈ 173, cv 1.73
            (4, []),                    // no sales: mean 0
            (5, [100, 100]),            // the last two months without sales: [100, 100, 0, 0], cv 1
        ], months: 4)
        #expect(rows.map(\.category) == [.x, .y, .z, .z, .z])
        #expect(rows[0].cv == 0 && abs(rows[1].cv! - 0.141_42) < 0.000_01 && rows[3].cv == nil && rows[4].cv == 1)
        #expect(rows[4].mean == 50)
        #expect(throws: ValidationFailure.self) { try XYZAnalysis.classify([(1, [1, 2])], months: 2) }
    }

    @Test func theMatrixCountsItemsAndValueSharesPerCell() throws {
        let abc = ABCAnalysis.classify([(1, 500), (2, 300), (3, 200)])
        let xyz = try XYZAnalysis.classify([(1, [10, 10, 10]), (2, [0, 0, 30]), (3, [10, 10, 10])], months: 3)
        let matrix = ABCXYZMatrix(abc: abc, xyz: xyz)
        #expect(matrix.cells[.a]?[.x] == .init(count: 1, share: 0.5))
        #expect(matrix.cells[.a]?[.z] == .init(count: 1, share: 0.3))
        #expect(matrix.cells[.b]?[.x] == .init(count: 1, share: 0.2))
        #expect(matrix.cells.values.flatMap(\.values).reduce(0) { $0 + $1.count } == 3, "nine cells, every item once")
    }
}
