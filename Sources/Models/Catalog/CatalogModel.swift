/// Which provider serves a model.
public enum ProviderKind: String, Sendable, Codable, Equatable, CaseIterable {
    /// Amazon Bedrock (Converse).
    case bedrock
    /// An OpenAI-compatible `/v1/chat/completions` server (llama.cpp, Ollama, vLLM, OpenAI).
    case openAICompatible
}

/// How a model is asked to reason: each family has its own request field (see catalog/README.md).
public enum ReasoningStyle: String, Sendable, Codable, Equatable, CaseIterable {
    /// Does not reason on request.
    case none
    /// Claude 4.x before 4.6: `thinking: {type: enabled, budget_tokens}`.
    case anthropicBudget = "anthropic-budget"
    /// Claude 4.6: `thinking: {type: adaptive}` (a fixed budget is deprecated there).
    case anthropicAdaptive = "anthropic-adaptive"
    /// Amazon Nova 2: `reasoningConfig: {type: enabled, maxReasoningEffort}`.
    case nova
}

/// What a model can do.
public struct ModelCapabilities: Sendable, Codable, Equatable {
    public var streaming: Bool
    public var tools: Bool
    /// Takes a reasoning request and returns reasoning.
    public var reasoning: Bool
    public var vision: Bool
    /// Reads documents (Converse document blocks: PDF, CSV, DOC/DOCX, XLS/XLSX, HTML, TXT, MD).
    public var documents: Bool
    /// Tokens of context.
    public var contextWindow: Int
    /// The most output tokens per answer.
    public var maxOutputTokens: Int

    public init(
        streaming: Bool = true, tools: Bool, reasoning: Bool, vision: Bool, documents: Bool = false, contextWindow: Int, maxOutputTokens: Int
    ) {
        self.streaming = streaming
        self.tools = tools
        self.reasoning = reasoning
        self.vision = vision
        self.documents = documents
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
    }

    enum CodingKeys: String, CodingKey { case streaming, tools, reasoning, vision, documents, contextWindow, maxOutputTokens }

    // `documents` came later: JSON written before it lacks the key and means "no documents".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            streaming: try container.decode(Bool.self, forKey: .streaming), tools: try container.decode(Bool.self, forKey: .tools),
            reasoning: try container.decode(Bool.self, forKey: .reasoning), vision: try container.decode(Bool.self, forKey: .vision),
            documents: try container.decodeIfPresent(Bool.self, forKey: .documents) ?? false,
            contextWindow: try container.decode(Int.self, forKey: .contextWindow), maxOutputTokens: try container.decode(Int.self, forKey: .maxOutputTokens))
    }
}

/// One entry of the model catalog.
public struct CatalogModel: Sendable, Codable, Equatable, Identifiable {
    /// The id sent to the provider, e.g. `global.anthropic.claude-haiku-4-5-20251001-v1:0`.
    public var id: String
    /// The display name, e.g. `Claude Haiku 4.5`.
    public var name: String
    /// What it is good for, shown in the model picker.
    public var description: String
    public var provider: ProviderKind
    public var capabilities: ModelCapabilities
    /// For Bedrock: the foundation model the id invokes (what IAM grants); not sent to browsers.
    public var foundationModel: String?
    /// The request field that turns reasoning on; not sent to browsers.
    public var reasoningStyle: ReasoningStyle

    /// Creates an entry; `reasoningStyle` defaults to Claude's budget style when `capabilities.reasoning` is set.
    public init(
        id: String, name: String, description: String, provider: ProviderKind, capabilities: ModelCapabilities, foundationModel: String? = nil,
        reasoningStyle: ReasoningStyle? = nil
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.provider = provider
        self.capabilities = capabilities
        self.foundationModel = foundationModel
        self.reasoningStyle = reasoningStyle ?? (capabilities.reasoning ? .anthropicBudget : .none)
        self.capabilities.reasoning = self.reasoningStyle != .none
    }

    enum CodingKeys: String, CodingKey { case id, name, description, provider, capabilities }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id), name: try container.decode(String.self, forKey: .name),
            description: try container.decode(String.self, forKey: .description), provider: try container.decode(ProviderKind.self, forKey: .provider),
            capabilities: try container.decode(ModelCapabilities.self, forKey: .capabilities))
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
