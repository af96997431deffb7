import Foundation
import SQLKit

/// Starts answers in one transaction. The unique partial index `generation_runs_one_running` (migration 4) is
/// what guarantees one running answer per chat across requests and instances; the checks before it only
/// turn the common cases into precise errors.
public struct AnswerRepository: AnswerStore {
    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    public func begin(_ start: AnswerStart) async throws {
        let kind = self.database.kind
        do {
            try await self.database.transaction { sql in
                let chatID = start.run.chatID
                if let chat = start.newChat {
                    try await ChatRepository.insert(chat, on: sql)
                } else {
                    // Requests on one chat take turns from here (SQLite's BEGIN IMMEDIATE already serialises), so
                    // each sees the answer the one before it started instead of deleting it as "later messages".
                    if kind == .postgres {
                        try await sql.raw("SELECT id FROM chats WHERE id = \(bind: chatID) FOR UPDATE").run()
                    }
                    if try await sql.raw("SELECT id FROM generation_runs WHERE chat_id = \(bind: chatID) AND status = 'running'").first() != nil {
                        throw AnswerStartConflict.answerRunning
                    }
                }
                if let user = start.userMessage,
                    let row = try await sql.raw("SELECT chat_id FROM messages WHERE id = \(bind: user.id)").first(),
                    try row.decode(column: "chat_id", as: UUID.self) != chatID
                {
                    throw AnswerStartConflict.messageIDTaken
                }
                if let from = start.replaceFrom {
                    // The message the request saw is gone: another request rewrote the chat since it was read.
                    guard try await MessageRepository.deleteFrom(messageID: from, chatID: chatID, on: sql) > 0 else {
                        throw AnswerStartConflict.concurrentChange
                    }
                }
                if let user = start.userMessage { try await MessageRepository.insert(user, on: sql) }
                try await MessageRepository.insert(start.assistant, on: sql)
                try await RunRepository.insert(start.run, on: sql)
                try await sql.raw("UPDATE chats SET updated_at = \(bind: start.assistant.createdAt) WHERE id = \(bind: chatID)").run()
            }
        } catch is DatabaseConflict {
            // Another request won the race for the same chat, message id or running slot.
            throw start.newChat != nil ? AnswerStartConflict.chatTaken : AnswerStartConflict.concurrentChange
        }
    }
}
