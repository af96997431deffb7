import Foundation
import SQLKit

extension RunProgressRepository {
    /// The statements of an answer's end inside the flush transaction: the finished message, the run's verdict
    /// (a finished run keeps its first one) and the usage. None of them can fail for a chat or user deleted
    /// meanwhile, which would roll back every other answer's save in the same transaction.
    static func saveFinal(_ final: RunFinal, at date: Date, kind: DatabaseKind, on sql: any SQLDatabase) async throws {
        let m = final.message
        try await MessageRepository.update(m, on: sql)
        let runID = final.progress.runID
        var finish: SQLQueryString = """
            UPDATE generation_runs SET status = \(bind: final.runStatus.rawValue), error = \(bind: m.error), finished_at = \(bind: date)
            WHERE id = \(bind: runID) AND status = 'running'
            """
        if kind == .postgres {
            // Followers on other instances learn of the end when the transaction commits.
            finish = """
                WITH ended AS (\(finish) RETURNING id)
                SELECT pg_notify(\(bind: RunChangeChannel.name), \(bind: RunChangeChannel.compact(runID))) FROM ended
                """
        }
        try await sql.raw(finish).run()
        // No foreign key on the chat (usage outlives chats); the user may have been deleted meanwhile; and a
        // save whose commit was acknowledged late is sent again, which must not count the answer twice.
        try await sql.raw(
            """
            INSERT INTO usage_events (id, user_id, chat_id, message_id, model, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, created_at)
            SELECT \(bind: UUID()), \(bind: final.userID), \(bind: m.chatID), \(bind: m.id), \(bind: final.model), \(bind: m.usage.inputTokens),
                \(bind: m.usage.outputTokens), \(bind: m.usage.cacheReadTokens), \(bind: m.usage.cacheWriteTokens), \(bind: date)
            WHERE EXISTS (SELECT 1 FROM users WHERE id = \(bind: final.userID))
                AND NOT EXISTS (SELECT 1 FROM usage_events WHERE user_id = \(bind: final.userID) AND message_id = \(bind: m.id))
            """
        ).run()
    }
}
