import Foundation
import PostgresNIO
import SQLKit
import SQLiteNIO
import JSON

/// Messages of chats. Callers check chat ownership first; queries here stay within one chat id.
public struct MessageRepository: Sendable {
    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    public func insert(_ message: MessageRecord) async throws {
        try await self.database.withSQL { sql in try await Self.insert(message, on: sql) }
    }

    static func insert(_ m: MessageRecord, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            INSERT INTO messages (id, chat_id, role, parts, attachments, status, error, model, input_tokens, output_tokens,
                                  cache_read_tokens, cache_write_tokens, first_token_ms, duration_ms, created_at)
            VALUES (\(bind: m.id), \(bind: m.chatID), \(bind: m.role.rawValue), \(bind: JSONList(m.parts)), \(bind: JSONList(m.attachments)),
                    \(bind: m.status.rawValue), \(bind: m.error), \(bind: m.model), \(bind: m.usage.inputTokens),
                    \(bind: m.usage.outputTokens), \(bind: m.usage.cacheReadTokens), \(bind: m.usage.cacheWriteTokens),
                    \(bind: m.firstTokenMs), \(bind: m.durationMs), \(bind: m.createdAt))
            """
        ).run()
    }

    /// Saves an assistant message's progress or outcome (parts, status, usage, timing).
    public func update(_ m: MessageRecord) async throws {
        try await self.database.withSQL { sql in try await Self.update(m, on: sql) }
    }

    /// The message's whole content and outcome, on a connection or transaction the caller holds.
    static func update(_ m: MessageRecord, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE messages SET parts = \(bind: JSONList(m.parts)), status = \(bind: m.status.rawValue), error = \(bind: m.error),
                model = \(bind: m.model), input_tokens = \(bind: m.usage.inputTokens), output_tokens = \(bind: m.usage.outputTokens),
                cache_read_tokens = \(bind: m.usage.cacheReadTokens), cache_write_tokens = \(bind: m.usage.cacheWriteTokens),
                first_token_ms = \(bind: m.firstTokenMs), duration_ms = \(bind: m.durationMs)
            WHERE id = \(bind: m.id) AND chat_id = \(bind: m.chatID)
            """
        ).run()
    }

    /// The chat's messages, oldest first.
    public func list(chatID: UUID) async throws -> [MessageRecord] {
        try await self.database.withSQL { sql in
            try await sql.raw("SELECT * FROM messages WHERE chat_id = \(bind: chatID) ORDER BY created_at, id").all().map(Self.decode)
        }
    }

    public func find(id: UUID, chatID: UUID) async throws -> MessageRecord? {
        try await self.database.withSQL { sql in
            try await sql.raw("SELECT * FROM messages WHERE id = \(bind: id) AND chat_id = \(bind: chatID)").first().map(Self.decode)
        }
    }

    /// Whether any chat has a message with this id (ids are client-chosen, so they must not collide).
    public func exists(id: UUID) async throws -> Bool {
        try await self.database.withSQL { sql in try await sql.raw("SELECT id FROM messages WHERE id = \(bind: id)").first() != nil }
    }

    /// Deletes the message and every later message of its chat (editing a message rewinds the chat).
    /// Returns how many were deleted; zero when the message is not in that chat.
    @discardableResult
    public func deleteFrom(messageID: UUID, chatID: UUID) async throws -> Int {
        try await self.database.transaction { sql in try await Self.deleteFrom(messageID: messageID, chatID: chatID, on: sql) }
    }

    static func deleteFrom(messageID: UUID, chatID: UUID, on sql: any SQLDatabase) async throws -> Int {
        guard let row = try await sql.raw("SELECT created_at FROM messages WHERE id = \(bind: messageID) AND chat_id = \(bind: chatID)").first()
        else { return 0 }
        // Compare by id for the message itself: a REAL timestamp read back may differ in its last digit.
        let from = try row.decode(column: "created_at", as: Date.self)
        return try await sql.raw(
            """
            DELETE FROM messages WHERE chat_id = \(bind: chatID)
              AND (id = \(bind: messageID) OR created_at > \(bind: from))
            RETURNING id
            """
        ).all().count
    }

    static func decode(_ row: any SQLRow) throws -> MessageRecord {
        MessageRecord(
            id: try row.decode(column: "id", as: UUID.self),
            chatID: try row.decode(column: "chat_id", as: UUID.self),
            role: MessageRecord.Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .user,
            parts: try row.decode(column: "parts", as: JSONList.self).elements,
            attachments: try row.decode(column: "attachments", as: JSONList.self).elements,
            status: MessageRecord.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .complete,
            error: try row.decode(column: "error", as: String?.self),
            model: try row.decode(column: "model", as: String?.self),
            usage: StoredUsage(
                inputTokens: try row.decode(column: "input_tokens", as: Int.self),
                outputTokens: try row.decode(column: "output_tokens", as: Int.self),
                cacheReadTokens: try row.decode(column: "cache_read_tokens", as: Int.self),
                cacheWriteTokens: try row.decode(column: "cache_write_tokens", as: Int.self)
            ),
            firstTokenMs: try row.decode(column: "first_token_ms", as: Int?.self),
            durationMs: try row.decode(column: "duration_ms", as: Int?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self)
        )
    }
}

/// A JSON array stored as one document: PostgreSQL would bind a Swift array as an SQL array, so the type
/// says how it travels to each engine itself (jsonb there, JSON text in SQLite).
struct JSONList: Codable, Sendable, PostgresCodable, SQLiteDataConvertible {
    var elements: [JSONValue]
    init(_ elements: [JSONValue]) { self.elements = elements }

    init(from decoder: any Decoder) throws {
        self.elements = try decoder.singleValueContainer().decode([JSONValue].self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.elements)
    }
}

extension JSONList {
    init?(sqliteData: SQLiteData) {
        guard case .text(let text) = sqliteData, let elements = try? JSONDecoder().decode([JSONValue].self, from: Data(text.utf8)) else { return nil }
        self.elements = elements
    }

    var sqliteData: SQLiteData? {
        (try? JSONEncoder().encode(self.elements)).map { .text(String(decoding: $0, as: UTF8.self)) }
    }
}
