import Foundation

/// Chats, messages, runs, votes and usage in memory, with the same rules the SQL schema enforces
/// (cascading deletes, one running run per chat, message ids unique across chats). For tests.
public actor InMemoryChatStorage: ChatStore, MessageStore, RunStore, VoteStore, UsageStore, AnswerStore, RunProgressStore, DocumentStore {
    private var chats: [UUID: ChatRecord] = [:]
    private var messages: [UUID: MessageRecord] = [:]
    private var runs: [UUID: RunRecord] = [:]
    private var chunks: [UUID: [Int: String]] = [:]
    private var votes: [UUID: VoteRecord] = [:]
    /// Document versions and suggestions, kept here so deleting a chat deletes its documents as the schema does.
    var documentVersions: [DocumentRecord] = []
    var documentSuggestions: [SuggestionRecord] = []
    public private(set) var usage: [(userID: UUID, model: String, usage: StoredUsage)] = []
    /// How many runs each progress save covered (one entry per transaction), for tests of the shared flusher.
    public private(set) var progressSaveSizes: [Int] = []

    public init() {}

    // MARK: Chats

    public func create(_ chat: ChatRecord) async throws {
        guard self.chats[chat.id] == nil else { throw AnswerStartConflict.chatTaken }
        self.chats[chat.id] = chat
    }

    public func find(id: UUID) async throws -> ChatRecord? { self.chats[id] }

    public func find(id: UUID, ownedBy userID: UUID) async throws -> ChatRecord? {
        self.chats[id].flatMap { $0.userID == userID ? $0 : nil }
    }

    public func history(of userID: UUID, limit: Int, endingBefore: UUID?) async throws -> (chats: [ChatRecord], hasMore: Bool) {
        var mine = self.chats.values.filter { $0.userID == userID }.sorted { ($0.createdAt, $0.id.uuidString) > ($1.createdAt, $1.id.uuidString) }
        if let cursor = endingBefore {
            guard let index = mine.firstIndex(where: { $0.id == cursor }) else { return ([], false) }
            mine = Array(mine[(index + 1)...])
        }
        return (Array(mine.prefix(limit)), mine.count > limit)
    }

    public func setTitle(_ title: String, of id: UUID, ownedBy userID: UUID) async throws -> Bool {
        guard self.chats[id]?.userID == userID else { return false }
        self.chats[id]?.title = title
        return true
    }

    public func setVisibility(_ visibility: Visibility, of id: UUID, ownedBy userID: UUID) async throws -> Bool {
        guard self.chats[id]?.userID == userID else { return false }
        self.chats[id]?.visibility = visibility
        return true
    }

    public func delete(id: UUID, ownedBy userID: UUID) async throws -> Bool {
        guard self.chats[id]?.userID == userID else { return false }
        self.removeChat(id)
        return true
    }

    public func deleteAll(ownedBy userID: UUID) async throws -> Int {
        let ids = self.chats.values.filter { $0.userID == userID }.map(\.id)
        for id in ids { self.removeChat(id) }
        return ids.count
    }

    private func removeChat(_ id: UUID) {
        self.chats[id] = nil
        let documents = Set(self.documentVersions.filter { $0.chatID == id }.map(\.id))
        self.documentVersions.removeAll { documents.contains($0.id) }
        self.documentSuggestions.removeAll { documents.contains($0.documentID) }
        for message in self.messages.values where message.chatID == id { self.removeMessage(message.id) }
    }

    private func removeMessage(_ id: UUID) {
        self.messages[id] = nil
        self.votes[id] = nil
        for run in self.runs.values where run.messageID == id {
            self.runs[run.id] = nil
            self.chunks[run.id] = nil
        }
    }

    // MARK: Messages

    public func insert(_ message: MessageRecord) async throws {
        guard self.messages[message.id] == nil else { throw AnswerStartConflict.messageIDTaken }
        guard self.chats[message.chatID] != nil else { throw AnswerStartConflict.concurrentChange }
        self.messages[message.id] = message
    }

    public func update(_ message: MessageRecord) async throws {
        guard self.messages[message.id]?.chatID == message.chatID else { return }
        self.messages[message.id] = message
    }

    public func list(chatID: UUID) async throws -> [MessageRecord] {
        self.messages.values.filter { $0.chatID == chatID }.sorted { ($0.createdAt, $0.id.uuidString) < ($1.createdAt, $1.id.uuidString) }
    }

    public func find(id: UUID, chatID: UUID) async throws -> MessageRecord? {
        self.messages[id].flatMap { $0.chatID == chatID ? $0 : nil }
    }

    // MARK: Runs

    public func find(id: UUID) async throws -> RunRecord? { self.runs[id] }

    public func latest(chatID: UUID) async throws -> RunRecord? {
        self.runs.values.filter { $0.chatID == chatID }.max { $0.createdAt < $1.createdAt }
    }

    public func append(chunks: [String], to runID: UUID, startingAt firstSeq: Int, at date: Date) async throws -> Bool {
        guard var run = self.runs[runID] else { return false }
        for (offset, chunk) in chunks.enumerated() where self.chunks[runID]?[firstSeq + offset] == nil {
            self.chunks[runID, default: [:]][firstSeq + offset] = chunk
        }
        if !chunks.isEmpty { run.chunkCount = firstSeq + chunks.count }
        run.heartbeatAt = date
        self.runs[runID] = run
        return run.cancelRequested
    }

    public func save(progress: [RunProgress], finals: [RunFinal], at date: Date) async throws -> Set<UUID> {
        self.progressSaveSizes.append(progress.count)
        var stops: Set<UUID> = []
        for final in finals {
            _ = try await self.append(chunks: final.progress.chunks, to: final.progress.runID, startingAt: final.progress.firstSeq, at: date)
            try await self.update(final.message)
            try await self.finish(final.progress.runID, status: final.runStatus, error: final.message.error, at: date)
            try await self.recordUsage(
                userID: final.userID, chatID: final.message.chatID, messageID: final.message.id, model: final.model, usage: final.message.usage, at: date)
        }
        for batch in progress {
            if try await self.append(chunks: batch.chunks, to: batch.runID, startingAt: batch.firstSeq, at: date) { stops.insert(batch.runID) }
            if let message = batch.message, var stored = self.messages[message.id], stored.chatID == message.chatID {
                stored.parts = message.parts
                self.messages[message.id] = stored
            }
        }
        return stops
    }

    public func chunks(of runID: UUID, after: Int, limit: Int) async throws -> [(seq: Int, chunk: String)] {
        (self.chunks[runID] ?? [:]).filter { $0.key > after }.sorted { $0.key < $1.key }.prefix(limit).map { ($0.key, $0.value) }
    }

    public func finish(_ runID: UUID, status: RunRecord.Status, error: String?, at date: Date) async throws {
        guard self.runs[runID]?.status == .running else { return }
        self.runs[runID]?.status = status
        self.runs[runID]?.error = error
        self.runs[runID]?.finishedAt = date
    }

    public func requestCancel(_ runID: UUID) async throws -> Bool {
        guard self.runs[runID]?.status == .running else { return false }
        self.runs[runID]?.cancelRequested = true
        return true
    }

    public func silent(since before: Date, limit: Int) async throws -> [RunRecord] {
        Array(self.runs.values.filter { $0.status == .running && $0.heartbeatAt < before }.sorted { $0.heartbeatAt < $1.heartbeatAt }.prefix(limit))
    }

    /// Adds a run as another instance would have (tests of stale runs).
    public func insertRun(_ run: RunRecord) {
        self.runs[run.id] = run
    }

    // MARK: Votes and usage

    public func vote(_ vote: VoteRecord) async throws -> Bool {
        guard let message = self.messages[vote.messageID], message.chatID == vote.chatID, message.role == .assistant else { return false }
        self.votes[vote.messageID] = vote
        return true
    }

    public func list(chatID: UUID) async throws -> [VoteRecord] {
        self.votes.values.filter { $0.chatID == chatID }
    }

    public func recordUsage(userID: UUID, chatID: UUID?, messageID: UUID?, model: String, usage: StoredUsage, at date: Date) async throws {
        self.usage.append((userID, model, usage))
    }

    // MARK: Starting an answer

    public func begin(_ start: AnswerStart) async throws {
        let chatID = start.run.chatID
        if let chat = start.newChat {
            guard self.chats[chat.id] == nil else { throw AnswerStartConflict.chatTaken }
        } else {
            guard self.chats[chatID] != nil else { throw AnswerStartConflict.concurrentChange }
            if self.runs.values.contains(where: { $0.chatID == chatID && $0.status == .running }) { throw AnswerStartConflict.answerRunning }
        }
        if let user = start.userMessage, let existing = self.messages[user.id], existing.chatID != chatID { throw AnswerStartConflict.messageIDTaken }
        if let from = start.replaceFrom, self.messages[from]?.chatID != chatID { throw AnswerStartConflict.concurrentChange }
        // Nothing is changed before this line, so a conflict above leaves the state as it was.
        if let chat = start.newChat { self.chats[chat.id] = chat }
        if let from = start.replaceFrom, let first = self.messages[from] {
            for message in self.messages.values where message.chatID == chatID && (message.id == from || message.createdAt > first.createdAt) {
                self.removeMessage(message.id)
            }
        }
        if let user = start.userMessage { self.messages[user.id] = user }
        self.messages[start.assistant.id] = start.assistant
        self.runs[start.run.id] = start.run
        self.chats[chatID]?.updatedAt = start.assistant.createdAt
    }
}
