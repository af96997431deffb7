/// One generation request, independent of the provider.
public struct ModelRequest: Sendable {
    /// What the answer is for: titles travel on their own connections, so they can never starve answers.
    public enum Purpose: Sendable, Equatable { case answer, title }

    /// A catalog model id, e.g. `amazon.nova-lite-v1:0`.
    public var modelID: String
    /// System prompts, in order.
    public var system: [String]
    /// The conversation so far, starting with a user message.
    public var messages: [ModelMessage]
    /// The most tokens to generate; `nil` for the provider's default.
    public var maxOutputTokens: Int?
    /// Sampling temperature; `nil` for the provider's default.
    public var temperature: Double?
    /// A thinking budget for models that reason; ignored by others.
    public var reasoningBudgetTokens: Int?
    /// Tools the model may call.
    public var tools: [ToolSpec]
    public var purpose: Purpose
    /// The catalog entry, filled in by `ModelRouter` so providers need not look it up again.
    public internal(set) var catalogEntry: CatalogModel?

    public init(
        modelID: String, system: [String] = [], messages: [ModelMessage], maxOutputTokens: Int? = nil, temperature: Double? = nil,
        reasoningBudgetTokens: Int? = nil, tools: [ToolSpec] = [], purpose: Purpose = .answer
    ) {
        self.purpose = purpose
        self.modelID = modelID
        self.system = system
        self.messages = messages
        self.maxOutputTokens = maxOutputTokens
        self.temperature = temperature
        self.reasoningBudgetTokens = reasoningBudgetTokens
        self.tools = tools
    }
}

/// A tool the model may call.
public struct ToolSpec: Sendable {
    /// The name the model uses to call it.
    public var name: String
    /// What it does, for the model.
    public var description: String
    /// The JSON Schema of its input, as JSON text.
    public var inputSchemaJSON: String

    public init(name: String, description: String, inputSchemaJSON: String) {
        self.name = name
        self.description = description
        self.inputSchemaJSON = inputSchemaJSON
    }
}
