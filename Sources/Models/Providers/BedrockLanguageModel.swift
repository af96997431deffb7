import Bedrock
import Foundation

/// Answers from Amazon Bedrock's ConverseStream.
public struct BedrockLanguageModel: LanguageModel {
    let client: BedrockClient
    let catalog: ModelCatalog

    /// Creates the provider; the catalog says which models reason (and so get a reasoning budget and replayed reasoning).
    public init(client: BedrockClient, catalog: ModelCatalog = ModelCatalog()) {
        self.client = client
        self.catalog = catalog
    }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error> {
        let client = self.client
        let converse = self.converseRequest(for: request)
        return ModelEventStream.make { continuation in
            var translator = ConverseEventTranslator()
            for try await event in client.converseStream(modelID: request.modelID, request: converse) {
                for output in translator.translate(event) {
                    continuation.yield(output)
                }
            }
            continuation.yield(translator.finish())
        }
    }

    /// The ConverseStream body for a request; the catalog says how (and whether) the model reasons.
    func converseRequest(for request: ModelRequest) -> ConverseRequest {
        let style = (request.catalogEntry ?? self.catalog.model(id: request.modelID))?.reasoningStyle ?? .none
        let reasoning = style != .none
        let messages = request.messages.map { message in
            Message(role: message.role.rawValue, content: Self.withUniqueDocumentNames(message.content.compactMap { Self.block($0, replayReasoning: reasoning) }))
        }
        let system = request.system.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.map(SystemContentBlock.text)
        var inference = InferenceConfiguration(maxTokens: request.maxOutputTokens, temperature: request.temperature)
        var additional: JSONValue?
        if let budget = request.reasoningBudgetTokens, budget > 0 {
            additional = Self.reasoningFields(style: style, budget: budget, inference: &inference, requestedMaxTokens: request.maxOutputTokens)
        }
        let tools = request.tools.map { tool in
            Tool.spec(
                name: tool.name, description: tool.description.isEmpty ? nil : tool.description,
                inputSchema: JSONValue(jsonText: tool.inputSchemaJSON) ?? .object(["type": .string("object")]))
        }
        return ConverseRequest(
            messages: messages, system: system.isEmpty ? nil : system,
            inferenceConfig: inference.maxTokens == nil && inference.temperature == nil ? nil : inference,
            toolConfig: tools.isEmpty ? nil : ToolConfiguration(tools: tools), additionalModelRequestFields: additional)
    }

    /// `additionalModelRequestFields` that turn reasoning on, per family (catalog/README.md has the sources).
    static func reasoningFields(style: ReasoningStyle, budget: Int, inference: inout InferenceConfiguration, requestedMaxTokens: Int?) -> JSONValue? {
        switch style {
        case .none:
            return nil
        case .anthropicBudget:
            // Claude wants a budget of at least 1024, more output tokens than the budget, and no temperature.
            let clamped = max(budget, 1024)
            inference.temperature = nil
            inference.maxTokens = max(requestedMaxTokens ?? 0, clamped + 1024)
            return .object(["thinking": .object(["type": .string("enabled"), "budget_tokens": .int(clamped)])])
        case .anthropicAdaptive:
            // Claude 4.6 decides how much to think; a fixed budget is deprecated there. Thinking forbids temperature.
            inference.temperature = nil
            return .object(["thinking": .object(["type": .string("adaptive")])])
        case .nova:
            // Nova 2 takes an effort level rather than a token budget; at "high" it rejects temperature, topP and maxTokens.
            let effort = budget <= 4096 ? "low" : budget <= 16384 ? "medium" : "high"
            inference.temperature = nil
            if effort == "high" { inference.maxTokens = nil }
            return .object(["reasoningConfig": .object(["type": .string("enabled"), "maxReasoningEffort": .string(effort)])])
        }
    }

    /// Converse refuses two documents of one request with the same name, and a document without a text block beside it.
    static func withUniqueDocumentNames(_ blocks: [ContentBlock]) -> [ContentBlock] {
        var seen: [String: Int] = [:]
        var hasText = false
        var hasDocument = false
        var out = blocks.map { block -> ContentBlock in
            switch block {
            case .text: hasText = true
            case .document(var document):
                hasDocument = true
                let count = seen[document.name, default: 0] + 1
                seen[document.name] = count
                if count > 1 { document.name = String(document.name.prefix(190)) + " (\(count))" }
                return .document(document)
            default: break
            }
            return block
        }
        if hasDocument, !hasText { out.append(.text("The attached documents.")) }
        return out
    }

    static func block(_ content: ModelContent, replayReasoning: Bool) -> ContentBlock? {
        switch content {
        case .text(let text):
            return text.isEmpty ? nil : .text(text)
        case .reasoning(let text, let signature):
            // Only a signed block can be replayed, and only to a model that reasons.
            guard replayReasoning, let signature else { return nil }
            return .reasoning(.text(text, signature: signature))
        case .redactedReasoning(let data):
            return replayReasoning ? .reasoning(.redacted(data)) : nil
        case .toolUse(let id, let name, let inputJSON):
            return .toolUse(ToolUseBlock(toolUseId: id, name: name, input: JSONValue(jsonText: inputJSON) ?? .object([:])))
        case .toolResult(let id, let contentJSON, let isError):
            let content: ToolResultContent
            if let value = JSONValue(jsonText: contentJSON), case .object = value {
                content = .json(value)
            } else if let value = JSONValue(jsonText: contentJSON), case .string(let text) = value {
                content = .text(text)
            } else {
                content = .text(contentJSON)
            }
            return .toolResult(ToolResultBlock(toolUseId: id, content: [content], status: isError ? "error" : "success"))
        case .image(let format, let data):
            return .image(ImageBlock(format: format, bytes: data))
        case .document(let format, let name, let data):
            return .document(DocumentBlock(format: format, name: DocumentBlock.safeName(name), bytes: data))
        case .file:
            // Unresolved references never reach the wire: the app resolves them, or they are dropped here.
            return nil
        }
    }
}
