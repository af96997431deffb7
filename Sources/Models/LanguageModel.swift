// TEMPORARY: the contract agreed with the Bedrock/Models work; replaced by that branch on merge.
import Foundation

public protocol LanguageModel: Sendable {
    func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error>
}

public struct ModelRequest: Sendable {
    public var modelID: String
    public var system: [String]
    public var messages: [ModelMessage]
    public var maxOutputTokens: Int?
    public var temperature: Double?
    public var reasoningBudgetTokens: Int?
    public var tools: [ToolSpec]
    public init(modelID: String, system: [String] = [], messages: [ModelMessage], maxOutputTokens: Int? = nil, temperature: Double? = nil,
                reasoningBudgetTokens: Int? = nil, tools: [ToolSpec] = []) {
        self.modelID = modelID
        self.system = system
        self.messages = messages
        self.maxOutputTokens = maxOutputTokens
        self.temperature = temperature
        self.reasoningBudgetTokens = reasoningBudgetTokens
        self.tools = tools
    }
}

public struct ModelMessage: Sendable, Codable, Equatable {
    public enum Role: String, Sendable, Codable { case user, assistant }
    public var role: Role
    public var content: [ModelContent]
    public init(role: Role, content: [ModelContent]) {
        self.role = role
        self.content = content
    }
}

public enum ModelContent: Sendable, Codable, Equatable {
    case text(String)
    case reasoning(text: String, signature: String?)
    case redactedReasoning(Data)
    case toolUse(id: String, name: String, inputJSON: String)
    case toolResult(id: String, contentJSON: String, isError: Bool)
}

public struct ToolSpec: Sendable {
    public var name: String
    public var description: String
    public var inputSchemaJSON: String
}

public enum ModelEvent: Sendable, Equatable {
    case textDelta(String)
    case reasoningDelta(String)
    case reasoningSignature(String)
    case redactedReasoning(Data)
    case toolCall(id: String, name: String, inputJSON: String)
    case finish(FinishReason, TokenUsage)
}

public enum FinishReason: String, Sendable, Codable {
    case stop, length
    case toolCalls = "tool-calls"
    case contentFilter = "content-filter"
    case error, other
}

public struct TokenUsage: Sendable, Codable, Equatable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var cacheReadTokens: Int
    public var cacheWriteTokens: Int
    public var latencyMs: Int?
    public init(inputTokens: Int = 0, outputTokens: Int = 0, cacheReadTokens: Int = 0, cacheWriteTokens: Int = 0, latencyMs: Int? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.latencyMs = latencyMs
    }
}

public struct ModelError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case accessDenied, inferenceProfileRequired, marketplaceSubscription, credentialsMissing, credentialsExpired, throttled, modelNotReady,
            invalidRequest, modelNotFound, timeout, unavailable, modelStreamError, invalidResponse, network, unknown
    }
    public var kind: Kind
    public var message: String
    public var upstreamCode: String?
    public var isRetryable: Bool
    public var description: String { self.message }
}
