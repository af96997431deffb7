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
    static let leaseCheckInterval: Duration = .milliseconds(500)

    /// Runs `operation`, which calls `leased` once it holds a connection; fails as `DatabaseUnavailable` if that
    /// has not happened in time. The deadline covers only the wait for a connection, never the query itself.
    /// The group cancels the waiting lease on the way out, which the pool honours.
    func withLeaseDeadline<Result: Sendable>(
        on pool: Pool,
        _ operation: @escaping @Sendable (_ leased: @escaping @Sendable () -> Void) async throws -> Result
    ) async throws -> Result {
        let flag = LeaseFlag()
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await operation {
                    flag.leased.withLock { $0 = true }
                }
            }
            group.addTask {
                let clock = ContinuousClock()
                let start = clock.now
                while true {
                    try await Task.sleep(for: Self.leaseCheckInterval)
                    if flag.leased.withLock({ $0 }) { return nil }
                    let waited = start.duration(to: clock.now)
                    let busy = pool.leased.load(ordering: .relaxed) >= self.settings.poolSize
                    if waited >= Self.busyLeaseTimeout || (!busy && waited >= Self.unreachableLeaseTimeout) {
                        throw DatabaseUnavailable(reason: busy ? "every connection busy for \(waited)" : "no connection within \(waited)")
                    }
                }
            }
            while let next = try await group.next() {
                if let result = next {
                    group.cancelAll()
                    return result
                }
            }
            throw CancellationError()
        }
    }
}

/// Whether a query got its connection, set from inside the pool's lease.
final class LeaseFlag: Sendable {
    let leased = Mutex(false)
}
