extension ModelCatalog {
    /// The seed's eight Bedrock models, with the seed's names and use cases.
    ///
    /// Claude ids are US cross-region inference profiles (`us.…`): the bare ids fail with
    /// "on-demand throughput isn't supported". Context and output limits are the providers' published ones.
    public static let builtIn: [CatalogModel] = [
        claude("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5", "Most intelligent, complex tasks", reasoning: true, output: 64_000),
        claude("us.anthropic.claude-haiku-4-5-20251001-v1:0", "Claude Haiku 4.5", "Fast and intelligent", reasoning: true, output: 64_000),
        claude("us.anthropic.claude-sonnet-4-20250514-v1:0", "Claude Sonnet 4", "Highly capable reasoning", reasoning: true, output: 64_000),
        claude("us.anthropic.claude-haiku-4-20250514-v1:0", "Claude Haiku 4", "Fast, general tasks", reasoning: true, output: 32_000),
        claude("us.anthropic.claude-3-5-haiku-20241022-v1:0", "Claude 3.5 Haiku", "Fast, simple tasks", reasoning: false, output: 8_192),
        claude("us.anthropic.claude-3-5-sonnet-20241022-v2:0", "Claude 3.5 Sonnet", "Balanced speed/intelligence", reasoning: false, output: 8_192),
        CatalogModel(
            id: "amazon.nova-lite-v1:0", name: "Amazon Nova Lite", description: "Title generation, simple tasks", provider: .bedrock,
            capabilities: ModelCapabilities(tools: true, reasoning: false, vision: true, contextWindow: 300_000, maxOutputTokens: 5_000)),
        CatalogModel(
            id: "amazon.nova-pro-v1:0", name: "Amazon Nova Pro", description: "Advanced tasks", provider: .bedrock,
            capabilities: ModelCapabilities(tools: true, reasoning: false, vision: true, contextWindow: 300_000, maxOutputTokens: 5_000)),
    ]

    static func claude(_ id: String, _ name: String, _ description: String, reasoning: Bool, output: Int) -> CatalogModel {
        CatalogModel(
            id: id, name: name, description: description, provider: .bedrock,
            capabilities: ModelCapabilities(tools: true, reasoning: reasoning, vision: true, contextWindow: 200_000, maxOutputTokens: output))
    }
}
