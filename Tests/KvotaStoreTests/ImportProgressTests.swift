import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import KvotaTestSupport
import Testing

/// The progress a background import shows: its steps and rows as the import's own loops count them.
@Suite struct ImportProgressTests {
    @Test(arguments: TestDatabase.engines)
    func aPresetsStepsAndRowsAreCountedUpToTheCommit(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await OneCSalesImportTests.setUp(database)
            let meter = ImportProgressMeter()
            let report = try await ImportProgressMeter.$current.withValue(meter) {
                try await OneCSalesImportTests.run(try OrderImportTests.example("1c-sales.csv"), database, actor)
            }
            #expect(report.written)
            let progress = meter.progress
            // The report's customers and products Kvota lacks come first (one step each), then its orders.
            #expect(progress.stage == .committing && progress.kind == "orders" && progress.stepsDone == 3 && progress.stepsTotal == 3)
            #expect(progress.rowsDone == progress.rowsTotal && progress.rowsTotal > 0 && progress.fraction == 0.95)

            // Without a meter (an import in a request) nothing is counted anywhere.
            let untouched = ImportProgressMeter()
            _ = try await OneCSalesImportTests.run(try OrderImportTests.example("1c-sales.csv"), database, actor)
            #expect(untouched.progress == ImportProgress())
        }
    }

    @Test func theFractionGrowsWithTheRows() {
        var progress = ImportProgress()
        #expect(progress.fraction == 0)
        progress.stage = .importing
        progress.rowsTotal = 200
        progress.rowsDone = 100
        #expect(progress.fraction == 0.5)
        progress.stage = .finished
        #expect(progress.fraction == 1)
    }
}
