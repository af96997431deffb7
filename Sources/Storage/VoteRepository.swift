import Foundation
import SQLKit

/// Votes on assistant messages, one per message.
public struct VoteRepository: Sendable {
    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    /// Records or replaces the vote. Returns false when the message is not an assistant message of that chat,
    /// so a vote can never point across chats.
    @discardableResult
    public func vote(_ vote: VoteRecord) async throws -> Bool {
        try await self.database.transaction { sql in
            guard try await sql.raw(
                "SELECT id FROM messages WHERE id = \(bind: vote.messageID) AND chat_id = \(bind: vote.chatID) AND role = 'assistant'"
            ).first() != nil else { return false }
            try await sql.raw(
                """
                INSERT INTO votes (chat_id, message_id, is_upvoted) VALUES (\(bind: vote.chatID), \(bind: vote.messageID), \(bind: vote.isUpvoted))
                ON CONFLICT (chat_id, message_id) DO UPDATE SET is_upvoted = excluded.is_upvoted
                """
            ).run()
            return true
        }
    }

    public func list(chatID: UUID) async throws -> [VoteRecord] {
        try await self.database.withSQL { sql in
            try await sql.raw("SELECT * FROM votes WHERE chat_id = \(bind: chatID)").all().map { row in
                VoteRecord(
                    chatID: try row.decode(column: "chat_id", as: UUID.self),
                    messageID: try row.decode(column: "message_id", as: UUID.self),
                    isUpvoted: try row.decode(column: "is_upvoted", as: Bool.self)
                )
            }
        }
    }
}
