import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

extension PostgresDatabaseClient {
    /// How long a query waits for a connection while the pool has room for more and no other query of the pool
    /// gets one either: room and no connection means the pool cannot reach the database. While the database is down the pool keeps connection requests
    /// waiting as it retries, so without a bound every request hung until the client gave up (over 60 s in
    /// tests/faults) instead of hearing "try again in a moment".
    static let unreachableLeaseTimeout: Duration = .seconds(10)
    /// How long a query waits while every connection is in use: a busy pool is working, so it gets far longer
    /// (40 concurrent logins for one account waited over 45 s in the loaded test suite); the bound is for a pool
    /// whose connections are all held by queries lost with their connections.
    static let busyLeaseTimeout: Duration = .seconds(120)
    static let watchInterval: Duration = .milliseconds(250)

    /// Runs `body` on a connection of `pool` (in a transaction if asked) in a task of its own, which the caller
    /// can leave: when no connection comes in time (`DatabaseUnavailable`), and when the connection dies under
    /// the query. postgres-nio can lose a query sent as its connection closes, and waiting for it hung the
    /// shared progress flusher, and every answer behind it, after a crash restart.
    func perform<Value: Sendable>(
        on pool: Pool, inTransaction: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Value
    ) async throws -> Value {
        let operation = PooledOperation<Value>()
        let use = PoolUse()  // for /metrics: waiting, then in use
        defer { use.end() }
        let logger = self.logger
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                operation.start(continuation)
                operation.attach(Task {
                    do {
                        let value = try await pool.client.withConnection { connection in
                            pool.noteLease()
                            guard operation.claim(connection) else { throw CancellationError() }
                            use.leased()
                            pool.leased.add(1, ordering: .relaxed)
                            defer { pool.leased.subtract(1, ordering: .relaxed) }
                            guard inTransaction else { return try await body(connection.sql(queryLogLevel: .trace, logger: logger)) }
                            return try await connection.withTransaction(logger: logger) { connection in
                                try await body(connection.sql(queryLogLevel: .trace, logger: logger))
                            }
                        }
                        operation.succeed(value)
                    } catch {
                        operation.fail(error)
                    }
                })
                Task { await self.watch(operation, pool: pool) }
            }
        } onCancel: {
            operation.cancel()
        }
    }

    private func watch<Value>(_ operation: PooledOperation<Value>, pool: Pool) async {
        let clock = ContinuousClock()
        let start = clock.now
        var closedChecks = 0
        while true {
            try? await Task.sleep(for: Self.watchInterval)
            switch operation.phase {
            case .finished:
                return
            case .waiting:
                let waited = start.duration(to: clock.now)
                let busy = pool.leased.load(ordering: .relaxed) >= self.settings.poolSize
                // Unreachable: room in the pool, and no query of it has got a connection for the whole bound.
                let stalled = !busy && waited >= Self.unreachableLeaseTimeout && pool.sinceLastLease >= Self.unreachableLeaseTimeout
                if waited >= Self.busyLeaseTimeout || stalled {
                    operation.fail(DatabaseUnavailable(reason: busy ? "every connection busy for \(waited)" : "no connection within \(waited)"))
                }
            case .running(let connection):
                // A query fails by itself soon after its connection closes; one still waiting a moment later is lost.
                closedChecks = connection.isClosed ? closedChecks + 1 : 0
                if closedChecks >= 2 { operation.fail(DatabaseUnavailable(reason: "the connection closed under the query")) }
            }
        }
    }
}

/// One query's life in the pool, shared by the caller, the task running it and its watch. The caller's
/// continuation is resumed once, by whichever comes first: the result, a deadline, a lost connection.
final class PooledOperation<Value: Sendable>: Sendable {
    enum Phase {
        case waiting
        case running(PostgresConnection)
        case finished
    }

    private struct State {
        var phase = Phase.waiting
        var continuation: CheckedContinuation<Value, any Error>?
        var task: Task<Void, Never>?
        var cancelled = false
    }

    private let state = Mutex(State())

    var phase: Phase { self.state.withLock { $0.phase } }

    func start(_ continuation: CheckedContinuation<Value, any Error>) {
        let cancelled = self.state.withLock { state -> Bool in
            state.continuation = continuation
            return state.cancelled
        }
        if cancelled { self.fail(CancellationError()) }
    }

    func attach(_ task: Task<Void, Never>) {
        let finished = self.state.withLock { state -> Bool in
            state.task = task
            if case .finished = state.phase { return true }
            return false
        }
        if finished { task.cancel() }
    }

    /// Whether the caller still wants the connection; a lease granted after it left goes straight back.
    func claim(_ connection: PostgresConnection) -> Bool {
        self.state.withLock { state in
            guard case .waiting = state.phase else { return false }
            state.phase = .running(connection)
            return true
        }
    }

    func succeed(_ value: Value) {
        self.take()?.resume(returning: value)
    }

    func fail(_ error: any Error) {
        guard let continuation = self.take() else { return }
        continuation.resume(throwing: error)
        self.state.withLock { $0.task }?.cancel()
    }

    /// The caller's cancellation: a waiting caller leaves at once; a running query is told and then answers.
    func cancel() {
        let waiting = self.state.withLock { state -> Bool in
            state.cancelled = true
            if case .waiting = state.phase { return state.continuation != nil }
            return false
        }
        if waiting {
            self.fail(CancellationError())
        } else {
            self.state.withLock { $0.task }?.cancel()
        }
    }

    private func take() -> CheckedContinuation<Value, any Error>? {
        self.state.withLock { state in
            if case .finished = state.phase { return nil }
            state.phase = .finished
            defer { state.continuation = nil }
            return state.continuation
        }
    }
}
