/// The `Converse` response (the non-streaming call).
public struct ConverseResponse: Sendable, Equatable, Codable {
    /// `output`, a union whose only member is `message`.
    public struct Output: Sendable, Equatable, Codable {
        public var message: Message?
    }

    /// `metrics`.
    public struct Metrics: Sendable, Equatable, Codable {
        /// Server-side latency.
        public var latencyMs: Int
    }

    public var output: Output
    /// Why generation ended, e.g. `end_turn`; unknown values are kept.
    public var stopReason: String
    public var usage: Usage
    public var metrics: Metrics?
}

/// Token usage, from `Converse` or a stream's `metadata` event.
public struct Usage: Sendable, Equatable, Codable {
    /// Input tokens billed (excluding cache reads).
    public var inputTokens: Int
    public var outputTokens: Int
    /// Their sum.
    public var totalTokens: Int?
    /// Tokens read from the prompt cache.
    public var cacheReadInputTokens: Int?
    /// Tokens written to the prompt cache.
    public var cacheWriteInputTokens: Int?

    public init(inputTokens: Int, outputTokens: Int, totalTokens: Int? = nil, cacheReadInputTokens: Int? = nil, cacheWriteInputTokens: Int? = nil)
    {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.totalTokens = totalTokens
        self.cacheReadInputTokens = cacheReadInputTokens
        self.cacheWriteInputTokens = cacheWriteInputTokens
    }
}
