import Synchronization

/// Remembers when a stream last made progress and whether any event reached the consumer.
final class StreamProgress: Sendable {
    struct State {
        var lastActivity: ContinuousClock.Instant
        var yielded = false
    }
    let state = Mutex(State(lastActivity: .now))

    func touch() {
        self.state.withLock { $0.lastActivity = .now }
    }

    /// Records that an event was handed to the consumer: from now on, no retry.
    func markYielded() {
        self.state.withLock { $0.yielded = true }
    }

    var yielded: Bool { self.state.withLock { $0.yielded } }

    var idleFor: Duration { self.state.withLock { ContinuousClock.now - $0.lastActivity } }
}

/// Runs `body` and returns what it returns, failing with a timeout if `progress` sees no activity for `idle`.
///
/// The body runs in a child task; when the watchdog fires, the group cancels it, which cancels
/// the HTTP request it is reading.
func withIdleWatchdog<Result: Sendable>(
    idle: Duration, progress: StreamProgress, what: String, _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    progress.touch()
    return try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            while true {
                let since = progress.idleFor
                if since >= idle {
                    throw BedrockError(.timeout, message: "Bedrock sent nothing for \(idle) while \(what); the request was abandoned. Retry.")
                }
                try await Task.sleep(for: idle - since)
            }
        }
        defer { group.cancelAll() }
        // Only the body returns; the watchdog either throws or is cancelled.
        guard case .some(.some(let result)) = try await group.next() else { throw CancellationError() }
        return result
    }
}
