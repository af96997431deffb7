import Foundation
import SQLKit

/// Chats. Every query that reads or changes a chat on someone's behalf names the owner, so another
/// user's chat id finds nothing.
public struct ChatRepository: Sendable {
    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    public func create(_ chat: ChatRecord) async throws {
        try await self.database.withSQL { sql in try await Self.insert(chat, on: sql) }
    }

    static func insert(_ chat: ChatRecord, on sql: any SQLDatabase) async throws {
            try await sql.raw(
                """
                INSERT INTO chats (id, user_id, title, visibility, created_at, updated_at)
                VALUES (\(bind: chat.id), \(bind: chat.userID), \(bind: chat.title), \(bind: chat.visibility.rawValue),
                        \(bind: chat.createdAt), \(bind: chat.updatedAt))
                """
            ).run()
    }

    /// The chat whatever its owner; callers decide what a non-owner may see (public chats only).
    public func find(id: UUID) async throws -> ChatRecord? {
        try await self.database.withSQL { sql in
            try await sql.raw("SELECT * FROM chats WHERE id = \(bind: id)").first().map(Self.decode)
        }
    }

    /// The chat only if `userID` owns it.
    public func find(id: UUID, ownedBy userID: UUID) async throws -> ChatRecord? {
        try await self.database.withSQL { sql in
            try await sql.raw("SELECT * FROM chats WHERE id = \(bind: id) AND user_id = \(bind: userID)").first().map(Self.decode)
        }
    }

    /// One page of a user's chats, newest first; `endingBefore` is the last chat id of the previous page.
    public func history(of userID: UUID, limit: Int, endingBefore: UUID? = nil) async throws -> (chats: [ChatRecord], hasMore: Bool) {
        let rows = try await self.database.withSQL { sql in
            if let cursor = endingBefore {
                return try await sql.raw(
                    """
                    SELECT c.* FROM chats c, chats cursor
                    WHERE cursor.id = \(bind: cursor) AND cursor.user_id = \(bind: userID) AND c.user_id = \(bind: userID)
                      AND (c.created_at < cursor.created_at OR (c.created_at = cursor.created_at AND c.id < cursor.id))
                    ORDER BY c.created_at DESC, c.id DESC LIMIT \(bind: limit + 1)
                    """
                ).all()
            }
            return try await sql.raw(
                "SELECT * FROM chats WHERE user_id = \(bind: userID) ORDER BY created_at DESC, id DESC LIMIT \(bind: limit + 1)"
            ).all()
        }
        let chats = try rows.prefix(limit).map(Self.decode)
        return (chats, rows.count > limit)
    }

    /// Returns false when the chat is not the user's.
    @discardableResult
    public func setTitle(_ title: String, of id: UUID, ownedBy userID: UUID) async throws -> Bool {
        try await self.updateReturning("UPDATE chats SET title = \(bind: title) WHERE id = \(bind: id) AND user_id = \(bind: userID) RETURNING id")
    }

    @discardableResult
    public func setVisibility(_ visibility: Visibility, of id: UUID, ownedBy userID: UUID) async throws -> Bool {
        try await self.updateReturning(
            "UPDATE chats SET visibility = \(bind: visibility.rawValue) WHERE id = \(bind: id) AND user_id = \(bind: userID) RETURNING id"
        )
    }

    public func touch(_ id: UUID, at date: Date = Date()) async throws {
        try await self.database.withSQL { sql in
            try await sql.raw("UPDATE chats SET updated_at = \(bind: date) WHERE id = \(bind: id)").run()
        }
    }

    /// Deletes the chat with its messages, votes, runs and documents (cascades). False when not the user's.
    @discardableResult
    public func delete(id: UUID, ownedBy userID: UUID) async throws -> Bool {
        try await self.updateReturning("DELETE FROM chats WHERE id = \(bind: id) AND user_id = \(bind: userID) RETURNING id")
    }

    /// Deletes every chat of the user; returns how many.
    @discardableResult
    public func deleteAll(ownedBy userID: UUID) async throws -> Int {
        try await self.database.withSQL { sql in
            try await sql.raw("DELETE FROM chats WHERE user_id = \(bind: userID) RETURNING id").all().count
        }
    }

    private func updateReturning(_ query: SQLQueryString) async throws -> Bool {
        try await self.database.withSQL { sql in !(try await sql.raw(query).all().isEmpty) }
    }

    static func decode(_ row: any SQLRow) throws -> ChatRecord {
        ChatRecord(
            id: try row.decode(column: "id", as: UUID.self),
            userID: try row.decode(column: "user_id", as: UUID.self),
            title: try row.decode(column: "title", as: String.self),
            visibility: Visibility(rawValue: try row.decode(column: "visibility", as: String.self)) ?? .private,
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self)
        )
    }
}
