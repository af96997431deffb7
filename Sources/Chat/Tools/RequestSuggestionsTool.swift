import Foundation
import JSON
import Models
import Storage

/// `requestSuggestions {documentId}`: up to five sentence-level edits of the newest version, each stored and
/// sent to the client (`data-suggestion`) as soon as the model has written it.
struct RequestSuggestionsTool: ChatTool {
    static let maxSuggestions = 5
    static let maxFieldLength = 2000

    var spec: ToolSpec {
        ToolSpec(
            name: "requestSuggestions",
            description: "Propose up to 5 improvements to a document, each replacing one sentence or phrase; the user sees them in the document and can apply them.",
            inputSchemaJSON: #"{"type":"object","properties":{"documentId":{"type":"string","description":"The document's id"}},"required":["documentId"]}"#)
    }

    static let instructions = """
        You are a careful editor. Propose at most 5 improvements to the document below. Each replaces one sentence or \
        phrase of it. Write each on its own line as a JSON object, and nothing else: \
        {"originalText": "<the exact text from the document>", "suggestedText": "<the replacement>", "description": "<why, in a few words>"}
        """

    func run(_ input: JSONValue, context: ToolContext) async throws -> JSONValue {
        let id = try input.requiredUUID("documentId", tool: "requestSuggestions")
        let document = try await DocumentTools.latest(id, context: context, tool: "requestSuggestions")
        let request = ModelRequest(
            modelID: context.modelID, system: [Self.instructions],
            messages: [.user("The document \"\(document.title)\":\n\n\(document.content)")], maxOutputTokens: context.maxOutputTokens)
        var pending = ""
        var count = 0
        stream: for try await event in context.model.stream(request) {
            guard case .textDelta(let delta) = event else { continue }
            pending += delta
            while let newline = pending.firstIndex(of: "\n") {
                let line = String(pending[..<newline])
                pending = String(pending[pending.index(after: newline)...])
                if try await self.take(line, document: document, context: context) { count += 1 }
                if count == Self.maxSuggestions { break stream }
            }
        }
        if count < Self.maxSuggestions, try await self.take(pending, document: document, context: context) { count += 1 }
        return DocumentTools.output(document, "message", count == 0 ? "No suggestions were found for the document." : "Suggestions have been added to the document")
    }

    /// Stores and sends one suggestion line; false for lines that are not a usable suggestion.
    func take(_ line: String, document: DocumentRecord, context: ToolContext) async throws -> Bool {
        var text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasSuffix(",") { text.removeLast() }
        guard text.hasPrefix("{"), let value = JSONValue(jsonText: text),
            let original = value["originalText"]?.stringValue, !original.isEmpty, TextLimit.fits(original, scalars: Self.maxFieldLength),
            let suggested = value["suggestedText"]?.stringValue, TextLimit.fits(suggested, scalars: Self.maxFieldLength),
            suggested != original, document.content.contains(original)
        else { return false }
        let description = value["description"]?.stringValue.map { TextLimit.prefix($0, Self.maxFieldLength) }
        let suggestion = SuggestionRecord(
            documentID: document.id, documentCreatedAt: document.createdAt, userID: context.userID, originalText: original,
            suggestedText: suggested, description: description)
        guard try await context.documents.addSuggestion(suggestion) else { return false }
        await context.send("suggestion", Self.json(suggestion))
        return true
    }

    static func json(_ suggestion: SuggestionRecord) -> JSONValue {
        let time = { (date: Date) in JSONValue.string(date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))) }
        return [
            "id": .string(suggestion.id.uuidString.lowercased()), "documentId": .string(suggestion.documentID.uuidString.lowercased()),
            "documentCreatedAt": time(suggestion.documentCreatedAt), "originalText": .string(suggestion.originalText),
            "suggestedText": .string(suggestion.suggestedText), "description": suggestion.description.map(JSONValue.string) ?? .null,
            "isResolved": .bool(suggestion.isResolved), "userId": .string(suggestion.userID.uuidString.lowercased()),
            "createdAt": time(suggestion.createdAt),
        ]
    }
}
