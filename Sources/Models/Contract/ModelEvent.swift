import Foundation

/// One event of a streamed answer.
public enum ModelEvent: Sendable, Equatable {
    /// A piece of answer text.
    case textDelta(String)
    /// A piece of reasoning text.
    case reasoningDelta(String)
    /// The signature of the reasoning so far (store it with the reasoning to replay it).
    case reasoningSignature(String)
    /// Encrypted reasoning.
    case redactedReasoning(Data)
    /// A tool call begins; its input follows as `toolInputDelta`s, then the whole call as `toolCall`.
    case toolInputStart(id: String, name: String)
    /// A fragment of a tool call's input JSON text, as the model writes it.
    case toolInputDelta(id: String, delta: String)
    /// A complete tool call: its input JSON is whole.
    case toolCall(id: String, name: String, inputJSON: String)
    /// The answer is complete.
    case finish(FinishReason, TokenUsage)
}

/// Why an answer ended (the AI SDK's names).
public enum FinishReason: String, Sendable, Codable {
    /// The model finished (or hit a stop sequence).
    case stop
    /// The output token limit (or the context window) was reached.
    case length
    /// The model wants tool results.
    case toolCalls = "tool-calls"
    /// A guardrail or content filter stopped it.
    case contentFilter = "content-filter"
    /// The model produced malformed output.
    case error
    /// Anything else.
    case other
}

/// Token counts of one answer.
public struct TokenUsage: Sendable, Codable, Equatable {
    /// Input tokens (excluding cache reads).
    public var inputTokens: Int
    /// Output tokens.
    public var outputTokens: Int
    /// Input tokens read from the prompt cache.
    public var cacheReadTokens: Int
    /// Input tokens written to the prompt cache.
    public var cacheWriteTokens: Int
    /// Server-side latency, when reported.
    public var latencyMs: Int?

    /// Creates usage.
    public init(inputTokens: Int = 0, outputTokens: Int = 0, cacheReadTokens: Int = 0, cacheWriteTokens: Int = 0, latencyMs: Int? = nil) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.latencyMs = latencyMs
    }
}
