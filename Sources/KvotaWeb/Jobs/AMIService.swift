import Foundation
import KvotaCore
import KvotaStore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The AMI client inside the server (issue 9): signs in to the PBX, reads its events, and records each call when its
/// last channel hangs up. When the connection drops or cannot be made it tries again, waiting twice as long each
/// time up to a minute; the web app never waits for it. Calls are keyed by the PBX's ids, so events read twice after
/// a reconnect do not make a call twice.
struct AMIService: Service {
    let endpoint: AMIEndpoint
    let database: Database
    let now: @Sendable () -> Date
    let logger: Logger
    /// The first wait before trying again (tests shorten it).
    var firstRetry: Duration = .seconds(1)

    enum Failure: Error, CustomStringConvertible {
        case signIn(String)
        var description: String {
            switch self {
            case .signIn(let message): "the PBX refused the sign-in: \(message)"
            }
        }
    }

    func run() async throws {
        var wait = firstRetry
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // The PBX ended a session it had let run: try again soon, not after the last failure's wait. One that
                // closed before accepting the sign-in keeps backing off.
                if try await cancelWhenGracefulShutdown({ try await session() }) { wait = firstRetry }
                logger.warning("the PBX closed the AMI connection", metadata: ["host": "\(endpoint.host)"])
            } catch is CancellationError {
                return
            } catch {
                logger.error("AMI connection failed", metadata: ["host": "\(endpoint.host)", "error": "\(error)", "retry": "\(wait)"])
            }
            let pause = wait
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            wait = min(wait * 2, .seconds(60))
        }
    }

    /// One connection: sign in, then read until the PBX closes it. Answers whether the PBX accepted the sign-in.
    private func session() async throws -> Bool {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            let login = AMIMessage([("Action", "Login"), ("ActionID", "kvota-login"), ("Username", endpoint.user), ("Secret", endpoint.secret),
                                    ("Events", "on")])
            try await outbound.write(ByteBuffer(string: login.wire))
            var parser = AMIStreamParser(), assembler = AMICallAssembler()
            var accepted = false
            for try await buffer in inbound {
                for message in parser.feed(buffer.readableBytesView) {
                    if !accepted {
                        guard let response = message["Response"] else { continue }
                        guard response == "Success" else { throw Failure.signIn(message["Message"] ?? response) }
                        accepted = true
                        logger.info("signed in to the PBX", metadata: ["host": "\(endpoint.host)", "banner": "\(parser.banner ?? "")"])
                        continue
                    }
                    let calls = assembler.take(message)
                    guard !calls.isEmpty else { continue }
                    do {
                        _ = try await database.recordCalls(calls, source: "asterisk", at: now())
                    } catch {
                        // One call that cannot be written must not stop the others; the CDR file can bring it in later.
                        logger.error("a call from the PBX was not recorded", metadata: ["calls": "\(calls.map(\.id))", "error": "\(error)"])
                    }
                }
            }
            return accepted
        }
    }
}
