import Foundation
import Storage
import TestSupport
import Testing

/// The document store's rules, the same on SQLite, PostgreSQL and in memory.
@Suite("Documents") struct DocumentRepositoryTests {
    enum Backend: String, CaseIterable, CustomStringConvertible {
        case sqlite, postgres, memory
        var description: String { self.rawValue }
        static var all: [Backend] { TestDatabase.kinds.map { $0 == .sqlite ? .sqlite : .postgres } + [.memory] }
    }

    /// A store with two users and a chat each; `deleteChat` deletes a chat as its owner does.
    struct Fixture: Sendable {
        let store: any DocumentStore
        let alice: UUID
        let mallory: UUID
        let aliceChat: UUID
        let malloryChat: UUID
        let deleteChat: @Sendable (UUID, UUID) async throws -> Void
    }

    func with(_ backend: Backend, _ body: (Fixture) async throws -> Void) async throws {
        let alice = UserRecord(kind: .guest)
        let mallory = UserRecord(kind: .guest)
        let aliceChat = ChatRecord(id: UUID(), userID: alice.id, title: "A", visibility: .private)
        let malloryChat = ChatRecord(id: UUID(), userID: mallory.id, title: "M", visibility: .private)
        switch backend {
        case .memory:
            let memory = InMemoryChatStorage()
            try await memory.create(aliceChat)
            try await memory.create(malloryChat)
            try await body(Fixture(
                store: memory, alice: alice.id, mallory: mallory.id, aliceChat: aliceChat.id, malloryChat: malloryChat.id,
                deleteChat: { id, owner in _ = try await memory.delete(id: id, ownedBy: owner) }))
        case .sqlite, .postgres:
            try await TestDatabase.withMigrated(backend == .sqlite ? .sqlite : .postgres) { db in
                let users = UserRepository(database: db)
                try await users.create(alice)
                try await users.create(mallory)
                let chats = ChatRepository(database: db)
                try await chats.create(aliceChat)
                try await chats.create(malloryChat)
                try await body(Fixture(
                    store: DocumentRepository(database: db), alice: alice.id, mallory: mallory.id, aliceChat: aliceChat.id,
                    malloryChat: malloryChat.id, deleteChat: { id, owner in _ = try await chats.delete(id: id, ownedBy: owner) }))
            }
        }
    }

    func draft(_ id: UUID, _ user: UUID, chat: UUID?, _ content: String) -> DocumentRecord {
        DocumentRecord(id: id, userID: user, chatID: chat, title: "Essay", kind: .text, content: content)
    }

    @Test("versions are kept oldest first, apart, and only for their owner", arguments: Backend.all)
    func versions(backend: Backend) async throws {
        try await self.with(backend) { f in
            let id = UUID()
            let first = try #require(try await f.store.addVersion(self.draft(id, f.alice, chat: f.aliceChat, "one")))
            // A later save without a chat keeps the document in its chat.
            let second = try #require(try await f.store.addVersion(self.draft(id, f.alice, chat: nil, "two")))
            #expect(second.chatID == f.aliceChat)
            #expect(second.createdAt.timeIntervalSince(first.createdAt) >= DocumentVersions.spacing - 0.0001)
            let versions = try await f.store.versions(of: id, ownedBy: f.alice)
            #expect(versions.map(\.content) == ["one", "two"])
            #expect(versions.allSatisfy { $0.chatID == f.aliceChat && $0.kind == .text })
            #expect(try await f.store.versions(of: id, ownedBy: f.mallory).isEmpty)
            // Mallory can neither add a version to Alice's document nor put a new one in Alice's chat.
            #expect(try await f.store.addVersion(self.draft(id, f.mallory, chat: f.malloryChat, "mine")) == nil)
            #expect(try await f.store.addVersion(self.draft(UUID(), f.mallory, chat: f.aliceChat, "mine")) == nil)
            #expect(try await f.store.versions(of: id, ownedBy: f.alice).count == 2)
        }
    }

    @Test("restoring a version deletes the later ones and their suggestions, matched by the millisecond time clients see", arguments: Backend.all)
    func restore(backend: Backend) async throws {
        try await self.with(backend) { f in
            let id = UUID()
            var stored: [DocumentRecord] = []
            for text in ["v1", "v2", "v3"] {
                stored.append(try #require(try await f.store.addVersion(self.draft(id, f.alice, chat: f.aliceChat, text))))
            }
            let suggestion = SuggestionRecord(
                documentID: id, documentCreatedAt: stored[2].createdAt, userID: f.alice, originalText: "v3", suggestedText: "V3", description: "caps")
            #expect(try await f.store.addSuggestion(suggestion))
            #expect(try await f.store.suggestions(documentID: id, ownedBy: f.alice).map(\.suggestedText) == ["V3"])
            #expect(try await f.store.suggestions(documentID: id, ownedBy: f.mallory).isEmpty)
            // The time as the API prints it: ISO 8601 with milliseconds.
            let printed = stored[0].createdAt.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
            let shown = try Date(printed, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))
            #expect(try await f.store.deleteVersions(of: id, after: shown, ownedBy: f.mallory) == nil)
            #expect(try await f.store.deleteVersions(of: id, after: shown.addingTimeInterval(-60), ownedBy: f.alice) == nil)
            let deleted = try #require(try await f.store.deleteVersions(of: id, after: shown, ownedBy: f.alice))
            #expect(deleted.map(\.content) == ["v2", "v3"])
            #expect(try await f.store.versions(of: id, ownedBy: f.alice).map(\.content) == ["v1"])
            #expect(try await f.store.suggestions(documentID: id, ownedBy: f.alice).isEmpty)
        }
    }

    @Test("a suggestion needs a version its user owns", arguments: Backend.all)
    func suggestionOwnership(backend: Backend) async throws {
        try await self.with(backend) { f in
            let id = UUID()
            let version = try #require(try await f.store.addVersion(self.draft(id, f.alice, chat: f.aliceChat, "text")))
            let foreign = SuggestionRecord(
                documentID: id, documentCreatedAt: version.createdAt, userID: f.mallory, originalText: "text", suggestedText: "x", description: nil)
            #expect(try await f.store.addSuggestion(foreign) == false)
            let missing = SuggestionRecord(
                documentID: id, documentCreatedAt: version.createdAt.addingTimeInterval(10), userID: f.alice, originalText: "t", suggestedText: "x",
                description: nil)
            #expect(try await f.store.addSuggestion(missing) == false)
        }
    }

    @Test("deleting a chat deletes its documents and their suggestions", arguments: Backend.all)
    func chatCascade(backend: Backend) async throws {
        try await self.with(backend) { f in
            let id = UUID()
            let version = try #require(try await f.store.addVersion(self.draft(id, f.alice, chat: f.aliceChat, "text")))
            _ = try await f.store.addSuggestion(SuggestionRecord(
                documentID: id, documentCreatedAt: version.createdAt, userID: f.alice, originalText: "text", suggestedText: "Text", description: nil))
            let other = UUID()
            _ = try await f.store.addVersion(self.draft(other, f.mallory, chat: f.malloryChat, "kept"))
            try await f.deleteChat(f.aliceChat, f.alice)
            #expect(try await f.store.versions(of: id, ownedBy: f.alice).isEmpty)
            #expect(try await f.store.suggestions(documentID: id, ownedBy: f.alice).isEmpty)
            #expect(try await f.store.versions(of: other, ownedBy: f.mallory).count == 1)
        }
    }
}
