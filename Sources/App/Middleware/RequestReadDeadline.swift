import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request (head to end of body) takes longer than `limit` to arrive. Hummingbird's idle
/// timeout is reset by every body chunk, so a client sending one byte every few seconds would otherwise hold the
/// connection, and the handler reading it, for as long as it likes.
final class RequestReadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let limit: TimeAmount
    private var deadline: Scheduled<Void>?

    init(limit: TimeAmount) {
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head:
            self.deadline?.cancel()
            let channel = context.channel
            self.deadline = context.eventLoop.scheduleTask(in: self.limit) {
                channel.close(promise: nil)
            }
        case .end:
            self.deadline?.cancel()
            self.deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.deadline?.cancel()
        self.deadline = nil
    }
}
