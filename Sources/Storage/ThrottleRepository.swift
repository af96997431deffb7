import Foundation
import SQLKit

/// Sliding-window counters for sign-in attempts and guest creation, shared by every instance.
///
/// `reserve` counts and records in one transaction, serialised per key (PostgreSQL advisory locks;
/// SQLite's single writer), so concurrent attempts cannot all pass the check before any is recorded.
public struct ThrottleRepository: Sendable {
    /// How many events a key has in the window, and when the oldest of them happened.
    public struct Count: Sendable, Equatable {
        public var count: Int
        public var oldest: Date?
        /// The sum of the counted events' amounts (each 1 unless recorded with another `amount`).
        public var total: Int
        public init(count: Int, oldest: Date?, total: Int? = nil) {
            self.count = count
            self.oldest = oldest
            self.total = total ?? count
        }
    }

    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    /// Counts each key's events since `since`; when `allow` accepts the counts, records one event per key
    /// under `attempt`. Returns the counts and whether the attempt was recorded.
    /// `countCap` bounds the rows read per key (no limit needs more; a total is exact while the count is under it).
    /// `amount` weighs the recorded events (an upload's bytes); counts still count events.
    public func reserve(
        attempt: UUID, keys: [String], since: Date, at now: Date, countCap: Int, amount: Int = 1,
        allow: @escaping @Sendable ([String: Count]) -> Bool
    ) async throws -> (allowed: Bool, counts: [String: Count]) {
        let kind = self.database.kind
        return try await self.database.transaction { sql in
            if kind == .postgres {
                // Sorted, so two attempts locking overlapping keys never wait on each other in a cycle.
                for key in Set(keys).sorted() {
                    try await sql.raw("SELECT pg_advisory_xact_lock(hashtextextended(\(bind: "throttle:" + key), 0))").run()
                }
            }
            var counts: [String: Count] = [:]
            for key in keys {
                let rows = try await sql.raw(
                    """
                    SELECT created_at, amount FROM throttle_events WHERE key = \(bind: key) AND created_at > \(bind: since)
                    ORDER BY created_at LIMIT \(bind: countCap)
                    """
                ).all()
                let total = try rows.reduce(0) { $0 + (try $1.decode(column: "amount", as: Int.self)) }
                counts[key] = Count(count: rows.count, oldest: try rows.first?.decode(column: "created_at", as: Date.self), total: total)
            }
            guard allow(counts) else { return (false, counts) }
            for key in Set(keys) {
                try await sql.raw(
                    "INSERT INTO throttle_events (attempt_id, key, created_at, amount) VALUES (\(bind: attempt), \(bind: key), \(bind: now), \(bind: amount))"
                ).run()
            }
            return (true, counts)
        }
    }

    /// Takes an attempt back (a sign-in that succeeded does not count as a failure).
    public func release(attempt: UUID) async throws {
        try await self.database.withSQL { sql in
            try await sql.raw("DELETE FROM throttle_events WHERE attempt_id = \(bind: attempt)").run()
        }
    }

    /// Forgets a key's events (the owner signed in from this address).
    public func clear(key: String) async throws {
        try await self.database.withSQL { sql in
            try await sql.raw("DELETE FROM throttle_events WHERE key = \(bind: key)").run()
        }
    }

    /// Drops events older than any window looks back.
    public func deleteOlder(than date: Date) async throws -> Int {
        try await self.database.withSQL { sql in
            try await sql.raw("DELETE FROM throttle_events WHERE created_at < \(bind: date) RETURNING attempt_id").all().count
        }
    }
}
