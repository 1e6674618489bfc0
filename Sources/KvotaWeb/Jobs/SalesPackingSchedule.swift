import Foundation
import KvotaCore
import KvotaStore
import Logging
import ServiceLifecycle

/// Packs the ended months' sales per customer, segment, product and owner (`Database.packSalesMonths`, migrations 39,
/// 40, 42 and 50) inside the server: at its start, after a month ends, and again after an order changes an ended month
/// (which drops that month's packing). A month already packed is skipped, so a second server packs nothing twice; a
/// failed round is logged and the next one tries again. The current month is never packed: its next order would drop it.
struct SalesPackingSchedule: Service {
    /// The job's name in its metrics and its lease.
    static let job = "sales_packing"

    let database: Database
    let every: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    /// Set when the round runs on one server at a time (`JobLeaseKeeper`).
    var leases: JobLeaseKeeper?

    func run() async throws {
        await RepeatingRounds.run(Self.job, every: every, leases: leases, logger: logger, failure: "packing sales months failed") { [database, now, logger] in
            let packed = try await Self.pack(database, at: now())
            if packed > 0 { logger.info("sales months packed", metadata: ["months": "\(packed)"]) }
        }
    }

    /// Packs every ended month not packed yet, by the company's calendar; answers how many.
    @discardableResult
    static func pack(_ database: Database, at now: Date) async throws -> Int {
        let settings = try await database.companySettings()
        return try await database.packSalesMonths(before: LocalDate(now, in: settings.timeZone).monthKey)
    }
}
