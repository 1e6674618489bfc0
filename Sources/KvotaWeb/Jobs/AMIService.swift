import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import Logging
import Metrics
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The AMI client inside the server (issue 9): signs in to the PBX, reads its events, and records each call when its
/// last channel hangs up. When the connection drops or cannot be made it tries again, waiting twice as long each
/// time up to a minute; the web app never waits for it. After each sign-in it reconciles from the PBX's CDR file
/// when it has one, so calls that ended during a drop are not lost. Calls are keyed by the PBX's ids, so events read
/// twice after a reconnect, or a call in both the stream and the file, do not make a call twice.
///
/// When several servers share the database each connects, so click to call works on every one, but only the holder
/// of the PBX's lease (`JobLeaseKeeper`) asks for the events and records calls; the others sign in with events off.
/// A server that takes or loses the lease signs in again in its new role.
struct AMIService: Service {
    /// The lease of the PBX's events.
    static let lease = "pbx_events"

    let endpoint: AMIEndpoint
    let database: Database
    let now: @Sendable () -> Date
    let logger: Logger
    /// Where click to call sends its actions while the connection is signed in.
    var actions = AMIActions()
    /// The first wait before trying again (tests shorten it).
    var firstRetry: Duration = .seconds(1)
    /// Set when several servers may share the database; nil records every call this connection reads.
    var leases: JobLeaseKeeper?

    /// How a connection ended, when it ended without an error.
    enum SessionEnd {
        /// The PBX closed it before accepting the sign-in.
        case beforeSignIn
        /// The PBX closed it after a sign-in it accepted.
        case byPBX
        /// This server took or lost the lease of the events, and signs in again in its new role.
        case leaseChanged
    }

    enum Failure: Error, CustomStringConvertible {
        case signIn(String)
        var description: String {
            switch self {
            case .signIn(let message): "the PBX refused the sign-in: \(message)"
            }
        }
    }

    /// 1 while the PBX has accepted the sign-in and the connection is open, else 0 (`GET /metrics`).
    private var connected: Gauge { Gauge(label: "kvota.ami.connected", dimensions: [("pbx", "\(endpoint.host):\(endpoint.port)")]) }

