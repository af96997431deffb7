import NIOCore

/// An `AsyncSequence` of event-stream messages over a sequence of byte buffers (an HTTP body).
///
/// Reads end with an error if the bytes end mid-message or are corrupt; the decoder never
/// waits for bytes that cannot come, so a broken stream cannot hang the consumer.
public struct EventStreamMessages<Base: AsyncSequence>: AsyncSequence where Base.Element == ByteBuffer {
    /// Each element is one whole message.
    public typealias Element = EventStreamMessage

    let base: Base

    /// Wraps a byte-buffer sequence such as `HTTPClientResponse.Body`.
    public init(_ base: Base) {
        self.base = base
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: self.base.makeAsyncIterator())
    }

    /// Pulls reads from the base until a message is whole.
    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var decoder = EventStreamFrameDecoder()
        var finished = false

        /// The next message, `nil` at a clean end.
        public mutating func next() async throws -> EventStreamMessage? {
            while true {
                if let message = try self.decoder.next() { return message }
                guard !self.finished else { return nil }
                guard let chunk = try await self.base.next() else {
                    self.finished = true
                    try self.decoder.finish()
                    return nil
                }
                self.decoder.append(chunk.readableBytesView)
            }
        }
    }
}
