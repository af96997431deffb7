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

    /// Streams the answer as `ModelEvent`s.
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

    /// Whether the catalog says this model can reason; unknown models are treated as not reasoning.
    func supportsReasoning(_ modelID: String) -> Bool {
        self.catalog.model(id: modelID)?.capabilities.reasoning ?? false
    }

    /// The ConverseStream body for a request.
    func converseRequest(for request: ModelRequest) -> ConverseRequest {
        let reasoning = self.supportsReasoning(request.modelID)
        let messages = request.messages.map { message in
            Message(role: message.role.rawValue, content: message.content.compactMap { Self.block($0, replayReasoning: reasoning) })
        }
        let system = request.system.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.map(SystemContentBlock.text)
        var inference = InferenceConfiguration(maxTokens: request.maxOutputTokens, temperature: request.temperature)
        var additional: JSONValue?
        if reasoning, let budget = request.reasoningBudgetTokens, budget > 0 {
            // Claude wants a budget of at least 1024, more output tokens than the budget, and no temperature.
            let clamped = max(budget, 1024)
            additional = .object(["reasoning_config": .object(["type": .string("enabled"), "budget_tokens": .int(clamped)])])
            inference.temperature = nil
            inference.maxTokens = max(request.maxOutputTokens ?? 0, clamped + 1024)
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
        }
    }
}
