import Foundation
import KvotaCore
import Synchronization

/// The progress of the import running in this task, counted by the import's own loops. A background import sets one
/// (`ImportProgressMeter.$current`); an import in a request does not, and the counting costs nothing then.
public final class ImportProgressMeter: Sendable {
    @TaskLocal public static var current: ImportProgressMeter?

    private let state = Mutex(ImportProgress())

    public init() {}

    public var progress: ImportProgress { state.withLock { $0 } }

    public func update(_ change: (inout ImportProgress) -> Void) { state.withLock { change(&$0) } }

    static func rowDone() { current?.update { $0.rowsDone += 1 } }
}
