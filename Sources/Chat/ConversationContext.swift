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

    /// With `replayTools`, finished tool calls of earlier answers go back as `toolUse` + `toolResult` turns
    /// (the request must then carry the tools); without it they are left out.
    static func messages(from records: [MessageRecord], budgetTokens: Int, replayTools: Bool = false) -> [ModelMessage] {
        var converted: [ModelMessage] = []
        for record in records {
            for message in self.convert(record, replayTools: replayTools) {
                // Converse wants alternating roles: merge neighbours of the same role.
                if let last = converted.last, last.role == message.role {
                    converted[converted.count - 1].content += message.content
                } else {
                    converted.append(message)
                }
            }
        }
        self.dropLeadingOrphans(&converted)
        var total = converted.reduce(0) { $0 + self.estimatedTokens($1) }
        while total > budgetTokens, converted.count > 1 {
            converted.removeFirst()
            self.dropLeadingOrphans(&converted)
            total = converted.reduce(0) { $0 + self.estimatedTokens($1) }
        }
        return converted
    }

    /// It must start with the user, and a tool result whose call was trimmed away cannot stay.
    static func dropLeadingOrphans(_ messages: inout [ModelMessage]) {
        while let first = messages.first {
            if first.role == .assistant {
                messages.removeFirst()
                continue
            }
            let kept = first.content.filter { if case .toolResult = $0 { false } else { true } }
            if kept.count == first.content.count { return }
            if kept.isEmpty {
                messages.removeFirst()
                continue
            }
            messages[0].content = kept
            return
        }
    }

    static func convert(_ record: MessageRecord, replayTools: Bool = false) -> [ModelMessage] {
        let role: ModelMessage.Role
        switch record.role {
        case .user: role = .user
        case .assistant: role = .assistant
        case .system: return []
        }
        var messages: [ModelMessage] = []
        var content: [ModelContent] = []
        var results: [ModelContent] = []
        // A step's results answer its calls in a user turn before the next step's assistant turn.
        func flush() {
            if !content.isEmpty { messages.append(ModelMessage(role: role, content: content)) }
            if !results.isEmpty { messages.append(ModelMessage(role: .user, content: results)) }
            content = []
            results = []
        }
        for part in record.parts {
            let type = part["type"]?.stringValue ?? ""
            switch type {
            case "step-start":
                if !results.isEmpty { flush() }
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
                guard replayTools, role == .assistant, type.hasPrefix("tool-"), let call = self.toolCall(part, name: String(type.dropFirst(5)))
                else { continue }
                content.append(call.use)
                results.append(call.result)
            }
        }
        flush()
        return messages
    }

    /// A finished tool part as the call and its result; nil while it has no output (a stopped answer).
    static func toolCall(_ part: JSONValue, name: String) -> (use: ModelContent, result: ModelContent)? {
        guard let id = part["toolCallId"]?.stringValue, let input = part["input"], case .object = input else { return nil }
        let use = ModelContent.toolUse(id: id, name: name, inputJSON: input.jsonString)
        switch part["state"]?.stringValue {
        case "output-available":
            return (use, .toolResult(id: id, contentJSON: (part["output"] ?? .null).jsonString, isError: false))
        case "output-error":
            return (use, .toolResult(id: id, contentJSON: JSONValue.string(part["errorText"]?.stringValue ?? "failed").jsonString, isError: true))
        default:
            return nil
        }
    }

    /// The text a user typed, joined from a message's text parts.
    static func text(of parts: [JSONValue]) -> String {
        parts.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined(separator: "\n")
    }
}
