import Foundation
import SQLKit

/// Counts behind rate limits: messages a user sent and token usage.
public struct QuotaRepository: Sendable {
    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    /// Takes one message from the user's allowance if fewer than `limit` were sent since `since`.
    /// Counting and recording happen in one transaction so concurrent sends cannot both take the last one.
    /// Returns nil when granted, otherwise the time the oldest counted message was sent.
    public func takeMessage(userID: UUID, limit: Int, since: Date, at now: Date = Date()) async throws -> Date? {
        try await self.database.transaction { sql in
            if self.database.kind == .postgres {
                // Serialise a user's concurrent sends: lock their user row for the transaction.
                try await sql.raw("SELECT id FROM users WHERE id = \(bind: userID) FOR UPDATE").run()
            }
            let rows = try await sql.raw(
                "SELECT created_at FROM message_quota WHERE user_id = \(bind: userID) AND created_at > \(bind: since) ORDER BY created_at LIMIT \(bind: limit)"
            ).all()
            if rows.count >= limit {
                return try rows.first?.decode(column: "created_at", as: Date.self) ?? now
            }
            try await sql.raw("INSERT INTO message_quota (id, user_id, created_at) VALUES (\(bind: UUID()), \(bind: userID), \(bind: now))").run()
            return nil
        }
    }

    /// Gives back a message taken at `chargedAt` whose answer never started (it lost a race with 409, or the
    /// database refused it). Deletes one row: two charges in the same microsecond are interchangeable.
    public func refundMessage(userID: UUID, chargedAt: Date) async throws {
        try await self.database.withSQL { sql in
            try await sql.raw(
                "DELETE FROM message_quota WHERE id IN (SELECT id FROM message_quota WHERE user_id = \(bind: userID) AND created_at = \(bind: chargedAt) LIMIT 1)"
            ).run()
        }
    }

    /// Records what an answer cost, for accounting by user and time.
    public func recordUsage(userID: UUID, chatID: UUID?, messageID: UUID?, model: String, usage: StoredUsage, at date: Date = Date()) async throws {
        try await self.database.withSQL { sql in
            try await sql.raw(
                """
                INSERT INTO usage_events (id, user_id, chat_id, message_id, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, created_at)
                VALUES (\(bind: UUID()), \(bind: userID), \(bind: chatID), \(bind: messageID), \(bind: model), \(bind: usage.inputTokens),
                        \(bind: usage.outputTokens), \(bind: usage.cacheReadTokens), \(bind: usage.cacheWriteTokens), \(bind: date))
                """
            ).run()
        }
    }
}
