import Accounts
import Foundation
import Storage

extension ChatService {
    /// A chat as one viewer may see it.
    public struct ChatView: Sendable {
        public let chat: ChatRecord
        public let messages: [MessageRecord]
        public let isOwner: Bool
        public let activeRun: RunRecord?
    }

    public func history(of user: SessionUser, limit: Int, endingBefore: UUID?) async throws -> (chats: [ChatRecord], hasMore: Bool) {
        try await self.chats.history(of: user.id, limit: min(max(limit, 1), 100), endingBefore: endingBefore)
    }

    /// The chat for its owner, or for anyone when it is public; someone else's private chat is "not found".
    public func view(chatID: UUID, viewer: SessionUser?) async throws -> ChatView {
        guard let chat = try await self.chats.find(id: chatID) else { throw ChatError.chatNotFound }
        let isOwner = chat.userID == viewer?.id
        guard isOwner || chat.visibility == .public else { throw ChatError.chatNotFound }
        let active = try await self.activeRun(chatID: chatID)
        return ChatView(chat: chat, messages: try await self.messages.list(chatID: chatID), isOwner: isOwner, activeRun: active)
    }

    /// Deletes the chat with everything in it; a running answer is stopped first.
    public func delete(chatID: UUID, user: SessionUser) async throws {
        if let run = try await self.runs.latest(chatID: chatID), run.status == .running, run.userID == user.id {
            self.registry.handle(for: run.id)?.stop()
        }
        guard try await self.chats.delete(id: chatID, ownedBy: user.id) else { throw ChatError.chatNotFound }
    }

    @discardableResult
    public func deleteAll(user: SessionUser) async throws -> Int {
        try await self.chats.deleteAll(ownedBy: user.id)
    }

    public func setVisibility(_ visibility: Visibility, chatID: UUID, user: SessionUser) async throws {
        guard try await self.chats.setVisibility(visibility, of: chatID, ownedBy: user.id) else { throw ChatError.chatNotFound }
    }

    public func votes(chatID: UUID, user: SessionUser) async throws -> [VoteRecord] {
        guard try await self.chats.find(id: chatID, ownedBy: user.id) != nil else { throw ChatError.chatNotFound }
        return try await self.votes.list(chatID: chatID)
    }

    public func vote(chatID: UUID, messageID: UUID, up: Bool, user: SessionUser) async throws {
        guard try await self.chats.find(id: chatID, ownedBy: user.id) != nil else { throw ChatError.chatNotFound }
        guard try await self.votes.vote(VoteRecord(chatID: chatID, messageID: messageID, isUpvoted: up)) else { throw ChatError.messageNotFound }
    }
}