    func run() async throws {
        let connected = connected
        connected.record(0)
        defer { connected.record(0) }
        var wait = firstRetry
        // Kept across connections: a call that began before a drop and ends after it is still one call.
        let state = StreamState()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // The PBX ended a session it had let run: try again soon, not after the last failure's wait. One that
                // closed before accepting the sign-in keeps backing off.
                switch try await cancelWhenGracefulShutdown({ try await session(state) }) {
                case .leaseChanged:
                    wait = firstRetry
                    continue
                case .byPBX:
                    wait = firstRetry
                case .beforeSignIn:
                    break
                }
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

    /// One connection: sign in, then read until the PBX closes it or this server's role changes.
    private func session(_ state: StreamState) async throws -> SessionEnd {
        let recording = await leases?.take(Self.lease) ?? true
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        // Whatever ends the connection ends the actions waiting on it, before a new connection attaches.
        do {
            let end = try await read(channel, state, recording: recording)
            connected.record(0)
            await actions.detach()
            return end
        } catch {
            connected.record(0)
            await actions.detach()
            throw error
        }
    }

    private func read(_ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, _ state: StreamState, recording: Bool) async throws -> SessionEnd {
        try await channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: SessionEnd.self) { group in
                group.addTask { try await follow(inbound, outbound, state, recording: recording) }
                if let leases {
                    group.addTask {
                        while leases.holds(Self.lease) == recording { try await Task.sleep(for: .seconds(1)) }
                        return .leaseChanged
                    }
                }
                // The first to end ends the other; an error the cancelled one throws then is of no interest.
                let end = try await group.next()!
                group.cancelAll()
                return end
            }
        }
    }

    private func follow(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
                        _ state: StreamState, recording: Bool) async throws -> SessionEnd {
        let login = AMIMessage([("Action", "Login"), ("ActionID", "kvota-login"), ("Username", endpoint.user), ("Secret", endpoint.secret),
                                ("Events", recording ? "on" : "off")])
        try await outbound.write(ByteBuffer(string: login.wire))
        var parser = AMIStreamParser()
        var accepted = false
        for try await buffer in inbound {
            for message in parser.feed(buffer.readableBytesView) {
                if !accepted {
                    guard let response = message["Response"] else { continue }
                    guard response == "Success" else { throw Failure.signIn(message["Message"] ?? response) }
                    accepted = true
                    logger.info("signed in to the PBX", metadata: ["host": "\(endpoint.host)", "banner": "\(parser.banner ?? "")",
                                                                   "events": "\(recording ? "on" : "off, another server records them")"])
                    if recording { await reconcile(state) }
                    await actions.attach(outbound)
                    connected.record(1)
                    continue
                }
                if await actions.deliver(message) { continue }
                // A PBX that sends events to a session that asked for none must not make this server record them.
                guard recording else { continue }
                await record(state.locked { $0.assembler.take(message) })
            }
        }
        return accepted ? .byPBX : .beforeSignIn
    }

    private func record(_ calls: [PBXCall]) async {
        guard !calls.isEmpty else { return }
        do {
            _ = try await database.recordCalls(calls, source: "asterisk", at: now())
        } catch {
            // One call that cannot be written must not stop the others; the CDR file can bring it in later.
            logger.error("a call from the PBX was not recorded", metadata: ["calls": "\(calls.map(\.id))", "error": "\(error)"])
        }
    }

    /// After a sign-in, the calls that ended while Kvota was not listening (the PBX restarted, the network dropped,
    /// the server was down) come from the CDR file: those that began from an hour before the last call Kvota has
    /// from this PBX (or before the first sign-in of this run). Calls known already change nothing; calls the stream
    /// had begun but whose ends fell into the gap are dropped from the assembler, the file having them whole.
    private func reconcile(_ state: StreamState) async {
        // A call open for half a day by the PBX's own clock (a replayed or delayed stream is no reason) is a call whose
        // hang-up was lost: drop it, file or no file, so they do not pile up.
        let cutoff = state.locked { $0.assembler.latestEvent }.map { $0.addingTimeInterval(-12 * 3_600) } ?? .distantPast
        let firstSignIn = state.locked { state in
            state.assembler.forget(startedBefore: cutoff)
            defer { if state.firstSignIn == nil { state.firstSignIn = now() } }
            return state.firstSignIn
        }
        guard let path = endpoint.cdrFile else { return }
        do {
            guard let last = try await database.lastPBXCallStart(source: "asterisk") ?? firstSignIn else { return }
            let since = last.addingTimeInterval(-3_600)
            var zone = endpoint.cdrZone
            if zone == nil { zone = try await database.companyTimeZone() }
            let data = try await NIOThreadPool.singleton.runIfActive { try Data(contentsOf: URL(fileURLWithPath: path)) }
            var records: [AsteriskCDR.Record] = [], bad = 0
            for (_, values) in try ImportTable.read(data, hasHeader: false).rows {
                do throws(ValidationFailure) {
                    let record = try AsteriskCDR.record(values, zone: zone!)
                    if record.start >= since { records.append(record) }
                } catch {
                    bad += 1
                }
            }
            let calls = AsteriskCDR.calls(records)
            let ended = Set(calls.map(\.id))
            _ = state.locked { $0.assembler.forget(startedBefore: cutoff, orIn: ended) }
            let recorded = try await database.recordCalls(calls, source: "asterisk", at: now())
            logger.info("reconciled calls from the CDR file", metadata: [
                "file": "\(path)", "since": "\(since)", "calls": "\(calls.count)", "new": "\(recorded.filter(\.isNew).count)", "badRows": "\(bad)"])
        } catch {
            logger.error("the CDR file could not be reconciled", metadata: ["file": "\(path)", "error": "\(error)"])
        }
    }
}

/// What the client keeps from one connection to the next: the calls under way, and when it first signed in.
final class StreamState: Sendable {
    struct Values {
        var assembler = AMICallAssembler()
        var firstSignIn: Date?
    }

    private let values = Mutex(Values())

    func locked<T>(_ body: (inout Values) -> T) -> T { values.withLock { body(&$0) } }
}
