/// Which provider serves a model.
public enum ProviderKind: String, Sendable, Codable, Equatable {
    /// Amazon Bedrock (Converse).
    case bedrock
    /// An OpenAI-compatible `/v1/chat/completions` server (llama.cpp, Ollama, vLLM, OpenAI).
    case openAICompatible
}

/// What a model can do.
public struct ModelCapabilities: Sendable, Codable, Equatable {
    /// Streams its answer.
    public var streaming: Bool
    /// Calls tools.
    public var tools: Bool
    /// Takes a reasoning budget and returns reasoning.
    public var reasoning: Bool
    /// Reads images.
    public var vision: Bool
    /// Tokens of context.
    public var contextWindow: Int
    /// The most output tokens per answer.
    public var maxOutputTokens: Int

    /// Creates capabilities.
    public init(streaming: Bool = true, tools: Bool, reasoning: Bool, vision: Bool, contextWindow: Int, maxOutputTokens: Int) {
        self.streaming = streaming
        self.tools = tools
        self.reasoning = reasoning
        self.vision = vision
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
    }
}

/// One entry of the model catalog.
public struct CatalogModel: Sendable, Codable, Equatable, Identifiable {
    /// The id sent to the provider, e.g. `us.anthropic.claude-haiku-4-5-20251001-v1:0`.
    public var id: String
    /// The display name, e.g. `Claude Haiku 4.5`.
    public var name: String
    /// What it is good for, shown in the model picker.
    public var description: String
    /// Who serves it.
    public var provider: ProviderKind
    /// What it can do.
    public var capabilities: ModelCapabilities

    /// Creates an entry.
    public init(id: String, name: String, description: String, provider: ProviderKind, capabilities: ModelCapabilities) {
        self.id = id
        self.name = name
        self.description = description
        self.provider = provider
        self.capabilities = capabilities
    }

    /// A model served by a local OpenAI-compatible server, e.g. `local/smollm2-135m`.
    public static func local(
        id: String = "local/smollm2-135m", name: String = "SmolLM2 135M (local)",
        description: String = "Runs on this machine, no cloud account needed", contextWindow: Int = 8192, maxOutputTokens: Int = 2048
    ) -> CatalogModel {
        CatalogModel(
            id: id, name: name, description: description, provider: .openAICompatible,
            capabilities: ModelCapabilities(tools: false, reasoning: false, vision: false, contextWindow: contextWindow, maxOutputTokens: maxOutputTokens))
    }
}
