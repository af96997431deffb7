import Foundation

// What the chat engine needs from storage, as protocols: the SQLKit repositories implement them for
// PostgreSQL and SQLite, `InMemoryChatStorage` for tests that need no database.

public protocol ChatStore: Sendable {
    func create(_ chat: ChatRecord) async throws
    /// The chat whatever its owner; callers decide what a non-owner may see.
    func find(id: UUID) async throws -> ChatRecord?
    func find(id: UUID, ownedBy userID: UUID) async throws -> ChatRecord?
    func history(of userID: UUID, limit: Int, endingBefore: UUID?) async throws -> (chats: [ChatRecord], hasMore: Bool)
    @discardableResult func setTitle(_ title: String, of id: UUID, ownedBy userID: UUID) async throws -> Bool
    @discardableResult func setVisibility(_ visibility: Visibility, of id: UUID, ownedBy userID: UUID) async throws -> Bool
    @discardableResult func delete(id: UUID, ownedBy userID: UUID) async throws -> Bool
    @discardableResult func deleteAll(ownedBy userID: UUID) async throws -> Int
}

public protocol MessageStore: Sendable {
    func insert(_ message: MessageRecord) async throws
    func update(_ message: MessageRecord) async throws
    /// Oldest first.
    func list(chatID: UUID) async throws -> [MessageRecord]
    func find(id: UUID, chatID: UUID) async throws -> MessageRecord?
}

/// A run's progress to keep: the chunks since the last save, numbered from `firstSeq`, and the answer
/// message as it stands (nil when its parts did not change).
public struct RunProgress: Sendable {
    public var runID: UUID
    public var firstSeq: Int
    public var chunks: [String]
    public var message: MessageRecord?

    public init(runID: UUID, firstSeq: Int, chunks: [String], message: MessageRecord?) {
        self.runID = runID
        self.firstSeq = firstSeq
        self.chunks = chunks
        self.message = message
    }
}

/// Saves the progress of many runs at once (one transaction), so a flush tick costs the same few
/// statements whether one answer runs or hundreds.
public protocol RunProgressStore: Sendable {
    /// Stores every batch idempotently (chunks, heartbeat, parts) and every answer's last save, in one
    /// transaction; returns the runs asked to stop.
    func save(progress: [RunProgress], finals: [RunFinal], at date: Date) async throws -> Set<UUID>
}

extension RunProgressStore {
    public func save(progress: [RunProgress], at date: Date) async throws -> Set<UUID> {
        try await self.save(progress: progress, finals: [], at: date)
    }
}

/// An answer's last save: its remaining chunks (`progress`, without a message), the finished message, the
/// run's verdict and the usage to record. Ending answers share the flush tick's transaction instead of four
/// statements each, which serialised behind each other when hundreds ended at once.
public struct RunFinal: Sendable {
    public var progress: RunProgress
    public var message: MessageRecord
    public var runStatus: RunRecord.Status
    public var userID: UUID
    public var model: String

    public init(progress: RunProgress, message: MessageRecord, runStatus: RunRecord.Status, userID: UUID, model: String) {
        self.progress = progress
        self.message = message
        self.runStatus = runStatus
        self.userID = userID
        self.model = model
    }
}

public protocol RunStore: Sendable {
    func find(id: UUID) async throws -> RunRecord?
    func latest(chatID: UUID) async throws -> RunRecord?
    /// Appends chunks numbered from `firstSeq` (idempotently) and refreshes the heartbeat; returns whether a stop was requested.
    @discardableResult func append(chunks: [String], to runID: UUID, startingAt firstSeq: Int, at date: Date) async throws -> Bool
    /// Chunks with `seq > after`, in order.
    func chunks(of runID: UUID, after: Int, limit: Int) async throws -> [(seq: Int, chunk: String)]
    /// Records the outcome of a running run; a finished run keeps its verdict.
    func finish(_ runID: UUID, status: RunRecord.Status, error: String?, at date: Date) async throws
    @discardableResult func requestCancel(_ runID: UUID) async throws -> Bool
    /// Running runs whose heartbeat is older than `before`, oldest first.
    func silent(since before: Date, limit: Int) async throws -> [RunRecord]
}

public protocol VoteStore: Sendable {
    /// False when the message is not an assistant message of that chat.
    @discardableResult func vote(_ vote: VoteRecord) async throws -> Bool
    func list(chatID: UUID) async throws -> [VoteRecord]
}

public protocol UsageStore: Sendable {
    func recordUsage(userID: UUID, chatID: UUID?, messageID: UUID?, model: String, usage: StoredUsage, at date: Date) async throws
}

/// Everything that starts an answer, written in one transaction so a conflict leaves nothing behind
/// (no empty chat, no half-edited history).
public struct AnswerStart: Sendable {
    /// Created when set (a first message).
    public var newChat: ChatRecord?
    /// This message and every later one of the chat are deleted first (an edit or a regenerate).
    public var replaceFrom: UUID?
    public var userMessage: MessageRecord?
    public var assistant: MessageRecord
    public var run: RunRecord

    public init(newChat: ChatRecord?, replaceFrom: UUID?, userMessage: MessageRecord?, assistant: MessageRecord, run: RunRecord) {
        self.newChat = newChat
        self.replaceFrom = replaceFrom
        self.userMessage = userMessage
        self.assistant = assistant
        self.run = run
    }
}

/// Why an answer could not start; every case is the client's to resolve (a 4xx), never a server fault.
public enum AnswerStartConflict: Error, Equatable, Sendable {
    /// The chat already has a running answer (the database allows one per chat).
    case answerRunning
    /// The user message id belongs to another chat.
    case messageIDTaken
    /// The chat id exists and belongs to someone else.
    case chatTaken
    /// A concurrent request changed the same rows first.
    case concurrentChange
}

public protocol AnswerStore: Sendable {
    /// Applies `start` atomically, or throws `AnswerStartConflict` and changes nothing.
    func begin(_ start: AnswerStart) async throws
}

extension ChatRepository: ChatStore {}
extension MessageRepository: MessageStore {}
extension RunRepository: RunStore {}
extension VoteRepository: VoteStore {}
extension QuotaRepository: UsageStore {}
