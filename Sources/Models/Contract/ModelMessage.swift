import Foundation

/// One turn of the conversation.
public struct ModelMessage: Sendable, Codable, Equatable {
    public enum Role: String, Sendable, Codable, Equatable {
        /// The person (and tool results).
        case user
        /// The model.
        case assistant
    }

    public var role: Role
    /// What was said, in order.
    public var content: [ModelContent]

    public init(role: Role, content: [ModelContent]) {
        self.role = role
        self.content = content
    }

    /// A user message with one text part.
    public static func user(_ text: String) -> ModelMessage { ModelMessage(role: .user, content: [.text(text)]) }
    /// An assistant message with one text part.
    public static func assistant(_ text: String) -> ModelMessage { ModelMessage(role: .assistant, content: [.text(text)]) }
}

/// One part of a turn.
public enum ModelContent: Sendable, Codable, Equatable {
    case text(String)
    /// Visible reasoning; the signature lets Claude accept it again on a later turn.
    case reasoning(text: String, signature: String?)
    /// Encrypted reasoning, replayed as is.
    case redactedReasoning(Data)
    /// A tool call the model made.
    case toolUse(id: String, name: String, inputJSON: String)
    /// The result of a tool call (in a user turn).
    case toolResult(id: String, contentJSON: String, isError: Bool)
    /// An attachment the app stores, by id; the app swaps it for `.image` or `.document` bytes before a provider sees it.
    case file(id: String, mediaType: String, name: String, size: Int)
    /// An image (user turns only): `format` is a Converse image format (png, jpeg, gif, webp).
    case image(format: String, data: Data)
    /// A document (user turns only): `format` is a Converse document format (pdf, csv, docx, xlsx, txt, md…).
    case document(format: String, name: String, data: Data)
}
