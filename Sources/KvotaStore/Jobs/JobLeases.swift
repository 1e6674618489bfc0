import Foundation
import KvotaCore
import SQLKit

/// Who holds a job that runs on one server at a time (migration 52), read for the tests and for an operator.
public struct JobLease: Sendable, Equatable {
    public let job: String
    public let holder: String
    public let heldUntil: Date

    public init(job: String, holder: String, heldUntil: Date) { self.job = job; self.holder = holder; self.heldUntil = heldUntil }
}

extension Database {
    /// Takes the job's lease for `holder` until `until`, or renews it when `holder` has it already; answers whether it
    /// did. A lease another server holds is taken only once it has run out at `now`. One statement, so of two servers
    /// that ask at once exactly one gets it.
    public func holdLease(_ job: String, holder: String, until: Date, at now: Date) async throws -> Bool {
        try await write { sql in
            try await sql.raw("""
                INSERT INTO job_leases (job, holder, held_until) VALUES (\(bind: job), \(bind: holder), \(bind: until.epochMilliseconds))
                ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, held_until = excluded.held_until
                WHERE job_leases.holder = excluded.holder OR job_leases.held_until <= \(bind: now.epochMilliseconds)
                RETURNING holder
                """).first() != nil
        }
    }

    /// Gives the lease up (the server is stopping), so another takes it at its next try instead of when it runs out.
    public func releaseLease(_ job: String, holder: String) async throws {
        try await write { sql in
            try await sql.raw("DELETE FROM job_leases WHERE job = \(bind: job) AND holder = \(bind: holder)").run()
        }
    }

    public func jobLeases() async throws -> [JobLease] {
        try await read { sql in
            try await sql.raw("SELECT job, holder, held_until FROM job_leases ORDER BY job").all().map {
                JobLease(job: try $0.decode(column: "job", as: String.self), holder: try $0.decode(column: "holder", as: String.self),
                         heldUntil: Date(epochMilliseconds: try $0.decode(column: "held_until", as: Int64.self)))
            }
        }
    }
}
