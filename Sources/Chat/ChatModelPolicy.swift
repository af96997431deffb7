/// What the chat service needs to know about models, decoupled from how the catalog is configured.
public struct ChatModelPolicy: Sendable {
    public struct Limits: Sendable {
        public var contextWindowTokens: Int
        public var maxOutputTokens: Int
        public var supportsReasoning: Bool
        /// Whether the model may call the chat's tools (the catalog's `tools`); others get none.
        public var supportsTools: Bool
        public init(contextWindowTokens: Int, maxOutputTokens: Int, supportsReasoning: Bool, supportsTools: Bool = false) {
            self.contextWindowTokens = contextWindowTokens
            self.maxOutputTokens = maxOutputTokens
            self.supportsReasoning = supportsReasoning
            self.supportsTools = supportsTools
        }
    }

    /// Allowed model ids and their limits.
    public var models: [String: Limits]
    public var defaultModel: String
    /// Writes chat titles; falls back to `titleFallbackModel`, then to the first words of the message.
    public var titleModel: String
    public var titleFallbackModel: String?
    public var systemPrompt: String
    /// Tokens of reasoning to allow models that support it.
    public var reasoningBudgetTokens: Int?

    public init(
        models: [String: Limits], defaultModel: String, titleModel: String, titleFallbackModel: String? = nil,
        systemPrompt: String = ChatModelPolicy.defaultSystemPrompt, reasoningBudgetTokens: Int? = nil
    ) {
        self.models = models
        self.defaultModel = defaultModel
        self.titleModel = titleModel
        self.titleFallbackModel = titleFallbackModel
        self.systemPrompt = systemPrompt
        self.reasoningBudgetTokens = reasoningBudgetTokens
    }

    public static let defaultSystemPrompt =
        "You are a friendly, helpful assistant. Keep your answers concise and accurate. Use Markdown for structure when it helps."

    func limits(for model: String) throws(ChatError) -> Limits {
        guard let limits = self.models[model] else { throw .unknownModel(model) }
        return limits
    }
}
