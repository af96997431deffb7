import Foundation
import SQLKit

/// Documents (one row per version) and their suggestions, on PostgreSQL or SQLite.
public struct DocumentRepository: DocumentStore {
    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    public func versions(of id: UUID, ownedBy userID: UUID) async throws -> [DocumentRecord] {
        try await self.database.withSQL { sql in
            try await sql.raw(
                "SELECT * FROM documents WHERE id = \(bind: id) AND user_id = \(bind: userID) ORDER BY created_at"
            ).all().map(Self.decode)
        }
    }

    public func addVersion(_ document: DocumentRecord) async throws -> DocumentRecord? {
        try await self.database.transaction { sql in
            var stored = document
            let newest = try await sql.raw(
                "SELECT user_id, chat_id, created_at FROM documents WHERE id = \(bind: document.id) ORDER BY created_at DESC LIMIT 1"
            ).first()
            if let newest {
                guard try newest.decode(column: "user_id", as: UUID.self) == document.userID else { return nil }
                stored.chatID = try newest.decode(column: "chat_id", as: UUID?.self)
            } else if let chatID = document.chatID {
                guard try await sql.raw("SELECT id FROM chats WHERE id = \(bind: chatID) AND user_id = \(bind: document.userID)").first() != nil
                else { return nil }
            }
            stored.createdAt = DocumentVersions.nextTimestamp(after: try newest?.decode(column: "created_at", as: Date.self))
            try await sql.raw(
                """
                INSERT INTO documents (id, created_at, user_id, chat_id, title, kind, content)
                VALUES (\(bind: stored.id), \(bind: stored.createdAt), \(bind: stored.userID), \(bind: stored.chatID), \(bind: stored.title),
                        \(bind: stored.kind.rawValue), \(bind: stored.content))
                """
            ).run()
            return stored
        }
    }

    public func deleteVersions(of id: UUID, after timestamp: Date, ownedBy userID: UUID) async throws -> [DocumentRecord]? {
        let low = timestamp.addingTimeInterval(-DocumentVersions.tolerance)
        let high = timestamp.addingTimeInterval(DocumentVersions.tolerance)
        return try await self.database.transaction { sql in
            guard try await sql.raw(
                """
                SELECT id FROM documents WHERE id = \(bind: id) AND user_id = \(bind: userID)
                AND created_at > \(bind: low) AND created_at < \(bind: high)
                """
            ).first() != nil else { return nil }
            // Suggestions go with their versions (the foreign key cascades; deleting them first keeps SQLite honest
            // even where foreign keys were left off).
            try await sql.raw(
                "DELETE FROM suggestions WHERE document_id = \(bind: id) AND document_created_at >= \(bind: high)"
            ).run()
            return try await sql.raw(
                "DELETE FROM documents WHERE id = \(bind: id) AND user_id = \(bind: userID) AND created_at >= \(bind: high) RETURNING *"
            ).all().map(Self.decode).sorted { $0.createdAt < $1.createdAt }
        }
    }

    public func addSuggestion(_ suggestion: SuggestionRecord) async throws -> Bool {
        let low = suggestion.documentCreatedAt.addingTimeInterval(-DocumentVersions.tolerance)
        let high = suggestion.documentCreatedAt.addingTimeInterval(DocumentVersions.tolerance)
        // The version's time is copied in SQL: a Date decoded and bound again may differ in the last bit, and the
        // foreign key wants the stored value exactly.
        return try await self.database.withSQL { sql in
            !(try await sql.raw(
                """
                INSERT INTO suggestions (id, document_id, document_created_at, user_id, original_text, suggested_text, description, is_resolved, created_at)
                SELECT \(bind: suggestion.id), id, created_at, user_id, \(bind: suggestion.originalText), \(bind: suggestion.suggestedText),
                       \(bind: suggestion.description), \(bind: suggestion.isResolved), \(bind: suggestion.createdAt)
                FROM documents WHERE id = \(bind: suggestion.documentID) AND user_id = \(bind: suggestion.userID)
                AND created_at > \(bind: low) AND created_at < \(bind: high)
                RETURNING id
                """
            ).all().isEmpty)
        }
    }

    public func suggestions(documentID: UUID, ownedBy userID: UUID) async throws -> [SuggestionRecord] {
        try await self.database.withSQL { sql in
            try await sql.raw(
                "SELECT * FROM suggestions WHERE document_id = \(bind: documentID) AND user_id = \(bind: userID) ORDER BY created_at, id"
            ).all().map { row in
                SuggestionRecord(
                    id: try row.decode(column: "id", as: UUID.self),
                    documentID: try row.decode(column: "document_id", as: UUID.self),
                    documentCreatedAt: try row.decode(column: "document_created_at", as: Date.self),
                    userID: try row.decode(column: "user_id", as: UUID.self),
                    originalText: try row.decode(column: "original_text", as: String.self),
                    suggestedText: try row.decode(column: "suggested_text", as: String.self),
                    description: try row.decode(column: "description", as: String?.self),
                    isResolved: try row.decode(column: "is_resolved", as: Bool.self),
                    createdAt: try row.decode(column: "created_at", as: Date.self))
            }
        }
    }

    static func decode(_ row: any SQLRow) throws -> DocumentRecord {
        DocumentRecord(
            id: try row.decode(column: "id", as: UUID.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            userID: try row.decode(column: "user_id", as: UUID.self),
            chatID: try row.decode(column: "chat_id", as: UUID?.self),
            title: try row.decode(column: "title", as: String.self),
            kind: DocumentKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .text,
            content: try row.decode(column: "content", as: String.self))
    }
}
