import Foundation
import SQLKit

/// An uploaded file's metadata. Its bytes live in a blob store under `objectKey`.
public struct FileRecord: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    /// The chat it was uploaded for (which may not exist yet: a first message uploads before its chat is made).
    public var chatID: UUID
    /// The user message that carries it; nil until sent.
    public var messageID: UUID?
    public var name: String
    public var mediaType: String
    public var size: Int
    public var objectKey: String
    public var createdAt: Date

    public init(
        id: UUID = UUID(), userID: UUID, chatID: UUID, messageID: UUID? = nil, name: String, mediaType: String, size: Int, objectKey: String,
        createdAt: Date = Date()
    ) {
        self.id = id
        self.userID = userID
        self.chatID = chatID
        self.messageID = messageID
        self.name = name
        self.mediaType = mediaType
        self.size = size
        self.objectKey = objectKey
        self.createdAt = createdAt
    }
}

/// The `files` table, and `file_blobs` for the database blob store.
public struct FileRepository: Sendable {
    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    public func insert(_ file: FileRecord) async throws {
        try await self.database.withSQL { sql in
            try await sql.raw(
                """
                INSERT INTO files (id, user_id, chat_id, message_id, name, media_type, size, object_key, created_at)
                VALUES (\(bind: file.id), \(bind: file.userID), \(bind: file.chatID), \(bind: file.messageID), \(bind: file.name),
                        \(bind: file.mediaType), \(bind: file.size), \(bind: file.objectKey), \(bind: file.createdAt))
                """
            ).run()
        }
    }

    public func find(id: UUID) async throws -> FileRecord? {
        try await self.database.withSQL { sql in
            try await sql.raw("SELECT * FROM files WHERE id = \(bind: id)").first().map(Self.decode)
        }
    }

    /// How many files the user uploaded for the chat that no message carries yet.
    public func pendingCount(userID: UUID, chatID: UUID) async throws -> Int {
        try await self.database.withSQL { sql in
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM files WHERE user_id = \(bind: userID) AND chat_id = \(bind: chatID) AND message_id IS NULL"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Marks the user's files of that chat as carried by `messageID`; returns the ids it marked.
    @discardableResult
    public func attach(ids: [UUID], userID: UUID, chatID: UUID, messageID: UUID) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await self.database.withSQL { sql in
            var marked = 0
            for id in ids {
                marked += try await sql.raw(
                    """
                    UPDATE files SET message_id = \(bind: messageID)
                    WHERE id = \(bind: id) AND user_id = \(bind: userID) AND chat_id = \(bind: chatID) RETURNING id
                    """
                ).all().count
            }
            return marked
        }
    }

    /// Removes the rows of the chat's files and returns them, so their blobs can be deleted too.
    public func deleteAll(chatID: UUID) async throws -> [FileRecord] {
        try await self.database.withSQL { sql in
            try await sql.raw("DELETE FROM files WHERE chat_id = \(bind: chatID) RETURNING *").all().map(Self.decode)
        }
    }

    /// The chats (at most `limit`) that exist, are the user's, and hold files of theirs: what "delete all history"
    /// must clear the files of once the chats are gone.
    public func chatIDs(userID: UUID, limit: Int = 1000) async throws -> [UUID] {
        try await self.database.withSQL { sql in
            try await sql.raw(
                """
                SELECT DISTINCT f.chat_id FROM files f JOIN chats c ON c.id = f.chat_id
                WHERE f.user_id = \(bind: userID) AND c.user_id = \(bind: userID) LIMIT \(bind: limit)
                """
            ).all().map { try $0.decode(column: "chat_id", as: UUID.self) }
        }
    }

    /// Files to sweep, all older than `unsentBefore` (a first message's chat is created only when it is sent):
    /// never sent, of a chat that no longer exists, or of a message that no longer exists (an edit dropped it).
    public func stale(unsentBefore: Date, limit: Int) async throws -> [FileRecord] {
        try await self.database.withSQL { sql in
            try await sql.raw(
                """
                SELECT * FROM files f
                WHERE f.created_at < \(bind: unsentBefore)
                  AND (f.message_id IS NULL OR NOT EXISTS (SELECT 1 FROM chats c WHERE c.id = f.chat_id)
                       OR NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = f.message_id))
                ORDER BY f.created_at LIMIT \(bind: limit)
                """
            ).all().map(Self.decode)
        }
    }

    public func delete(ids: [UUID]) async throws {
        try await self.database.withSQL { sql in
            for id in ids { try await sql.raw("DELETE FROM files WHERE id = \(bind: id)").run() }
        }
    }

    // MARK: Blobs (the database store)

    public func putBlob(key: String, data: Data) async throws {
        try await self.database.withSQL { sql in
            try await sql.raw("INSERT INTO file_blobs (object_key, data) VALUES (\(bind: key), \(bind: data))").run()
        }
    }

    public func blob(key: String) async throws -> Data? {
        try await self.database.withSQL { sql in
            try await sql.raw("SELECT data FROM file_blobs WHERE object_key = \(bind: key)").first()?.decode(column: "data", as: Data.self)
        }
    }

    public func deleteBlobs(keys: [String]) async throws {
        try await self.database.withSQL { sql in
            for key in keys { try await sql.raw("DELETE FROM file_blobs WHERE object_key = \(bind: key)").run() }
        }
    }

    static func decode(_ row: any SQLRow) throws -> FileRecord {
        FileRecord(
            id: try row.decode(column: "id", as: UUID.self),
            userID: try row.decode(column: "user_id", as: UUID.self),
            chatID: try row.decode(column: "chat_id", as: UUID.self),
            messageID: try row.decode(column: "message_id", as: UUID?.self),
            name: try row.decode(column: "name", as: String.self),
            mediaType: try row.decode(column: "media_type", as: String.self),
            size: try row.decode(column: "size", as: Int.self),
            objectKey: try row.decode(column: "object_key", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Date.self)
        )
    }
}
