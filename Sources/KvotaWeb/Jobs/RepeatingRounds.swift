import Foundation
import Logging
import ServiceLifecycle

/// The loop of a job the server runs on its own (alert rounds, forecast snapshots): a round every `every` until the
/// server shuts down, the wait cut short by the shutdown. A round that fails is logged and the next one tries again;
/// such jobs are never worth stopping the server for.
enum RepeatingRounds {
    static func run(every: Duration, logger: Logger, failure: String, _ round: @Sendable () async throws -> Void) async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await round()
            } catch {
                // A round cut short by the shutdown did not fail: every job logged a CancellationError at each stop.
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                logger.error("\(failure)", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
        }
    }
}
