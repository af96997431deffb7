import Foundation
import StreamBridge
import Synchronization

extension ServerSentEvents {
    /// The SSE body for a sequence of events: each one framed by `frame`, `[DONE]` at the end, and a
    /// keep-alive comment whenever nothing was sent for `keepAlive`, so proxies and load balancers that
    /// close idle connections (an ALB after 60 s) keep the stream while the model thinks.
    public static func body<Events: AsyncSequence & Sendable>(
        _ events: Events, keepAlive: Duration, frame: @escaping @Sendable (Events.Element) -> String
    ) -> AsyncThrowingStream<String, any Error> where Events.Element: Sendable {
        AsyncBridge.stream(of: String.self) { output in
            let lastSent = LastSent()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while true {
                        let due = lastSent.instant + keepAlive
                        if ContinuousClock.now >= due {
                            output.yield(Self.keepAlive)
                            lastSent.mark()
                        } else {
                            try await Task.sleep(until: due, clock: .continuous)
                        }
                    }
                }
                for try await event in events {
                    output.yield(frame(event))
                    lastSent.mark()
                }
                output.yield(Self.done)
                group.cancelAll()
            }
        }
    }
}

/// When the stream last sent something, shared by the event loop and the keep-alive timer.
private final class LastSent: Sendable {
    private let value = Mutex(ContinuousClock.now)
    var instant: ContinuousClock.Instant { self.value.withLock { $0 } }
    func mark() { self.value.withLock { $0 = .now } }
}
