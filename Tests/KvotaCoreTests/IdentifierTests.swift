import Foundation
import Testing
@testable import KvotaCore

@Suite struct IdentifierTests {
    @Test func idsEncodeAsPlainIntegersAndOrderByValue() throws {
        let ids = [Deal.ID(3), Deal.ID(1), Deal.ID(2)]
        #expect(ids.sorted().map(\.rawValue) == [1, 2, 3])
        let data = try JSONEncoder().encode(["id": Deal.ID(42)])
        #expect(String(decoding: data, as: UTF8.self) == #"{"id":42}"#)
        #expect(try JSONDecoder().decode([String: Account.ID].self, from: data)["id"] == Account.ID(42))
    }
}
