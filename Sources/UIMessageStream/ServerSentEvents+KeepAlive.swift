import Foundation
import StreamBridge
import Synchronization

extension ServerSentEvents {
    /// The SSE body for a sequence of events: each one framed by `frame`, `[DONE]` at the end, and a
    /// keep-alive comment whenever nothing was sent for `keepAlive`, so proxies and load balancers that
    /// close idle connections (an ALB after 60 s) keep the stream while the model thinks.
    ///
    /// Each element is everything framed since the reader last took one: while the response writes (or a
    /// slow client holds it back), new events collect into one piece, so a burst of chunks costs one write
    /// and one flush instead of one each.
    public static func body<Events: AsyncSequence & Sendable>(
        _ events: Events, keepAlive: Duration, frame: @escaping @Sendable (Events.Element) -> String
    ) -> Body where Events.Element: Sendable {
        Body(text: AsyncBridge.coalescedText { output in
            let lastSent = LastSent()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while true {
                        let due = lastSent.instant + keepAlive
                        if ContinuousClock.now >= due {
                            output.append(Self.keepAlive)
                            lastSent.mark()
                        } else {
                            try await Task.sleep(until: due, clock: .continuous)
                        }
                    }
                }
                for try await event in events {
                    output.append(frame(event))
                    lastSent.mark()
                }
                output.append(Self.done)
                group.cancelAll()
            }
        })
    }

    /// The framed text of one response, in coalesced pieces.
    public struct Body: AsyncSequence, Sendable {
        public typealias Element = String
        let text: CoalescedText

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: self.text.makeAsyncIterator()) }

        public struct AsyncIterator: AsyncIteratorProtocol {
            var base: CoalescedText.AsyncIterator
            public mutating func next() async throws -> String? { try await self.base.next() }
        }
    }
}

/// When the stream last sent something, shared by the event loop and the keep-alive timer.
private final class LastSent: Sendable {
    private let value = Mutex(ContinuousClock.now)
    var instant: ContinuousClock.Instant { self.value.withLock { $0 } }
    func mark() { self.value.withLock { $0 = .now } }
}
