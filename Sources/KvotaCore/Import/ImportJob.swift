import Foundation

/// An import run in the background (issue 11; docs/import.md, "In the background"): the file waits in the database
/// until a server's import round takes it, so a restart loses nothing; the import itself is still one transaction.
public struct ImportJob: Hashable, Sendable {
    public typealias ID = Identifier<ImportJob>

    public enum Status: String, CaseIterable, Sendable, Codable {
        case queued
        case running
        /// The import ran to its end: written, or refused with its problems (then nothing was written).
        case done
        /// The import could not run at all (a file Kvota cannot read); `error` says why.
        case failed
    }

    public var id: ID
    public var kind: String
    public var format: String
    public var mapping: [String: String]
    public var dryRun: Bool
    public var fileBytes: Int
    public var status: Status
    public var progress: ImportProgress
    public var report: ImportReport?
    public var error: String?
    /// How many times a server took it: more than one means a server stopped while running it, and the next one ran
    /// it again from the start (the stopped one's transaction had rolled back).
    public var attempts: Int
    public var createdBy: User.ID
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(id: ID, kind: String, format: String, mapping: [String: String], dryRun: Bool, fileBytes: Int, status: Status,
                progress: ImportProgress, report: ImportReport?, error: String?, attempts: Int, createdBy: User.ID, createdAt: Date,
                startedAt: Date?, finishedAt: Date?) {
        self.id = id; self.kind = kind; self.format = format; self.mapping = mapping; self.dryRun = dryRun; self.fileBytes = fileBytes
        self.status = status; self.progress = progress; self.report = report; self.error = error; self.attempts = attempts
        self.createdBy = createdBy; self.createdAt = createdAt; self.startedAt = startedAt; self.finishedAt = finishedAt
    }
}

/// How far an import has come: reading the file, then each kind's step (its rows as they are checked and written),
/// then the commit.
public struct ImportProgress: Hashable, Sendable, Codable {
    public enum Stage: String, CaseIterable, Sendable, Codable {
        case waiting, reading, importing, committing, finished
    }

    public var stage: Stage = .waiting
    /// The kind of the step running (a preset's file brings several: accounts, then contacts, then deals).
    public var kind: String?
    public var stepsDone = 0
    public var stepsTotal = 0
    public var rowsDone = 0
    public var rowsTotal = 0

    public init() {}

    /// A fraction from 0 to 1 for a progress bar: the rows, with reading and committing as a sliver either side.
    public var fraction: Double {
        switch stage {
        case .waiting, .reading: 0
        case .importing: rowsTotal > 0 ? 0.05 + 0.9 * Double(min(rowsDone, rowsTotal)) / Double(rowsTotal) : 0.05
        case .committing: 0.95
        case .finished: 1
        }
    }
}
