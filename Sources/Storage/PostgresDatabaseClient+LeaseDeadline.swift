import PostgresNIO
import Synchronization

extension PostgresDatabaseClient {
    /// How long a query waits for a connection while the pool has room for more: room and no connection means
    /// the pool cannot reach the database. While the database is down the pool keeps connection requests
    /// waiting as it retries, so without a bound every request hung until the client gave up (over 60 s in
    /// tests/faults) instead of hearing "try again in a moment".
    static let unreachableLeaseTimeout: Duration = .seconds(10)
    /// How long a query waits while every connection is in use: a busy pool is working (40 logins serialised
    /// on one account's lock take longer than 10 s under load), so it gets longer before the 503.
    static let busyLeaseTimeout: Duration = .seconds(45)
    static let leaseCheckInterval: Duration = .milliseconds(250)

    /// Runs `body` with a connection of `pool`, failing as `DatabaseUnavailable` if none comes in time.
    ///
    /// The wait happens in a task of its own that holds the lease for us until `body` is done: when the
    /// deadline passes, the caller leaves at once, and a lease the pool grants later is handed straight back.
    /// (Waiting for a cancelled lease to unwind instead hung saves for ever after a crash restart.) `body` runs
    /// in the caller's task, so it never outlives the call.
    func withLeasedConnection<Result>(
        on pool: Pool, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let lease = HeldLease()
        let use = PoolUse()  // for /metrics: waiting, then in use
        defer { use.end() }
        let connection = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PostgresConnection, any Error>) in
                lease.wait(with: continuation)
                lease.waitInPool(Task {
                    do {
                        try await pool.client.withConnection { connection in
                            guard lease.deliver(connection) else { return }
                            await lease.untilReleased()
                        }
                    } catch {
                        lease.abandon(error)
                    }
                })
                Task { await self.enforceDeadline(on: lease, pool: pool) }
            }
        } onCancel: {
            lease.abandon(CancellationError())
        }
        use.leased()
        pool.leased.add(1, ordering: .relaxed)
        defer {
            pool.leased.subtract(1, ordering: .relaxed)
            lease.release()
        }
        return try await body(connection)
    }

    private func enforceDeadline(on lease: HeldLease, pool: Pool) async {
        let clock = ContinuousClock()
        let start = clock.now
        while lease.isWaiting {
            try? await Task.sleep(for: Self.leaseCheckInterval)
            let waited = start.duration(to: clock.now)
            let busy = pool.leased.load(ordering: .relaxed) >= self.settings.poolSize
            if waited >= Self.busyLeaseTimeout || (!busy && waited >= Self.unreachableLeaseTimeout) {
                lease.abandon(DatabaseUnavailable(reason: busy ? "every connection busy for \(waited)" : "no connection within \(waited)"))
            }
        }
    }
}

/// A connection lease held by a helper task on behalf of a caller that may stop waiting for it.
final class HeldLease: Sendable {
    private enum Phase {
        case waiting(CheckedContinuation<PostgresConnection, any Error>?)
        case delivered
        case abandoned
    }

    private let phase = Mutex(Phase.waiting(nil))
    /// The task waiting in the pool, cancelled when the caller leaves (the pool then drops the request).
    private let waiter = Mutex<Task<Void, Never>?>(nil)
    private let released = Mutex<(done: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    var isWaiting: Bool {
        self.phase.withLock { if case .waiting = $0 { return true } else { return false } }
    }

    func wait(with continuation: CheckedContinuation<PostgresConnection, any Error>) {
        let abandoned = self.phase.withLock { phase -> Bool in
            guard case .waiting = phase else { return true }
            phase = .waiting(continuation)
            return false
        }
        if abandoned { continuation.resume(throwing: CancellationError()) }
    }

    /// Hands the connection to the caller; false if the caller has left (the lease then goes straight back).
    func deliver(_ connection: PostgresConnection) -> Bool {
        let continuation = self.phase.withLock { phase -> CheckedContinuation<PostgresConnection, any Error>?? in
            guard case .waiting(let continuation) = phase else { return nil }
            phase = .delivered
            return .some(continuation)
        }
        guard let continuation else { return false }
        continuation?.resume(returning: connection)
        return true
    }

    func waitInPool(_ task: Task<Void, Never>) {
        self.waiter.withLock { $0 = task }
        if case .abandoned = self.phase.withLock({ $0 }) { task.cancel() }
    }

    /// Fails the caller's wait unless a connection was delivered already.
    func abandon(_ error: any Error) {
        let continuation = self.phase.withLock { phase -> CheckedContinuation<PostgresConnection, any Error>?? in
            guard case .waiting(let continuation) = phase else { return nil }
            phase = .abandoned
            return .some(continuation)
        }
        guard let continuation else { return }
        continuation?.resume(throwing: error)
        self.waiter.withLock { $0 }?.cancel()
    }

    func untilReleased() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = self.released.withLock { state -> Bool in
                if state.done { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }

    func release() {
        let waiter = self.released.withLock { state -> CheckedContinuation<Void, Never>? in
            state.done = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
