import Foundation
import Synchronization

/// One chunk of a run's UI stream: its sequence number (the SSE id) and its JSON text.
public struct RunChunk: Sendable, Equatable {
    public var seq: Int
    public var json: String
    public init(seq: Int, json: String) {
        self.seq = seq
        self.json = json
    }
}

/// The chunks of a run generating on this instance, kept in memory so local followers get them at once
/// and late followers can replay from any offset without touching the database.
final class LiveRun: Sendable {
    private struct Subscriber {
        let after: Int
        let continuation: AsyncStream<RunChunk>.Continuation
    }

    private struct State {
        var chunks: [String] = []
        var finished = false
        var subscribers: [UUID: Subscriber] = [:]
    }

    let runID: UUID
    private let state = Mutex(State())

    init(runID: UUID) { self.runID = runID }

    /// Appends a chunk (JSON text) and hands it to every follower; returns its sequence number.
    @discardableResult
    func append(_ chunk: String) -> Int {
        self.state.withLock { state in
            let seq = state.chunks.count
            state.chunks.append(chunk)
            for subscriber in state.subscribers.values where seq > subscriber.after {
                subscriber.continuation.yield(RunChunk(seq: seq, json: chunk))
            }
            return seq
        }
    }

    var count: Int { self.state.withLock { $0.chunks.count } }

    func finish() {
        let subscribers = self.state.withLock { state in
            state.finished = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.continuation.finish() }
    }

    /// Every chunk after `seq`, then new ones as they come, ending when the run does. A client may claim
    /// to have seen more than exists (a stale Last-Event-ID): it then gets only chunks past its claim.
    func follow(after seq: Int) -> AsyncStream<RunChunk> {
        let (stream, continuation) = AsyncStream<RunChunk>.makeStream(bufferingPolicy: .unbounded)
        let id = UUID()
        self.state.withLock { state in
            // No arithmetic on `seq`: it may be any Int a client sent.
            for (index, chunk) in state.chunks.enumerated() where index > seq {
                continuation.yield(RunChunk(seq: index, json: chunk))
            }
            if state.finished {
                continuation.finish()
            } else {
                state.subscribers[id] = Subscriber(after: seq, continuation: continuation)
            }
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }
}
