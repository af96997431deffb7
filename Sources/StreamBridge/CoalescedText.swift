import Synchronization

extension AsyncBridge {
    /// Text from `produce` for one reader, which gets everything produced since its last pull as one
    /// string: what piles up while the reader is busy (writing to a slow socket, say) comes out coalesced.
    /// Like `stream`, the producer starts with the first pull and stops when the reader does.
    public static func coalescedText(_ produce: @escaping @Sendable (TextMailbox) async throws -> Void) -> CoalescedText {
        CoalescedText(produce)
    }
}

/// Text pushed by a producer task and pulled by one reader, which gets everything pushed since its last
/// pull as one string. The producer starts with the first pull and is cancelled when the reader stops.
public struct CoalescedText: AsyncSequence, Sendable {
    public typealias Element = String
    let produce: @Sendable (TextMailbox) async throws -> Void

    init(_ produce: @escaping @Sendable (TextMailbox) async throws -> Void) { self.produce = produce }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(reader: Reader(), produce: self.produce)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: Reader
        let produce: @Sendable (TextMailbox) async throws -> Void
        var started = false

        public mutating func next() async throws -> String? {
            if !self.started {
                self.started = true
                self.reader.mailbox.start(self.produce)
            }
            return try await self.reader.mailbox.take()
        }
    }

    /// Held by the iterator only (the producer holds the mailbox): a reader that lets go of the iterator
    /// without being cancelled (a `break`) stops the producer too.
    public final class Reader: Sendable {
        let mailbox = TextMailbox()
        deinit { self.mailbox.cancelProducer() }
    }
}

/// The hand-over between the producer and the reader of a `CoalescedText`.
public final class TextMailbox: Sendable {
    private struct State {
        var pending = ""
        var finished = false
        var failure: (any Error)?
        var waiter: CheckedContinuation<String?, any Error>?
        var producer: Task<Void, Never>?
    }

    private let state = Mutex(State())

    func cancelProducer() { self.state.withLock { $0.producer }?.cancel() }

    func start(_ produce: @escaping @Sendable (TextMailbox) async throws -> Void) {
        let producer = Task {
            do {
                try await produce(self)
                self.finish(throwing: nil)
            } catch {
                self.finish(throwing: error)
            }
        }
        self.state.withLock { $0.producer = producer }
    }

    /// Adds text for the reader; hands it over at once when the reader waits.
    public func append(_ text: String) {
        let handOver = self.state.withLock { state -> (CheckedContinuation<String?, any Error>, String)? in
            guard !state.finished else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, state.pending + text)
            }
            state.pending += text
            return nil
        }
        if let (waiter, text) = handOver { waiter.resume(returning: text) }
    }

    func finish(throwing error: (any Error)?) {
        let waiter = self.state.withLock { state -> CheckedContinuation<String?, any Error>? in
            guard !state.finished else { return nil }
            state.finished = true
            state.failure = error
            defer { state.waiter = nil }
            return state.waiter
        }
        // A waiting reader had nothing pending: it gets the end (or the error) now.
        if let waiter {
            if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
        }
    }

    /// Everything pending, or the next text once there is some; nil at the end. Text produced before an
    /// error is delivered before it. Cancelling the reader cancels the producer.
    func take() async throws -> String? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String?, any Error>) in
                let result = self.state.withLock { state -> Result<String?, any Error>? in
                    if !state.pending.isEmpty {
                        defer { state.pending = "" }
                        return .success(state.pending)
                    }
                    if state.finished {
                        if let failure = state.failure {
                            state.failure = nil
                            return .failure(failure)
                        }
                        return .success(nil)
                    }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiter = continuation
                    return nil
                }
                if let result { continuation.resume(with: result) }
            }
        } onCancel: {
            let (waiter, producer) = self.state.withLock { state in
                defer { state.waiter = nil }
                return (state.waiter, state.producer)
            }
            producer?.cancel()
            waiter?.resume(throwing: CancellationError())
        }
    }
}
