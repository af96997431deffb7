import Foundation
import Storage
import TestSupport
import Testing
import UIMessageStream

/// One suite, two engines: every query must behave the same on SQLite and PostgreSQL.
@Suite("Repositories") struct RepositoryTests {
    func seedUser(_ db: any DatabaseClient, email: String? = nil) async throws -> UserRecord {
        let user = UserRecord(email: email, kind: email == nil ? .guest : .regular)
        try await UserRepository(database: db).create(user)
        return user
    }

    @Test("another user's chat is invisible to owner-scoped lookups", arguments: TestDatabase.kinds)
    func ownership(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let chats = ChatRepository(database: db)
            let alice = try await self.seedUser(db, email: "alice@example.com")
            let mallory = try await self.seedUser(db)
            let chat = ChatRecord(id: UUID(), userID: alice.id, title: "Plans", visibility: .private)
            try await chats.create(chat)
            #expect(try await chats.find(id: chat.id, ownedBy: alice.id)?.id == chat.id)
            #expect(try await chats.find(id: chat.id, ownedBy: mallory.id) == nil)
            #expect(try await chats.setVisibility(.public, of: chat.id, ownedBy: mallory.id) == false)
            #expect(try await chats.delete(id: chat.id, ownedBy: mallory.id) == false)
            #expect(try await chats.find(id: chat.id)?.visibility == .private)
            #expect(try await chats.setVisibility(.public, of: chat.id, ownedBy: alice.id))
            #expect(try await chats.find(id: chat.id)?.visibility == .public)
        }
    }

    @Test("history pages newest first with a keyset cursor and no overlap", arguments: TestDatabase.kinds)
    func historyPaging(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let chats = ChatRepository(database: db)
            let user = try await self.seedUser(db)
            let other = try await self.seedUser(db)
            let base = Date(timeIntervalSince1970: 1_700_000_000)
            var created: [ChatRecord] = []
            for index in 0..<7 {
                // Two chats share a timestamp to prove the id tie-break.
                let chat = ChatRecord(id: UUID(), userID: user.id, title: "Chat \(index)", visibility: .private,
                                      createdAt: base.addingTimeInterval(Double(min(index, 5) * 60)))
                try await chats.create(chat)
                created.append(chat)
            }
            try await chats.create(ChatRecord(id: UUID(), userID: other.id, title: "Not mine", visibility: .public))
            var seen: [UUID] = []
            var cursor: UUID? = nil
            var pages = 0
            repeat {
                let page = try await chats.history(of: user.id, limit: 3, endingBefore: cursor)
                seen += page.chats.map(\.id)
                cursor = page.chats.last?.id
                pages += 1
                if !page.hasMore { break }
            } while pages < 10
            #expect(pages == 3)
            #expect(Set(seen) == Set(created.map(\.id)))
            #expect(seen.count == 7)
            let dates = try await seen.asyncMap { try await chats.find(id: $0)!.createdAt }
            #expect(dates == dates.sorted(by: >))
        }
    }

    @Test("messages keep parts as JSON and editing deletes the message and what follows", arguments: TestDatabase.kinds)
    func messagesAndTruncation(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let user = try await self.seedUser(db)
            let chat = ChatRecord(id: UUID(), userID: user.id, title: "t", visibility: .private)
            try await ChatRepository(database: db).create(chat)
            let messages = MessageRepository(database: db)
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            var ids: [UUID] = []
            for index in 0..<4 {
                let message = MessageRecord(
                    id: UUID(), chatID: chat.id, role: index % 2 == 0 ? .user : .assistant,
                    parts: [["type": "text", "text": .string("m\(index) ünïcode \"quoted\" 🎉")]],
                    usage: StoredUsage(inputTokens: index, outputTokens: 2 * index, cacheReadTokens: 3, cacheWriteTokens: 4),
                    createdAt: start.addingTimeInterval(Double(index)))
                try await messages.insert(message)
                ids.append(message.id)
            }
            let listed = try await messages.list(chatID: chat.id)
            #expect(listed.map(\.id) == ids)
            #expect(listed[3].parts.first?["text"]?.stringValue == "m3 ünïcode \"quoted\" 🎉")
            #expect(listed[3].usage == StoredUsage(inputTokens: 3, outputTokens: 6, cacheReadTokens: 3, cacheWriteTokens: 4))
            #expect(try await messages.deleteFrom(messageID: ids[2], chatID: UUID()) == 0)
            #expect(try await messages.deleteFrom(messageID: ids[2], chatID: chat.id) == 2)
            #expect(try await messages.list(chatID: chat.id).map(\.id) == Array(ids.prefix(2)))
        }
    }

    @Test("a vote must name an assistant message of the same chat", arguments: TestDatabase.kinds)
    func votes(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let user = try await self.seedUser(db)
            let chats = ChatRepository(database: db)
            let a = ChatRecord(id: UUID(), userID: user.id, title: "a", visibility: .private)
            let b = ChatRecord(id: UUID(), userID: user.id, title: "b", visibility: .private)
            try await chats.create(a)
            try await chats.create(b)
            let answer = MessageRecord(id: UUID(), chatID: a.id, role: .assistant, parts: [])
            let question = MessageRecord(id: UUID(), chatID: a.id, role: .user, parts: [])
            try await MessageRepository(database: db).insert(question)
            try await MessageRepository(database: db).insert(answer)
            let votes = VoteRepository(database: db)
            #expect(try await votes.vote(VoteRecord(chatID: b.id, messageID: answer.id, isUpvoted: true)) == false)
            #expect(try await votes.vote(VoteRecord(chatID: a.id, messageID: question.id, isUpvoted: true)) == false)
            #expect(try await votes.vote(VoteRecord(chatID: a.id, messageID: answer.id, isUpvoted: true)))
            #expect(try await votes.vote(VoteRecord(chatID: a.id, messageID: answer.id, isUpvoted: false)))
            #expect(try await votes.list(chatID: a.id) == [VoteRecord(chatID: a.id, messageID: answer.id, isUpvoted: false)])
        }
    }

    @Test("deleting a chat removes its messages, votes and runs", arguments: TestDatabase.kinds)
    func cascade(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let user = try await self.seedUser(db)
            let chat = ChatRecord(id: UUID(), userID: user.id, title: "t", visibility: .private)
            try await ChatRepository(database: db).create(chat)
            let answer = MessageRecord(id: UUID(), chatID: chat.id, role: .assistant, parts: [], status: .streaming)
            try await MessageRepository(database: db).insert(answer)
            try await VoteRepository(database: db).vote(VoteRecord(chatID: chat.id, messageID: answer.id, isUpvoted: true))
            let runs = RunRepository(database: db)
            let run = RunRecord(chatID: chat.id, messageID: answer.id, userID: user.id, model: "m", instanceID: "i")
            try await runs.create(run)
            try await runs.append(chunks: ["{\"type\":\"start\"}", "{\"type\":\"text-start\",\"id\":\"0\"}"], to: run.id, startingAt: 0)
            #expect(try await ChatRepository(database: db).delete(id: chat.id, ownedBy: user.id))
            #expect(try await MessageRepository(database: db).list(chatID: chat.id).isEmpty)
            #expect(try await VoteRepository(database: db).list(chatID: chat.id).isEmpty)
            #expect(try await runs.find(id: run.id) == nil)
            #expect(try await runs.chunks(of: run.id, after: -1).isEmpty)
        }
    }

    @Test("run chunks append in order, replay from an offset, and a finished run cannot be reopened", arguments: TestDatabase.kinds)
    func runs(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let user = try await self.seedUser(db)
            let chat = ChatRecord(id: UUID(), userID: user.id, title: "t", visibility: .private)
            try await ChatRepository(database: db).create(chat)
            let answer = MessageRecord(id: UUID(), chatID: chat.id, role: .assistant, parts: [], status: .streaming)
            try await MessageRepository(database: db).insert(answer)
            let runs = RunRepository(database: db)
            let run = RunRecord(chatID: chat.id, messageID: answer.id, userID: user.id, model: "m", instanceID: "a")
            try await runs.create(run)
            try await runs.append(chunks: ["c0", "c1", "c2"], to: run.id, startingAt: 0)
            try await runs.append(chunks: ["c3"], to: run.id, startingAt: 3)
            #expect(try await runs.chunks(of: run.id, after: 1).map(\.chunk) == ["c2", "c3"])
            #expect(try await runs.find(id: run.id)?.chunkCount == 4)
            #expect(try await runs.requestCancel(run.id))
            #expect(try await runs.find(id: run.id)?.cancelRequested == true)
            try await runs.finish(run.id, status: .stopped)
            try await runs.finish(run.id, status: .completed)
            #expect(try await runs.find(id: run.id)?.status == .stopped)
            #expect(try await runs.requestCancel(run.id) == false)
            #expect(try await runs.latest(chatID: chat.id)?.id == run.id)
        }
    }

    @Test("the message quota grants exactly the limit in the window", arguments: TestDatabase.kinds)
    func quota(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let user = try await self.seedUser(db)
            let quota = QuotaRepository(database: db)
            let now = Date()
            var granted = 0
            for _ in 0..<5 {
                if try await quota.takeMessage(userID: user.id, limit: 3, since: now.addingTimeInterval(-86400), at: now) == nil { granted += 1 }
            }
            #expect(granted == 3)
            // Outside the window the old messages no longer count.
            #expect(try await quota.takeMessage(userID: user.id, limit: 3, since: now.addingTimeInterval(1), at: now.addingTimeInterval(2)) == nil)
        }
    }

    @Test("a guest merged into an account brings its chats", arguments: TestDatabase.kinds)
    func mergeGuest(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let users = UserRepository(database: db)
            let guest = try await self.seedUser(db)
            let account = try await self.seedUser(db, email: "a@example.com")
            let chat = ChatRecord(id: UUID(), userID: guest.id, title: "guest chat", visibility: .private)
            try await ChatRepository(database: db).create(chat)
            try await users.mergeGuest(guest.id, into: account.id)
            #expect(try await ChatRepository(database: db).find(id: chat.id, ownedBy: account.id) != nil)
            #expect(try await users.find(id: guest.id) == nil)
            #expect(try await users.upgradeGuest(id: account.id, email: "x@example.com", passwordHash: "h") == false)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
