import Chat
import Foundation
import JSON
import Storage
import UIMessageStream

/// JSON shapes of the chat API, named as the AI SDK template's client expects them.
struct ChatBody: Encodable {
    let id: String
    let title: String
    let visibility: String
    let createdAt: Date
    let updatedAt: Date
    init(_ chat: ChatRecord) {
        self.id = chat.id.lowercasedString
        self.title = chat.title
        self.visibility = chat.visibility.rawValue
        self.createdAt = chat.createdAt
        self.updatedAt = chat.updatedAt
    }
}

struct HistoryBody: Encodable {
    let chats: [ChatBody]
    let hasMore: Bool
}

struct VoteBody: Encodable {
    let chatId: String
    let messageId: String
    let isUpvoted: Bool
}

struct MessageBody: Encodable {
    struct Metadata: Encodable {
        let model: String?
        let status: String
        let error: String?
        let usage: StoredUsage
        let firstTokenMs: Int?
        let durationMs: Int?
    }
    let id: String
    let role: String
    let parts: [JSONValue]
    let createdAt: Date
    let metadata: Metadata

    init(_ message: MessageRecord) {
        self.id = message.id.lowercasedString
        self.role = message.role.rawValue
        self.parts = message.parts
        self.createdAt = message.createdAt
        self.metadata = Metadata(
            model: message.model, status: message.status.rawValue, error: message.error, usage: message.usage,
            firstTokenMs: message.firstTokenMs, durationMs: message.durationMs)
    }
}

struct ChatViewBody: Encodable {
    struct ChatInfo: Encodable {
        let id: String
        let title: String
        let visibility: String
        let isOwner: Bool
        let createdAt: Date
    }
    let chat: ChatInfo
    let messages: [MessageBody]
    let activeRun: Bool

    init(_ view: ChatView) {
        self.chat = ChatInfo(
            id: view.chat.id.lowercasedString, title: view.chat.title, visibility: view.chat.visibility.rawValue, isOwner: view.isOwner,
            createdAt: view.chat.createdAt)
        self.messages = view.messages.map(MessageBody.init)
        self.activeRun = view.activeRun != nil
    }
}

extension UUID {
    var lowercasedString: String { self.uuidString.lowercased() }
}
