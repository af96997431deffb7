import Foundation
import JSON
import Models
import Storage
import UIMessageStream

/// Turns a chat's stored messages into the model's conversation, dropping the oldest turns when the
/// whole history would not fit the model's context window.
enum ConversationContext {
    /// A rough, deliberately pessimistic token count (about 3 bytes a token) so trimming errs on the safe side.
    static func estimatedTokens(_ message: ModelMessage) -> Int {
        message.content.reduce(4) { total, content in
            switch content {
            case .text(let text): total + text.utf8.count / 3 + 1
            case .reasoning(let text, let signature): total + text.utf8.count / 3 + (signature?.utf8.count ?? 0) / 4 + 1
            case .redactedReasoning(let data): total + data.count / 3
            case .toolUse(_, _, let input): total + input.utf8.count / 3 + 8
            case .toolResult(_, let content, _): total + content.utf8.count / 3 + 8
            // Attachments count too: an image costs about width × height / 750 tokens on Claude (at most ~1,600 after
            // the service scales it down), a document about its text, guessed from its size.
            case .image: total + Self.imageTokens
            case .document(_, _, let data): total + data.count / 3
            case .file(_, let mediaType, _, let size): total + (mediaType.hasPrefix("image/") ? Self.imageTokens : size / 3)
            }
        }
    }

    static let imageTokens = 1_600

    static func messages(from records: [MessageRecord], budgetTokens: Int) -> [ModelMessage] {
        var converted: [ModelMessage] = []
        for record in records {
            guard let message = self.convert(record) else { continue }
            // Converse wants alternating roles: merge neighbours of the same role.
            if let last = converted.last, last.role == message.role {
                converted[converted.count - 1].content += message.content
            } else {
                converted.append(message)
            }
        }
        // It must start with the user; an assistant turn left first after trimming is dropped too.
        while converted.first?.role == .assistant { converted.removeFirst() }
        var total = converted.reduce(0) { $0 + self.estimatedTokens($1) }
        while total > budgetTokens, converted.count > 1 {
            total -= self.estimatedTokens(converted.removeFirst())
            while converted.first?.role == .assistant, converted.count > 1 {
                total -= self.estimatedTokens(converted.removeFirst())
            }
        }
        return converted
    }

    static func convert(_ record: MessageRecord) -> ModelMessage? {
        let role: ModelMessage.Role
        switch record.role {
        case .user: role = .user
        case .assistant: role = .assistant
        case .system: return nil
        }
        var content: [ModelContent] = []
        for part in record.parts {
            switch part["type"]?.stringValue {
            case "text":
                if let text = part["text"]?.stringValue, !text.isEmpty { content.append(.text(text)) }
            case "file" where role == .user:
                // An upload, by its /api/files/{id} URL; the app's attachment loader puts the bytes in.
                if let url = part["url"]?.stringValue, let mediaType = part["mediaType"]?.stringValue, url.hasPrefix("/api/files/") {
                    content.append(.file(id: String(url.dropFirst("/api/files/".count)), mediaType: mediaType, name: part["filename"]?.stringValue ?? "file",
                        size: part["providerMetadata"]?["chatbot"]?["size"]?.intValue ?? 0))
                }
            case "reasoning":
                // Reasoning is replayed only with its signature: the provider rejects unsigned thinking.
                if let text = part["text"]?.stringValue, let signature = part["providerMetadata"]?["bedrock"]?["signature"]?.stringValue {
                    content.append(.reasoning(text: text, signature: signature))
                }
            default:
                continue
            }
        }
        guard !content.isEmpty else { return nil }
        return ModelMessage(role: role, content: content)
    }

    /// The text a user typed, joined from a message's text parts.
    static func text(of parts: [JSONValue]) -> String {
        parts.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined(separator: "\n")
    }
}
