import Logging
import SQLKit
import Synchronization

/// Which SQL engine is behind a `DatabaseClient`; only the schema's column types differ.
public enum DatabaseKind: String, Sendable {
    case postgres, sqlite
}

/// A pool of connections to one database. Repositories speak SQLKit through it, so one query serves both engines.
public protocol DatabaseClient: Sendable {
    var kind: DatabaseKind { get }

    /// Runs `body` with a connection. Do not nest calls: SQLite has a single, exclusive connection.
    /// The driver's failures arrive as `DatabaseUnavailable` or `DatabaseConflict` when they are one of those;
    /// what `body` throws itself arrives unchanged.
    func withSQL<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result

    /// Runs `body` inside a transaction, committed when it returns and rolled back when it throws. Errors as `withSQL`.
    func transaction<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result

    /// Closes the connections; the server's `DatabaseService` calls it after the server has drained.
    func close() async
}

extension DatabaseClient {
    /// Answers whether the database responds to a trivial query within `timeout`.
    /// Returns at the timeout even when the driver is slow to notice cancellation (a pool still connecting),
    /// which a task group could not promise: it waits for its cancelled children.
    public func ping(timeout: Duration) async throws {
        let verdict = OneVerdict()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            verdict.box.withLock { $0 = continuation }
            let query = Task {
                do {
                    _ = try await self.withSQL { sql in try await sql.raw("SELECT 1 AS ok").all() }
                    verdict.box.withLock { $0.take() }?.resume()
                } catch {
                    verdict.box.withLock { $0.take() }?.resume(throwing: error)
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                if let pending = verdict.box.withLock({ $0.take() }) {
                    pending.resume(throwing: DatabaseUnavailable(reason: "no answer within \(timeout)"))
                    query.cancel()
                }
            }
        }
    }
}

/// The database did not answer in time, refused or lost the connection, or is busy with another writer.
public struct DatabaseUnavailable: Error, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "database unavailable: \(self.reason)" }
}

/// The statement lost a race with another one: a unique or foreign-key constraint, or a serialization failure.
/// Callers that expect the race turn it into their own error (a chat already answering, an email taken).
public struct DatabaseConflict: Error, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "database conflict: \(self.reason)" }
}

/// The continuation of a ping, resumed by whichever of the query and the timer finishes first.
final class OneVerdict: Sendable {
    let box = Mutex<CheckedContinuation<Void, any Error>?>(nil)
}
