import Accounts
import Foundation
import Logging
import Models
import ServiceLifecycle
import Storage
import UIMessageStream

/// Chats and their answers. An answer is a run owned by this service, not by the HTTP request that asked
/// for it: it keeps going when the client disconnects, and any instance can replay and follow it.
public final class ChatService: Service, Sendable {
    /// What `POST /api/chat` asks for.
    public struct SendCommand: Sendable {
        public enum Trigger: Sendable { case submit, regenerate }
        public var chatID: UUID
        public var trigger: Trigger
        public var messageID: UUID?
        public var parts: [JSONValue]
        public var modelID: String
        public var visibility: Visibility

        public init(chatID: UUID, trigger: Trigger, messageID: UUID?, parts: [JSONValue], modelID: String, visibility: Visibility) {
            self.chatID = chatID
            self.trigger = trigger
            self.messageID = messageID
            self.parts = parts
            self.modelID = modelID
            self.visibility = visibility
        }
    }

    /// A run that was started, for the response to follow.
    public struct StartedRun: Sendable {
        public let runID: UUID
        public let chatID: UUID
        public let messageID: UUID
        public let isNewChat: Bool
    }

    /// How often progress reaches the database, and when a silent run counts as dead.
    public struct Timing: Sendable {
        public var flushInterval: Duration = .milliseconds(75)
        public var pollInterval: Duration = .milliseconds(100)
        public var staleAfter: TimeInterval = 30
        public var titleWait: Duration = .seconds(5)
        public var shutdownDrain: Duration = .seconds(20)
        public init() {}
    }

    let chats: ChatRepository
    let messages: MessageRepository
    let runs: RunRepository
    let votes: VoteRepository
    let quota: QuotaRepository
    let entitlements: Entitlements
    let model: any LanguageModel
    let policy: ChatModelPolicy
    let maxMessageLength: Int
    let timing: Timing
    let logger: Logger
    let registry = RunRegistry()
    /// Identifies this process in the runs it owns.
    let instanceID = UUID().uuidString.lowercased()

    public init(
        database: any DatabaseClient, entitlements: Entitlements, model: any LanguageModel, policy: ChatModelPolicy,
        maxMessageLength: Int, timing: Timing = Timing(), logger: Logger
    ) {
        self.chats = ChatRepository(database: database)
        self.messages = MessageRepository(database: database)
        self.runs = RunRepository(database: database)
        self.votes = VoteRepository(database: database)
        self.quota = QuotaRepository(database: database)
        self.entitlements = entitlements
        self.model = model
        self.policy = policy
        self.maxMessageLength = maxMessageLength
        self.timing = timing
        self.logger = logger
    }

    public var modelPolicy: ChatModelPolicy { self.policy }

    /// Validates, charges the allowance, stores the user's message and starts the answer.
    public func send(_ command: SendCommand, user: SessionUser) async throws -> StartedRun {
        let limits = try self.policy.limits(for: command.modelID)
        let text = ConversationContext.text(of: command.parts)
        if command.trigger == .submit {
            guard command.messageID != nil, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ChatError.emptyMessage }
            guard text.count <= self.maxMessageLength else { throw ChatError.messageTooLong(limit: self.maxMessageLength) }
        }
        let existing = try await self.chats.find(id: command.chatID)
        if let existing, existing.userID != user.id { throw ChatError.chatNotFound }
        if existing == nil, command.trigger == .regenerate { throw ChatError.chatNotFound }
        if existing != nil, try await self.activeRun(chatID: command.chatID) != nil { throw ChatError.answerInProgress }
        if let messageID = command.messageID, command.trigger == .submit, existing != nil,
            try await self.messages.find(id: messageID, chatID: command.chatID) == nil, try await self.messages.exists(id: messageID)
        {
            throw ChatError.invalidRequest("This message id is already used by another chat.")
        }
        if command.trigger == .regenerate {
            let history = try await self.messages.list(chatID: command.chatID)
            guard let last = history.last else { throw ChatError.nothingToRegenerate }
            try await self.entitlements.consumeMessage(for: user)
            if last.role == .assistant {
                try await self.messages.deleteFrom(messageID: last.id, chatID: command.chatID)
            }
        } else {
            try await self.entitlements.consumeMessage(for: user)
        }

        let now = Date()
        var isNewChat = false
        if existing == nil {
            try await self.chats.create(
                ChatRecord(id: command.chatID, userID: user.id, title: TitleGenerator.fallback(for: text), visibility: command.visibility, createdAt: now))
            isNewChat = true
        }
        if command.trigger == .submit, let messageID = command.messageID {
            // Editing: the message and everything after it go, then the new text takes its place.
            try await self.messages.deleteFrom(messageID: messageID, chatID: command.chatID)
            try await self.messages.insert(MessageRecord(id: messageID, chatID: command.chatID, role: .user, parts: command.parts, createdAt: now))
        }
        try await self.chats.touch(command.chatID, at: now)
        return try await self.startRun(chatID: command.chatID, user: user, modelID: command.modelID, limits: limits,
                                       titleSource: isNewChat ? text : nil, isNewChat: isNewChat, after: now)
    }

    /// The chat's run that is still being written, if any; a run whose instance stopped answering is closed first.
    func activeRun(chatID: UUID) async throws -> RunRecord? {
        guard let run = try await self.runs.latest(chatID: chatID), run.status == .running else { return nil }
        if self.registry.handle(for: run.id) == nil, Date().timeIntervalSince(run.heartbeatAt) > self.timing.staleAfter {
            try await self.markInterrupted(run)
            return nil
        }
        return run
    }

    /// Closes a run whose instance died, keeping what it had saved.
    func markInterrupted(_ run: RunRecord) async throws {
        let reason = "The answer was interrupted because the server handling it stopped. What was written before that is kept."
        try await self.runs.finish(run.id, status: .failed, error: reason)
        if var message = try await self.messages.find(id: run.messageID, chatID: run.chatID), message.status == .streaming {
            message.status = .failed
            message.error = reason
            try await self.messages.update(message)
        }
        self.logger.warning("closed interrupted run", metadata: ["run": .string(run.id.uuidString), "instance": .string(run.instanceID)])
    }

    /// Asks the chat's running answer to stop. Returns false when nothing was running.
    public func stop(chatID: UUID, user: SessionUser) async throws -> Bool {
        guard try await self.chats.find(id: chatID, ownedBy: user.id) != nil else { throw ChatError.chatNotFound }
        guard let run = try await self.activeRun(chatID: chatID) else { return false }
        // The flag reaches the owning instance if it is another one; a local run stops at once.
        try await self.runs.requestCancel(run.id)
        self.registry.handle(for: run.id)?.stop()
        return true
    }

    /// Lets running answers finish on shutdown, then stops the rest so they are saved as stopped.
    public func run() async throws {
        try? await gracefulShutdown()
        if await self.registry.waitForAll(timeout: self.timing.shutdownDrain) { return }
        self.logger.notice("stopping unfinished answers for shutdown", metadata: ["runs": "\(self.registry.count)"])
        self.registry.stopAll()
        _ = await self.registry.waitForAll(timeout: .seconds(5))
    }
}
