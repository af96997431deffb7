import Foundation
import SQLKit
import Storage
import TestSupport
import Testing

/// Answers that end together are saved in the flush tick's one transaction (`save(progress:finals:at:)`): one of
/// them losing its chat meanwhile must not roll back the others, and a save sent again must not count twice.
@Suite("Last saves of ending answers") struct RunFinalTests {
    @Test("ending answers are saved together; a deleted chat's answer does not fail the others; a repeat counts once", arguments: TestDatabase.kinds)
    func finals(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let user = UserRecord(email: nil, kind: .guest)
            try await UserRepository(database: db).create(user)
            let (kept, keptRun) = try await self.startAnswer(db, user: user)
            let (gone, goneRun) = try await self.startAnswer(db, user: user)
            #expect(try await ChatRepository(database: db).delete(id: gone.chatID, ownedBy: user.id))

            let finals = [self.final(kept, run: keptRun, user: user), self.final(gone, run: goneRun, user: user)]
            let store = RunProgressRepository(database: db)
            _ = try await store.save(progress: [], finals: finals, at: Date())
            // Sent again, as after a commit whose acknowledgement was lost.
            _ = try await store.save(progress: [], finals: finals, at: Date())

            let runs = RunRepository(database: db)
            #expect(try await runs.find(id: keptRun.id)?.status == .completed)
            #expect(try await runs.chunks(of: keptRun.id, after: -1).map(\.chunk) == ["c0", "c1"])
            let message = try #require(try await MessageRepository(database: db).find(id: kept.id, chatID: kept.chatID))
            #expect(message.status == .complete)
            #expect(message.usage.outputTokens == 7)
            let counted = try await db.withSQL { sql in
                try await sql.raw("SELECT message_id FROM usage_events WHERE user_id = \(bind: user.id)").all()
                    .map { try $0.decode(column: "message_id", as: UUID.self) }
            }
            // Usage outlives chats: the deleted chat's answer is counted too, and each answer once.
            #expect(counted.sorted { $0.uuidString < $1.uuidString } == [kept.id, gone.id].sorted { $0.uuidString < $1.uuidString })
        }
    }

    func startAnswer(_ db: any DatabaseClient, user: UserRecord) async throws -> (MessageRecord, RunRecord) {
        let chat = ChatRecord(id: UUID(), userID: user.id, title: "t", visibility: .private)
        try await ChatRepository(database: db).create(chat)
        let answer = MessageRecord(id: UUID(), chatID: chat.id, role: .assistant, parts: [], status: .streaming)
        try await MessageRepository(database: db).insert(answer)
        let run = RunRecord(chatID: chat.id, messageID: answer.id, userID: user.id, model: "m", instanceID: "i")
        try await RunRepository(database: db).create(run)
        return (answer, run)
    }

    func final(_ answer: MessageRecord, run: RunRecord, user: UserRecord) -> RunFinal {
        var message = answer
        message.status = .complete
        message.usage = StoredUsage(inputTokens: 3, outputTokens: 7, cacheReadTokens: 0, cacheWriteTokens: 0)
        return RunFinal(
            progress: RunProgress(runID: run.id, firstSeq: 0, chunks: ["c0", "c1"], message: nil), message: message, runStatus: .completed,
            userID: user.id, model: "m")
    }
}
