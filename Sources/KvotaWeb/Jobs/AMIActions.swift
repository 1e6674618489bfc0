import Foundation
import KvotaCore
import NIOCore

/// Actions sent to the PBX over the AMI client's live connection (click to call), each answered by the `Response`
/// that carries its ActionID. The client's read loop hands those answers over; while it is not signed in, sending
/// fails at once rather than waiting for a PBX that is not there.
actor AMIActions {
    enum Failure: Error, Equatable {
        case notConnected
        case noAnswer
    }

    private var writer: NIOAsyncChannelOutboundWriter<ByteBuffer>?
    private var pending: [String: CheckedContinuation<AMIMessage, any Error>] = [:]
    private var sent = 0

    var isConnected: Bool { writer != nil }

    /// The connection is signed in: actions may go.
    func attach(_ writer: NIOAsyncChannelOutboundWriter<ByteBuffer>) { self.writer = writer }

    /// The connection is gone: actions waiting for an answer will not get one.
    func detach() {
        writer = nil
        for continuation in pending.values { continuation.resume(throwing: Failure.notConnected) }
        pending = [:]
    }

    /// A fresh ActionID, unique for the life of the server.
    func nextID() -> String {
        sent += 1
        return "kvota-\(sent)"
    }

    /// Sends `action` (which carries its ActionID) and waits up to `timeout` for the PBX's answer to it.
    func send(_ action: AMIMessage, timeout: Duration = .seconds(5)) async throws -> AMIMessage {
        guard let writer, let id = action["ActionID"] else { throw Failure.notConnected }
        return try await withCheckedThrowingContinuation { continuation in
            pending[id] = continuation
            Task {
                do {
                    try await writer.write(ByteBuffer(string: action.wire))
                    try await Task.sleep(for: timeout)
                    self.settle(id, with: .failure(Failure.noAnswer))
                } catch {
                    self.settle(id, with: .failure(error))
                }
            }
        }
    }

    /// A `Response` from the PBX: the answer to one of ours, if its ActionID says so. Answers whether it was.
    @discardableResult
    func deliver(_ message: AMIMessage) -> Bool {
        guard message["Response"] != nil, let id = message["ActionID"], pending[id] != nil else { return false }
        settle(id, with: .success(message))
        return true
    }

    private func settle(_ id: String, with result: Result<AMIMessage, any Error>) {
        pending.removeValue(forKey: id)?.resume(with: result)
    }
}
