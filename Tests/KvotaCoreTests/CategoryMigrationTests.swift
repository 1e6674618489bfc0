import Testing
@testable import KvotaCore

/// Customer category migration on a hand-checked pair of windows (METRICS.md "Customer category migration").
struct CategoryMigrationTests {
    @Test func movesBetweenClassesAndToNoClass() {
        // P1 (total 1 000): 1 → A (0 % before), 2 → A (50 %), 3 → B (80 %), 4 → C (95 %).
        // P2 (total 1 000): 3 → A (0 %), 5 → A (60 %), 1 → B (90 %); 2 and 4 bought nothing.
        let migration = CategoryMigration(p1: [(1, 500), (2, 300), (3, 150), (4, 50)], p2: [(1, 100), (3, 600), (5, 300)])
        let moves = Dictionary(uniqueKeysWithValues: migration.customers.map { ($0.id, ($0.from, $0.to)) })
        #expect(moves[1]! == (.a, .b) && moves[2]! == (.a, .none) && moves[3]! == (.b, .a) && moves[4]! == (.c, .none) && moves[5]! == (.none, .a))
        #expect(migration.customers.map(\.id) == [1, 2, 3, 4, 5], "in id order")
        #expect(migration.customers.sorted(by: CategoryMigration.ranking).map(\.id) == [3, 5, 1, 2, 4], "by P2 revenue, then P1")
        #expect(migration.customers.filter(\.isDowngrade).map(\.id).sorted() == [1, 2, 4], "A→B and both lost")
        #expect(migration.customers.filter(\.isUpgrade).map(\.id) == [3])
        #expect(migration.customers.filter(\.isNewcomer).map(\.id) == [5] && migration.customers.filter(\.isLost).count == 2)
        let shuffled = CategoryMigration(p1: [(3, 150), (1, 500), (4, 50), (2, 300)], p2: [(5, 300), (1, 100), (3, 600)])
        #expect(shuffled.customers == migration.customers, "windows in any order")
        let matrix = CategoryMigration.matrix(of: migration.customers)
        #expect(matrix[.a]![.b]! == CategoryMigration.Cell(customers: 1, p2Value: 100))
        #expect(matrix[.b]![.a]! == CategoryMigration.Cell(customers: 1, p2Value: 600))
        #expect(matrix[.none]![.a]! == CategoryMigration.Cell(customers: 1, p2Value: 300))
        #expect(matrix[.a]![.none]!.customers == 1 && matrix[.c]![.none]!.customers == 1 && matrix[.a]![.a]!.customers == 0)
        #expect(matrix.values.flatMap(\.values).reduce(0) { $0 + $1.customers } == 5)
    }
}
