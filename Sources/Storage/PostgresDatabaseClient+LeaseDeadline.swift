import Synchronization

extension PostgresDatabaseClient {
    /// How long a query waits for a connection before it fails as `DatabaseUnavailable` (503). While the database
    /// is down the pool keeps connection requests waiting as it retries, so without this every request hung until
    /// the client gave up (over 60 s in tests/faults) instead of hearing "try again in a moment".
    static let leaseTimeout: Duration = .seconds(10)

    /// Runs `operation`, which calls `leased` once it holds a connection; fails if that has not happened within
    /// `leaseTimeout`. The deadline covers only the wait for a connection, never the query itself. The group
    /// cancels the waiting lease on the way out, which the pool honours.
    static func withLeaseDeadline<Result: Sendable>(
        _ operation: @escaping @Sendable (_ leased: @escaping @Sendable () -> Void) async throws -> Result
    ) async throws -> Result {
        let flag = LeaseFlag()
        let timeout = Self.leaseTimeout
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await operation { flag.leased.withLock { $0 = true } } }
            group.addTask {
                try await Task.sleep(for: timeout)
                if flag.leased.withLock({ $0 }) { return nil }
                throw DatabaseUnavailable(reason: "no connection within \(timeout)")
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
