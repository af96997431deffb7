import Foundation
import NIOConcurrencyHelpers

/// The chunks of a run generating on this instance, kept in memory so local followers get them at once
/// and late followers can replay from any offset without touching the database.
final class LiveRun: Sendable {
    private struct State {
        var chunks: [String] = []
        var finished = false
        var subscribers: [UUID: AsyncStream<(Int, String)>.Continuation] = [:]
    }

    let runID: UUID
    let chatID: UUID
    private let state = NIOLockedValueBox(State())

    init(runID: UUID, chatID: UUID) {
        self.runID = runID
        self.chatID = chatID
    }

    /// Appends a chunk (JSON text) and hands it to every follower; returns its sequence number.
    @discardableResult
    func append(_ chunk: String) -> Int {
        self.state.withLockedValue { state in
            let seq = state.chunks.count
            state.chunks.append(chunk)
            for continuation in state.subscribers.values { continuation.yield((seq, chunk)) }
            return seq
        }
    }

    func finish() {
        let subscribers = self.state.withLockedValue { state in
            state.finished = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for continuation in subscribers { continuation.finish() }
    }

    /// Every chunk after `seq`, then new ones as they come, ending when the run does.
    func follow(after seq: Int) -> AsyncStream<(Int, String)> {
        let (stream, continuation) = AsyncStream<(Int, String)>.makeStream(bufferingPolicy: .unbounded)
        let id = UUID()
        self.state.withLockedValue { state in
            // A client may claim to have seen more than exists (a stale Last-Event-ID): it then gets only new chunks.
            let first = max(seq + 1, 0)
            if first < state.chunks.count {
                for index in first..<state.chunks.count { continuation.yield((index, state.chunks[index])) }
            }
            if state.finished {
                continuation.finish()
            } else {
                state.subscribers[id] = continuation
            }
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLockedValue { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }
}
