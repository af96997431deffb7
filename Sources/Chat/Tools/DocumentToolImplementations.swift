import Foundation
import JSON
import Models
import Storage

/// `createDocument {title, kind}`: a new document, written from the conversation.
struct CreateDocumentTool: ChatTool {
    var spec: ToolSpec {
        ToolSpec(
            name: "createDocument",
            description: "Create a document (an essay, article, email, story, program, table…) that opens in a panel beside the chat. Its content is written from the conversation by a separate call, so give only the title and kind. Returns the document's id.",
            inputSchemaJSON: #"{"type":"object","properties":{"title":{"type":"string","description":"A short title"},"kind":{"type":"string","enum":["text","code","sheet"],"description":"text for prose (Markdown), code for one program, sheet for a CSV table"}},"required":["title","kind"]}"#)
    }

    func run(_ input: JSONValue, context: ToolContext) async throws -> JSONValue {
        let title = TextLimit.prefix(try input.requiredString("title", tool: "createDocument").trimmingCharacters(in: .whitespacesAndNewlines), DocumentService.maxTitleLength)
        let rawKind = try input.requiredString("kind", tool: "createDocument")
        guard let kind = DocumentKind(rawValue: rawKind) else {
            throw ToolFailure("createDocument: kind must be \"text\", \"code\" or \"sheet\", not \"\(TextLimit.prefix(rawKind, 40, suffix: "…"))\".")
        }
        let document = try await DocumentWriter(context: context).write(
            id: UUID(), title: title, kind: kind,
            instruction: "Write the document titled \"\(title)\" (kind: \(kind.rawValue)) that the conversation above asks for.")
        return DocumentTools.output(document, "content", "A document was created and is now visible to the user.")
    }
}

/// `updateDocument {id, description}`: a new version of an existing document, rewritten as described.
struct UpdateDocumentTool: ChatTool {
    var spec: ToolSpec {
        ToolSpec(
            name: "updateDocument",
            description: "Change an existing document as described; the whole document is rewritten as a new version the user can compare and restore.",
            inputSchemaJSON: #"{"type":"object","properties":{"id":{"type":"string","description":"The document's id, as createDocument returned it"},"description":{"type":"string","description":"What to change"}},"required":["id","description"]}"#)
    }

    func run(_ input: JSONValue, context: ToolContext) async throws -> JSONValue {
        let id = try input.requiredUUID("id", tool: "updateDocument")
        let description = try input.requiredString("description", tool: "updateDocument")
        let current = try await DocumentTools.latest(id, context: context, tool: "updateDocument")
        let instruction = """
            Rewrite the document titled "\(current.title)" (kind: \(current.kind.rawValue)) with this change: \(description)
            Output the whole new document. The current version:

            \(current.content)
            """
        let document = try await DocumentWriter(context: context).write(id: id, title: current.title, kind: current.kind, instruction: instruction)
        return DocumentTools.output(document, "content", "The document has been updated successfully.")
    }
}
