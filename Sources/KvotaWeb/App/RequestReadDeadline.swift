import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request has not arrived whole `limit` after its head: a client that sends a body a
/// byte at a time (a slow POST) would otherwise hold the connection, and the task reading the body, for as long as
/// it liked, since every part it sends counts as activity for the idle timeout. A head sent slowly needs nothing
/// more: no part of a request reaches the server until its head is whole, so the idle time runs out
/// (`ConnectionLimitsTests` checks both on a real socket).
///
/// Written by hand: Hummingbird's connection handler knows only the idle time, and NIO offers no deadline per request.
final class RequestReadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let limit: TimeAmount
    private var deadline: Scheduled<Void>?

    init(limit: TimeAmount) { self.limit = limit }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: limit) { channel.close(promise: nil) }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }
}
