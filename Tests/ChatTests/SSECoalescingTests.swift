import Foundation
import Synchronization
import TestSupport
import Testing
import UIMessageStream

/// The SSE body hands the response everything framed since its last write as one piece (issue 09).
@Suite("SSE coalescing") struct SSECoalescingTests {
    @Test("events framed while the writer is busy go out as one piece, complete and in order, then [DONE]")
    func burstIsOnePiece() async throws {
        let (events, input) = AsyncStream<Int>.makeStream()
        let framed = Mutex(0)
        let body = ServerSentEvents.body(events, keepAlive: .seconds(3600)) { index in
            framed.withLock { $0 += 1 }
            return ServerSentEvents.event(id: index, json: "{\"n\":\(index)}")
        }
        var iterator = body.makeAsyncIterator()
        input.yield(0)
        var pieces = [try #require(try await iterator.next())]
        // The writer is busy (it does not pull) while fifty more events are framed.
        for index in 1...50 { input.yield(index) }
        input.finish()
        try await eventually("every event is framed") { framed.withLock { $0 } == 51 }
        while let piece = try await iterator.next() { pieces.append(piece) }

        let expected = (0...50).map { ServerSentEvents.event(id: $0, json: "{\"n\":\($0)}") }.joined() + ServerSentEvents.done
        #expect(pieces.joined() == expected)
        // One piece per event would be 52; the last event's hand-over and [DONE] may race the first pull after the burst.
        #expect(pieces.count <= 4, "\(pieces.count) pieces")
    }

    @Test("a reader that stops early stops the producer, keep-alive timer included")
    func readerStopsProducer() async throws {
        let (events, input) = AsyncStream<Int>.makeStream()
        let terminated = Mutex(false)
        input.onTermination = { _ in terminated.withLock { $0 = true } }
        do {
            var iterator = ServerSentEvents.body(events, keepAlive: .milliseconds(10)) { "\($0)" }.makeAsyncIterator()
            let first = try await iterator.next()
            #expect(first == ServerSentEvents.keepAlive)
        }
        // The iterator is gone: the producer's task was cancelled, which ends its iteration of `events`.
        try await eventually("the producer stopped") { terminated.withLock { $0 } }
    }
}
