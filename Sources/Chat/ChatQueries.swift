import Accounts
import Foundation
import Storage

/// A chat as one viewer may see it.
public struct ChatView: Sendable {
    public let chat: ChatRecord
    public let messages: [MessageRecord]
    public let isOwner: Bool
    public let activeRun: RunRecord?
}

/// Reading chats, and the small writes that start no answer (visibility, votes, deleting all).
public struct ChatQueries: Sendable {
    let storage: ChatStorage
    let liveness: RunLiveness

    public init(storage: ChatStorage, engine: AnswerEngine) {
        self.storage = storage
        self.liveness = engine.liveness
    }

    public func history(of user: SessionUser, limit: Int, endingBefore: UUID?) async throws -> (chats: [ChatRecord], hasMore: Bool) {
        try await self.storage.chats.history(of: user.id, limit: min(max(limit, 1), 100), endingBefore: endingBefore)
    }

    /// The chat for its owner, or for anyone when it is public; someone else's private chat is "not found".
    /// An answer whose instance died is shown as the engine will record it (interrupted) without writing.
    public func view(chatID: UUID, viewer: SessionUser?) async throws -> ChatView {
        guard let chat = try await self.storage.chats.find(id: chatID) else { throw ChatError.chatNotFound }
        let isOwner = chat.userID == viewer?.id
        guard isOwner || chat.visibility == .public else { throw ChatError.chatNotFound }
        var messages = try await self.storage.messages.list(chatID: chatID)
        var active: RunRecord?
        if let run = try await self.storage.runs.latest(chatID: chatID), run.status == .running {
            if !self.liveness.isStale(run) {
                active = run
            } else if let index = messages.firstIndex(where: { $0.id == run.messageID && $0.status == .streaming }) {
                messages[index].status = .failed
                messages[index].error = RunLiveness.interruptedMessage
            }
        }
        return ChatView(chat: chat, messages: messages, isOwner: isOwner, activeRun: active)
    }

    @discardableResult
    public func deleteAll(user: SessionUser) async throws -> Int {
        try await self.storage.chats.deleteAll(ownedBy: user.id)
    }

    public func setVisibility(_ visibility: Visibility, chatID: UUID, user: SessionUser) async throws {
        guard try await self.storage.chats.setVisibility(visibility, of: chatID, ownedBy: user.id) else { throw ChatError.chatNotFound }
    }

    public func votes(chatID: UUID, user: SessionUser) async throws -> [VoteRecord] {
        guard try await self.storage.chats.find(id: chatID, ownedBy: user.id) != nil else { throw ChatError.chatNotFound }
        return try await self.storage.votes.list(chatID: chatID)
    }

    public func vote(chatID: UUID, messageID: UUID, up: Bool, user: SessionUser) async throws {
        guard try await self.storage.chats.find(id: chatID, ownedBy: user.id) != nil else { throw ChatError.chatNotFound }
        guard try await self.storage.votes.vote(VoteRecord(chatID: chatID, messageID: messageID, isUpvoted: up)) else { throw ChatError.messageNotFound }
    }
}
