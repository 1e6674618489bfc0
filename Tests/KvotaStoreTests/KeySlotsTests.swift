@testable import KvotaStore
import Testing

/// Slots for keys as they come, over a flat table when the keys are dense and a dictionary when they are not.
struct KeySlotsTests {
    @Test(arguments: [(-3, 9), (-3, 1 << 40)])
    func slotsInArrivalOrderAndKeysInKeyOrder(lowest: Int64, highest: Int64) {
        // Dense keys (a table of 13) and the same with one far key (a dictionary): the answers must not differ.
        var slots = KeySlots(lowest: lowest, highest: highest, expected: 6)
        let arrivals: [Int64] = [5, -3, 5, 9, 0, highest, -3]
        let given = arrivals.map { slots.slot(of: $0) }
        #expect(given.map(\.slot) == [0, 1, 0, 2, 3, highest == 9 ? 2 : 4, 1])
        #expect(given.map(\.new) == [true, true, false, true, true, highest != 9, false])
        #expect(slots.count == (highest == 9 ? 4 : 5))
        #expect(slots.inKeyOrder().map(\.key) == (highest == 9 ? [-3, 0, 5, 9] : [-3, 0, 5, 9, highest]))
        #expect(slots.inKeyOrder().map(\.slot) == (highest == 9 ? [1, 3, 0, 2] : [1, 3, 0, 2, 4]))
        #expect(slots[5] == 0 && slots[1] == nil && slots[-4] == nil && slots[Int64.max] == nil && slots[Int64.min] == nil)
    }

    @Test func rowsByIDKeepTheFirstRowOfAKey() {
        let rows = KeySlots([40, 41, 43, 41])
        #expect(rows[40] == 0 && rows[41] == 1 && rows[43] == 2 && rows[42] == nil && rows.count == 3)
        let none = KeySlots([])
        #expect(none[0] == nil && none.inKeyOrder().isEmpty)
    }
}
