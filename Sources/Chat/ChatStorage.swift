import Accounts
import Foundation
import Storage

/// The stores the chat engine, follower and queries work on, passed in whole by the composition root.
public struct ChatStorage: Sendable {
    public var chats: any ChatStore
    public var messages: any MessageStore
    public var runs: any RunStore
    public var votes: any VoteStore
    public var usage: any UsageStore
    public var answers: any AnswerStore
    public var documents: any DocumentStore
    /// Progress of many runs in one transaction; without it each run's progress is saved on its own.
    public var progress: (any RunProgressStore)?

    public init(
        chats: any ChatStore, messages: any MessageStore, runs: any RunStore, votes: any VoteStore, usage: any UsageStore,
        answers: any AnswerStore, documents: any DocumentStore, progress: (any RunProgressStore)? = nil
    ) {
        self.chats = chats
        self.messages = messages
        self.runs = runs
        self.votes = votes
        self.usage = usage
        self.answers = answers
        self.documents = documents
        self.progress = progress
    }

    /// The SQLKit repositories over one database (PostgreSQL or SQLite).
    public static func sql(_ database: any DatabaseClient) -> ChatStorage {
        ChatStorage(
            chats: ChatRepository(database: database), messages: MessageRepository(database: database), runs: RunRepository(database: database),
            votes: VoteRepository(database: database), usage: QuotaRepository(database: database), answers: AnswerRepository(database: database),
            documents: DocumentRepository(database: database), progress: RunProgressRepository(database: database))
    }

    /// One in-memory store behind every protocol.
    public static func inMemory(_ storage: InMemoryChatStorage = InMemoryChatStorage()) -> ChatStorage {
        ChatStorage(chats: storage, messages: storage, runs: storage, votes: storage, usage: storage, answers: storage, documents: storage, progress: storage)
    }
}

/// Charges a user's message allowance; throws when it is used up.
public protocol MessageAllowance: Sendable {
    func consumeMessage(for user: SessionUser, now: Date) async throws
}

extension Entitlements: MessageAllowance {}

/// No limit (tests, and single-user setups that want none).
public struct UnlimitedAllowance: MessageAllowance {
    public init() {}
    public func consumeMessage(for user: SessionUser, now: Date) async throws {}
}
