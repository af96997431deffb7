import Foundation
import SQLKit

/// Counts behind rate limits: messages a user sent and token usage.
public struct QuotaRepository: Sendable {
    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    /// Why a message was refused: the allowance that applied and when the oldest counted message was sent.
    public struct Refusal: Sendable, Equatable {
        public var limit: Int
        public var oldestCounted: Date
    }

    /// Takes one message from the user's allowance if fewer than their limit were sent since `since`. The limit is
    /// the user's own (an administrator's override in `users.message_limit`) or else `defaultLimit`, read in the
    /// same transaction, so a changed override applies to the next message. Counting and recording happen in one
    /// transaction so concurrent sends cannot both take the last one. Returns nil when granted.
    public func takeMessage(userID: UUID, defaultLimit: Int, since: Date, at now: Date = Date()) async throws -> Refusal? {
        try await self.database.transaction { sql in
            // On PostgreSQL the row lock also serialises a user's concurrent sends for the transaction.
            let user =
                self.database.kind == .postgres
                ? try await sql.raw("SELECT message_limit FROM users WHERE id = \(bind: userID) FOR UPDATE").first()
                : try await sql.raw("SELECT message_limit FROM users WHERE id = \(bind: userID)").first()
            let limit = try user?.decode(column: "message_limit", as: Int?.self) ?? defaultLimit
            let rows = try await sql.raw(
                "SELECT created_at FROM message_quota WHERE user_id = \(bind: userID) AND created_at > \(bind: since) ORDER BY created_at LIMIT \(bind: limit)"
            ).all()
            if rows.count >= limit {
                return Refusal(limit: limit, oldestCounted: try rows.first?.decode(column: "created_at", as: Date.self) ?? now)
            }
            try await sql.raw("INSERT INTO message_quota (id, user_id, created_at) VALUES (\(bind: UUID()), \(bind: userID), \(bind: now))").run()
            return nil
        }
    }

    /// `takeMessage(userID:defaultLimit:since:at:)` returning only when the oldest counted message was sent.
    public func takeMessage(userID: UUID, limit: Int, since: Date, at now: Date = Date()) async throws -> Date? {
        try await self.takeMessage(userID: userID, defaultLimit: limit, since: since, at: now)?.oldestCounted
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
