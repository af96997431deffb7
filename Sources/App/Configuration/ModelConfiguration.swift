import Bedrock
import Foundation
import Models

/// Every model setting, parsed once from the environment with the rest of `AppConfiguration` and passed down.
///
/// Only the AWS credential chain still reads AWS's own variables (keys, profile, container credentials) from
/// `credentialEnvironment`, as the AWS SDKs do.
public struct ModelConfiguration: Sendable {
    /// Which providers serve models.
    public enum Provider: String, Sendable { case auto, bedrock, openai }

    public var provider: Provider
    /// MODELS_FILE, validated, or the built-in catalog.
    public var catalog: CatalogDefinition
    /// CHAT_MODELS, DEFAULT_CHAT_MODEL, TITLE_MODEL and the OpenAI-compatible model.
    public var catalogSettings: CatalogSettings
    /// OPENAI_BASE_URL and friends, when set.
    public var openAI: OpenAICompatibleLanguageModel.Configuration?
    /// The catalog entry of the OpenAI-compatible model, when set.
    public var localModel: CatalogModel?
    /// OPENAI_PREPARING: the server at OPENAI_BASE_URL is still being installed or started (scripts/run's first
    /// run), so its model is offered as "installing" until its `/v1/models` answers.
    public var openAIPreparing = false
    /// Region, endpoint and API key (AWS_REGION/profile, AWS_ENDPOINT_URL_BEDROCK_RUNTIME, AWS_BEARER_TOKEN_BEDROCK).
    public var bedrock: BedrockClientConfiguration
    /// What the AWS credential chain may read.
    public var credentialEnvironment: [String: String]
    /// MODEL_MAX_CONNECTIONS, MODEL_HTTP2.
    public var pool: ModelHTTPClients.Limits
    /// SYSTEM_PROMPT, when set.
    public var systemPrompt: String?
    /// REASONING_BUDGET_TOKENS, when set.
    public var reasoningBudgetTokens: Int?

    public init(environment env: [String: String]) throws(ConfigurationError) {
        self.provider = try AppConfiguration.parse(env, "MODEL_PROVIDER", default: Provider.auto) { Provider(rawValue: $0.lowercased()) }
        if let baseURL = env["OPENAI_BASE_URL"].nonEmpty {
            let upstreamName = env["OPENAI_MODEL"].nonEmpty ?? "local-model"
            let entry = CatalogModel.local(
                id: env["OPENAI_MODEL_ID"].nonEmpty ?? "local/\(upstreamName)",
                name: env["OPENAI_MODEL_NAME"].nonEmpty ?? "\(upstreamName) (local)",
                contextWindow: try AppConfiguration.parse(env, "OPENAI_CONTEXT_WINDOW", default: 8192, Self.positive),
                maxOutputTokens: try AppConfiguration.parse(env, "OPENAI_MAX_OUTPUT_TOKENS", default: 1024, Self.positive))
            self.localModel = entry
            self.openAI = .init(baseURL: baseURL, apiKey: env["OPENAI_API_KEY"].nonEmpty, modelAliases: [entry.id: upstreamName])
            self.openAIPreparing = try AppConfiguration.parse(env, "OPENAI_PREPARING", default: false, AppConfiguration.bool)
        } else if self.provider == .openai {
            throw ConfigurationError(
                variable: "OPENAI_BASE_URL",
                message: "MODEL_PROVIDER=openai needs OPENAI_BASE_URL, e.g. http://127.0.0.1:8081 (llama.cpp) or http://127.0.0.1:11434 (Ollama).")
        }
        let useBedrock = self.provider == .bedrock || (self.provider == .auto && (Self.bedrockConfigured(env) || self.localModel == nil))
        var settings = CatalogSettings(
            allowList: env["CHAT_MODELS"].nonEmpty.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
            defaultChatModel: env["DEFAULT_CHAT_MODEL"].nonEmpty,
            titleModel: env["TITLE_MODEL"].nonEmpty,
            additionalModels: self.localModel.map { [$0] } ?? [])
        if !useBedrock, let local = self.localModel {
            // Only the local model is reachable: offer it alone, for chat and titles.
            settings.allowList = settings.allowList ?? [local.id]
            settings.defaultChatModel = settings.defaultChatModel ?? local.id
            settings.titleModel = settings.titleModel ?? local.id
        }
        self.catalogSettings = settings
        self.catalog = try Self.catalogDefinition(path: env["MODELS_FILE"].nonEmpty)
        do {
            self.bedrock = try BedrockClientConfiguration.fromEnvironment(env)
        } catch {
            throw ConfigurationError(variable: "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", message: "\(error)")
        }
        // One limit for silence before the head and between events; a stalled answer ends as failed after it.
        let idle = try AppConfiguration.parse(env, "MODEL_IDLE_TIMEOUT", default: 60) { Int($0).flatMap { (1...3600).contains($0) ? $0 : nil } }
        self.bedrock.timeouts.firstByte = .seconds(idle)
        self.bedrock.timeouts.idle = .seconds(idle)
        self.credentialEnvironment = env
        self.pool = ModelHTTPClients.Limits(
            answerConnections: try AppConfiguration.parse(env, "MODEL_MAX_CONNECTIONS", default: ModelHTTPClients.Limits.defaultAnswerConnections, Self.positive),
            http2: try AppConfiguration.parse(env, "MODEL_HTTP2", default: false, AppConfiguration.bool))
        self.systemPrompt = env["SYSTEM_PROMPT"].nonEmpty
        self.reasoningBudgetTokens = try AppConfiguration.parse(env, "REASONING_BUDGET_TOKENS", default: nil) { Int($0).flatMap { $0 >= 0 ? $0 : nil } }
    }

    static func positive(_ raw: String) -> Int? { Int(raw).flatMap { $0 > 0 ? $0 : nil } }

    /// The catalog file MODELS_FILE names, validated; the built-in catalog when unset.
    static func catalogDefinition(path: String?) throws(ConfigurationError) -> CatalogDefinition {
        guard let path else { return .builtIn }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(variable: "MODELS_FILE", message: "MODELS_FILE names \(path), which cannot be read.")
        }
        do {
            return try CatalogDefinition(json: data, origin: "MODELS_FILE \(path)")
        } catch {
            throw ConfigurationError(variable: "MODELS_FILE", message: error.description)
        }
    }

    /// Whether anything points at Bedrock: explicit keys, a profile, container credentials, an API key, or an endpoint.
    static func bedrockConfigured(_ env: [String: String]) -> Bool {
        let markers = ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                       "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_ENDPOINT_URL", BedrockAPIKey.environmentVariable]
        if markers.contains(where: { env[$0].nonEmpty != nil }) { return true }
        let home = env["HOME"] ?? NSHomeDirectory()
        return FileManager.default.fileExists(atPath: env["AWS_SHARED_CREDENTIALS_FILE"] ?? "\(home)/.aws/credentials")
    }
}

extension AppConfiguration {
    /// The Bedrock region (AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else us-east-1): the one the client signs for.
    public var awsRegion: String { self.models.bedrock.region }
}
