import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// The stage outcomes a stage's odds are read from stay equal to the closed deals' stage history through every kind
/// of deal change: a demo load, a deal made won, an open deal won, a won deal lost, a closed deal reopened, a closing
/// day changed by import, and a closed deal deleted; the odds read from them equal a count over the deals themselves.
@Suite struct StageOutcomesTests {
    static let options = DemoOptions(scale: .tiny, seed: 7, asOf: try! LocalDate(iso: "2026-11-20"))

    /// The roll-up is exact, and the year's odds it gives equal the deals' own count.
    static func expectExact(_ database: Database, _ step: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let check = try #require(try await database.checkRollups().first { $0.table == "stage_outcomes" })
        #expect(check.exact && check.rows > 0, "\(step): \(check.missing) missing and \(check.extra) extra rows", sourceLocation: sourceLocation)
        let window = try DateWindow(from: LocalDate(iso: "2025-11-21"), through: LocalDate(iso: "2026-11-20"))
        let counted = try await database.read { sql in
            var counts: [Int64: [Int]] = [:]
            for row in try await sql.raw("""
                SELECT h.stage_id, COUNT(DISTINCT d.id) AS closed, COUNT(DISTINCT CASE WHEN d.status = 'won' THEN d.id END) AS won
                FROM deals d JOIN deal_stage_history h ON h.deal_id = d.id
                WHERE d.status IN ('won', 'lost') AND d.closed_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
                GROUP BY h.stage_id
                """).all() {
                counts[try row.decode(column: "stage_id", as: Int64.self)] = [try row.decode(column: "closed", as: Int.self),
                                                                             try row.decode(column: "won", as: Int.self)]
            }
            return counts
        }
        let read = try await database.stageHistories(closedIn: window)
        #expect(Dictionary(uniqueKeysWithValues: read.map { ($0.key.rawValue, [$0.value.closed, $0.value.won]) }) == counted,
                "\(step): the odds' counts", sourceLocation: sourceLocation)
    }

    @Test(arguments: TestDatabase.engines)
    func everyDealChangeKeepsTheStageOutcomesExact(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            _ = try await DemoLoader.load(Self.options, into: database)
            try await Self.expectExact(database, "after the demo load")

            let admin = try #require(try await database.users().first { $0.role == .admin })
            let actor = try #require(try await database.signedInUser(admin.id)).1
            let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18
            let (pipeline, stages) = try #require(try await database.pipelines(for: actor).first)
            let open = stages.filter { $0.outcome == .open }, won = try #require(stages.first { $0.outcome == .won })
            let lost = try #require(stages.first { $0.outcome == .lost })
            let (account, reason) = try await database.read { sql in
                (try await sql.raw("SELECT id, name FROM accounts ORDER BY id LIMIT 1").first()!,
                 try await sql.raw("SELECT name FROM loss_reasons WHERE applies_to = 'deal' ORDER BY position LIMIT 1").first()!
                    .decode(column: "name", as: String.self))
            }
            let accountID = Account.ID(try account.decode(column: "id", as: Int64.self))
            var patch = try DealPatch.fixture("Made won", account: accountID, pipeline: pipeline.id, stage: won.id, owner: admin.id,
                                              amountMinor: 100_000)
            let madeWon = try await database.addDeal(patch, by: actor, at: now)
            try await Self.expectExact(database, "a deal made won")

            patch.title = "Worked"
            patch.stageID = open[0].id
            let worked = try await database.addDeal(patch, by: actor, at: now)
            for stage in open.dropFirst().prefix(2) {
                var move = DealPatch()
                move.stageID = stage.id
                _ = try await database.updateDeal(worked.id, move, expectedVersion: nil, by: actor, at: now)
            }
            var win = DealPatch()
            win.stageID = won.id
            let workedWon = try await database.updateDeal(worked.id, win, expectedVersion: nil, by: actor, at: now)
            try await Self.expectExact(database, "an open deal won after three stages")

            var lose = DealPatch()
            lose.stageID = lost.id
            lose.lossReason = .some(reason)
            let workedLost = try await database.updateDeal(worked.id, lose, expectedVersion: workedWon.version, by: actor, at: now)
            try await Self.expectExact(database, "a won deal lost")

            var reopen = DealPatch()
            reopen.stageID = open[1].id
            _ = try await database.updateDeal(worked.id, reopen, expectedVersion: workedLost.version, by: actor, at: now)
            try await Self.expectExact(database, "a closed deal reopened")

            let name = try account.decode(column: "name", as: String.self)
            for closed in ["2026-02-03", "2025-06-30"] {
                let file = """
                    external_id,title,account,stage,amount,currency,expected_close,owner,closed
                    X-1,Imported,"\(name)",\(won.name),500,EUR,2026-11-30,\(admin.email),\(closed)
                    """
                let report = try await Importer.run(kind: "deals", file: Data(file.utf8), dryRun: false, into: database, by: actor, at: now)
                #expect(report.written, "\(report.problems)")
                try await Self.expectExact(database, "imported closed on \(closed)")
            }

            var lostDraft = try DealPatch.fixture("Lost at once", account: accountID, pipeline: pipeline.id, stage: lost.id, owner: admin.id,
                                                  amountMinor: 1_000)
            lostDraft.lossReason = .some(reason)
            let lostAtOnce = try await database.addDeal(lostDraft, by: actor, at: now)
            try await Self.expectExact(database, "a deal made lost")
            try await database.deleteDeal(lostAtOnce.id, expectedVersion: nil, by: actor, at: now)
            try await Self.expectExact(database, "a lost deal deleted")
            #expect(madeWon.status == .won)

            // A difference is reported, and a rebuild mends it.
            try await database.write { sql in
                try await sql.raw("UPDATE stage_outcomes SET won = won + 1 WHERE day = (SELECT MAX(day) FROM stage_outcomes)").run()
            }
            let broken = try #require(try await database.checkRollups().first { $0.table == "stage_outcomes" })
            #expect(broken.missing >= 1 && broken.extra >= 1)
            try await database.rebuildRollups()
            try await Self.expectExact(database, "rebuilt")
        }
    }
}
