import Foundation
import JSON
import Models
import Storage

/// The artifact tools: the model writes and revises documents the user sees in a side panel, and proposes edits.
enum DocumentTools {
    static var all: [any ChatTool] { [CreateDocumentTool(), UpdateDocumentTool(), RequestSuggestionsTool()] }

    /// Added to the system prompt of models that get the tools.
    static let systemPrompt = """
        You can write documents that open in a panel beside the chat, where the user can read, edit and keep them.
        Use createDocument for substantial or reusable content: essays, articles, emails, stories, reports, code \
        (kind "code", one program per document), and tables or data (kind "sheet", CSV). Use it when the user asks \
        for such content, or when your answer would be long (more than about 10 lines) and worth keeping.
        Do not use it for short answers, explanations, conversation, or when the user asks to keep it in the chat.
        After creating a document, do not repeat its content in the chat: say in a sentence what you wrote.
        Use updateDocument to change an existing document when the user asks, with its id and a clear description \
        of the change. Do not update a document right after creating it; wait for the user's feedback.
        Use requestSuggestions when the user asks for feedback or suggestions on a document.
        """

    /// The system prompt of the second call that writes a document's content.
    static func writerPrompt(kind: DocumentKind) -> String {
        let base = "You write the content of a document the user will see in a panel, based on the conversation. Output only the document itself: no preface, no closing remarks."
        switch kind {
        case .text:
            return base + " Write in Markdown; use headings where they help."
        case .code:
            return base + " The document is one self-contained, runnable program with helpful comments. Output only the code, without Markdown fences. Unless the user asked for another language, use Python."
        case .sheet:
            return base + " The document is a spreadsheet in CSV: a header row, then data rows, comma-separated, quoting fields that contain commas or quotes. Output only the CSV, without Markdown fences."
        }
    }

    static func output(_ document: DocumentRecord, _ key: String, _ message: String) -> JSONValue {
        ["id": .string(document.id.uuidString.lowercased()), "title": .string(document.title), "kind": .string(document.kind.rawValue), key: .string(message)]
    }

    /// The newest version of a document of this user, or a failure the model can act on.
    static func latest(_ id: UUID, context: ToolContext, tool: String) async throws -> DocumentRecord {
        guard let document = try await context.documents.versions(of: id, ownedBy: context.userID).last else {
            throw ToolFailure("\(tool): there is no document with id \(id.uuidString.lowercased()). Use the id that createDocument returned.")
        }
        return document
    }

    /// The conversation for a tool's own model call, ending with `instruction` in the user's last turn.
    /// Tool calls are left out (that call has no tools); the conversation already ends with the user.
    static func conversation(_ context: ToolContext, instruction: String) -> [ModelMessage] {
        var messages = context.conversation.compactMap { message -> ModelMessage? in
            let content = message.content.filter {
                switch $0 {
                case .text: true
                default: false
                }
            }
            return content.isEmpty ? nil : ModelMessage(role: message.role, content: content)
        }
        // Merging may leave neighbours of one role; keep the alternation Converse wants.
        var merged: [ModelMessage] = []
        for message in messages {
            if let last = merged.last, last.role == message.role {
                merged[merged.count - 1].content += message.content
            } else {
                merged.append(message)
            }
        }
        messages = merged
        if messages.last?.role == .user {
            messages[messages.count - 1].content.append(.text(instruction))
        } else {
            messages.append(.user(instruction))
        }
        return messages
    }
}
