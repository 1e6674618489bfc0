import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing
@testable import KvotaWeb

/// Sign-in tells nobody who has an account: an unknown email gets the answer a wrong password gets (tested in
/// TokenSignInTests and BrowserSignInTests) and takes as long, since the password is checked against a decoy hash of
/// the same work factor. Without the decoy an unknown email answers in milliseconds and a known one in a quarter of a
/// second, which anyone can tell apart.
@Suite struct SignInTimingTests {
    @Test func theDecoyHashCostsWhatARealOneDoes() {
        let parts = SignInCheck.decoyHash.split(separator: "$")
        #expect(parts.count == 3 && parts[1] == "\(Passwords.cost)", "bcrypt's $version$cost$salt-and-hash")
        #expect(!Passwords.verify("decoy-password-never-matches-not", hash: SignInCheck.decoyHash))
    }

    @Test(arguments: TestDatabase.engines)
    func anUnknownEmailTakesAsLongAsAWrongPassword(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            // The fixture's people have cheap hashes to keep the tests fast; this one's is as `kvota user add` makes it.
            let real = try await org.database.addUser(UserDraft(name: "Real", email: "real@example.com", role: .rep, teamID: org.teamA.id),
                                                      passwordHash: try Passwords.hash("a-real-password-1"), by: nil, at: org.clock.now)
            var wrong: [Double] = []
            var unknown: [Double] = []
            // Four of each, in turn, under the per-account limit of five failures.
            for round in 0..<4 {
                wrong.append(try await Self.seconds(client, email: real.email, password: "not-the-password-\(round)"))
                unknown.append(try await Self.seconds(client, email: "nobody-\(round)@example.com", password: "not-the-password-\(round)"))
            }
            let known = try #require(FunnelAnalysis.median(wrong)), guessed = try #require(FunnelAnalysis.median(unknown))
            #expect(known > 0.05, "a real hash takes time to check (\(known) s)")
            #expect(guessed > 0.4 * known && guessed < 2.5 * known,
                    "an unknown email took \(guessed) s against \(known) s for a wrong password")
        }
    }

    static func seconds(_ client: some TestClientProtocol, email: String, password: String) async throws -> Double {
        let start = ContinuousClock.now
        let answer = try await client.post("/api/v1/auth/token", json: ["email": email, "password": password])
        let elapsed = start.duration(to: .now)
        #expect(answer.status == .unauthorized, "\(email)")
        return elapsed.seconds
    }
}
