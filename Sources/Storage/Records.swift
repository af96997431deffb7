import Foundation
import JSON

/// A person using the product: a guest until they register.
public struct UserRecord: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case guest, regular }
    public var id: UUID
    public var email: String?
    public var passwordHash: String?
    public var kind: Kind
    public var createdAt: Date
    /// Set when an administrator disabled the account: it cannot sign in and its sessions do not resolve.
    public var disabledAt: Date?
    /// An administrator's override of the daily message allowance.
    public var messageLimit: Int?

    public init(
        id: UUID = UUID(), email: String? = nil, passwordHash: String? = nil, kind: Kind, createdAt: Date = Date(), disabledAt: Date? = nil,
        messageLimit: Int? = nil
    ) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.kind = kind
        self.createdAt = createdAt
        self.disabledAt = disabledAt
        self.messageLimit = messageLimit
    }
}

/// Who may read a chat besides its owner.
public enum Visibility: String, Sendable, Codable, CaseIterable { case `private`, `public` }

/// A conversation, owned by one user.
public struct ChatRecord: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    public var title: String
    public var visibility: Visibility
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UUID, userID: UUID, title: String, visibility: Visibility, createdAt: Date = Date(), updatedAt: Date? = nil) {
        self.id = id
        self.userID = userID
        self.title = title
        self.visibility = visibility
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}

/// Tokens an answer cost, as the provider reported them.
public struct StoredUsage: Sendable, Equatable, Codable {
    public var inputTokens = 0
    public var outputTokens = 0
    public var cacheReadTokens = 0
    public var cacheWriteTokens = 0
    public init(inputTokens: Int = 0, outputTokens: Int = 0, cacheReadTokens: Int = 0, cacheWriteTokens: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
    }
}

/// One message of a chat, its parts in the AI SDK's UI message shape.
public struct MessageRecord: Sendable, Equatable {
    public enum Role: String, Sendable, Codable { case user, assistant, system }
    /// `streaming` while a run writes it; `stopped` and `failed` keep what was produced.
    public enum Status: String, Sendable, Codable { case complete, streaming, stopped, failed }

    public var id: UUID
    public var chatID: UUID
    public var role: Role
    public var parts: [JSONValue]
    public var attachments: [JSONValue]
    public var status: Status
    public var error: String?
    public var model: String?
    public var usage: StoredUsage
    public var firstTokenMs: Int?
    public var durationMs: Int?
    public var createdAt: Date

    public init(
        id: UUID, chatID: UUID, role: Role, parts: [JSONValue], attachments: [JSONValue] = [], status: Status = .complete,
        error: String? = nil, model: String? = nil, usage: StoredUsage = StoredUsage(), firstTokenMs: Int? = nil,
        durationMs: Int? = nil, createdAt: Date = Date()
    ) {
        self.id = id
        self.chatID = chatID
        self.role = role
        self.parts = parts
        self.attachments = attachments
        self.status = status
        self.error = error
        self.model = model
        self.usage = usage
        self.firstTokenMs = firstTokenMs
        self.durationMs = durationMs
        self.createdAt = createdAt
    }
}

/// A user's up or down vote on an assistant message.
public struct VoteRecord: Sendable, Equatable {
    public var chatID: UUID
    public var messageID: UUID
    public var isUpvoted: Bool
    public init(chatID: UUID, messageID: UUID, isUpvoted: Bool) {
        self.chatID = chatID
        self.messageID = messageID
        self.isUpvoted = isUpvoted
    }
}

/// One model answer being generated; the database is how every instance sees its progress.
public struct RunRecord: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case running, completed, stopped, failed }
    public var id: UUID
    public var chatID: UUID
    public var messageID: UUID
    public var userID: UUID
    public var model: String
    public var status: Status
    public var instanceID: String
    public var cancelRequested: Bool
    public var error: String?
    public var chunkCount: Int
    public var heartbeatAt: Date
    public var createdAt: Date
    public var finishedAt: Date?

    public init(
        id: UUID = UUID(), chatID: UUID, messageID: UUID, userID: UUID, model: String, status: Status = .running,
        instanceID: String, cancelRequested: Bool = false, error: String? = nil, chunkCount: Int = 0,
        heartbeatAt: Date = Date(), createdAt: Date = Date(), finishedAt: Date? = nil
    ) {
        self.id = id
        self.chatID = chatID
        self.messageID = messageID
        self.userID = userID
        self.model = model
        self.status = status
        self.instanceID = instanceID
        self.cancelRequested = cancelRequested
        self.error = error
        self.chunkCount = chunkCount
        self.heartbeatAt = heartbeatAt
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }
}
