import AsyncHTTPClient
import Bedrock
import Chat
import Foundation
import Logging
import Models
import ServiceLifecycle

/// Which providers serve which models, decided from the environment: Bedrock when AWS credentials or an
/// endpoint are configured, an OpenAI-compatible server (the local model, Ollama, vLLM…) when
/// OPENAI_BASE_URL is set, both when both are.
struct ModelSetup: Sendable {
    let stack: ModelStack
    let policy: ChatModelPolicy
    /// The connection pools of all model traffic; `ModelClientsService` shuts them down after the server drains.
    let clients: ModelHTTPClients

    var model: any LanguageModel { self.stack.router }
    var catalog: ModelCatalog { self.stack.catalog }

    enum Provider: String { case auto, bedrock, openai }

    static func make(configuration: AppConfiguration, logger: Logger) throws -> ModelSetup {
        let env = configuration.environment
        let provider = try AppConfiguration.parse(env, "MODEL_PROVIDER", default: Provider.auto) { Provider(rawValue: $0.lowercased()) }
        var openAI: OpenAICompatibleLanguageModel.Configuration?
        var local: CatalogModel?
        if let baseURL = env["OPENAI_BASE_URL"].nonEmpty {
            let upstreamName = env["OPENAI_MODEL"].nonEmpty ?? "local-model"
            let entry = CatalogModel.local(
                id: env["OPENAI_MODEL_ID"].nonEmpty ?? "local/\(upstreamName)",
                name: env["OPENAI_MODEL_NAME"].nonEmpty ?? "\(upstreamName) (local)",
                contextWindow: Int(env["OPENAI_CONTEXT_WINDOW"] ?? "") ?? 8192,
                maxOutputTokens: Int(env["OPENAI_MAX_OUTPUT_TOKENS"] ?? "") ?? 1024)
            local = entry
            openAI = .init(baseURL: baseURL, apiKey: env["OPENAI_API_KEY"].nonEmpty, modelAliases: [entry.id: upstreamName])
        } else if provider == .openai {
            throw ConfigurationError(variable: "OPENAI_BASE_URL", message: "MODEL_PROVIDER=openai needs OPENAI_BASE_URL, e.g. http://127.0.0.1:8081 (llama.cpp) or http://127.0.0.1:11434 (Ollama).")
        }
        let useBedrock = provider == .bedrock || (provider == .auto && (Self.bedrockConfigured(env) || local == nil))
        var settings = CatalogSettings(
            allowList: env["CHAT_MODELS"].nonEmpty.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
            defaultChatModel: env["DEFAULT_CHAT_MODEL"].nonEmpty,
            titleModel: env["TITLE_MODEL"].nonEmpty,
            additionalModels: local.map { [$0] } ?? [])
        if !useBedrock, let local {
            // Only the local model is reachable: offer it alone, for chat and titles.
            settings.allowList = settings.allowList ?? [local.id]
            settings.defaultChatModel = settings.defaultChatModel ?? local.id
            settings.titleModel = settings.titleModel ?? local.id
        }
        let definition = try Self.catalogDefinition(path: env["MODELS_FILE"].nonEmpty)
        let pool = ModelHTTPClients.Limits(
            answerConnections: try AppConfiguration.parse(env, "MODEL_MAX_CONNECTIONS", default: ModelHTTPClients.Limits.defaultAnswerConnections) {
                Int($0).flatMap { $0 > 0 ? $0 : nil }
            },
            http2: try AppConfiguration.parse(env, "MODEL_HTTP2", default: false, AppConfiguration.bool))
        let clients = ModelHTTPClients(limits: pool)
        let stack = try ModelStack(
            environment: env, httpClient: clients.answers, definition: definition, catalogSettings: settings, openAI: openAI,
            titleHTTPClient: clients.titles)
        for warning in stack.catalog.warnings { logger.warning("model catalog: \(warning)") }
        var limits: [String: ChatModelPolicy.Limits] = [:]
        for entry in stack.catalog.models {
            limits[entry.id] = .init(
                contextWindowTokens: entry.capabilities.contextWindow, maxOutputTokens: entry.capabilities.maxOutputTokens,
                supportsReasoning: entry.capabilities.reasoning)
        }
        let policy = ChatModelPolicy(
            models: limits, defaultModel: stack.catalog.defaultChatModel, titleModel: stack.catalog.titleModel,
            titleFallbackModel: local.map(\.id).flatMap { $0 == stack.catalog.titleModel ? nil : $0 },
            systemPrompt: env["SYSTEM_PROMPT"].nonEmpty ?? ChatModelPolicy.defaultSystemPrompt,
            reasoningBudgetTokens: Int(env["REASONING_BUDGET_TOKENS"] ?? ""))
        logger.info(
            "models ready",
            metadata: [
                "models": .string(stack.catalog.models.map(\.id).joined(separator: ",")), "default": .string(policy.defaultModel),
                "answer_connections": "\(pool.answerConnections)", "title_connections": "\(pool.titleConnections)",
            ])
        return ModelSetup(stack: stack, policy: policy, clients: clients)
    }

    /// The catalog file MODELS_FILE names, validated; the built-in catalog when unset.
    static func catalogDefinition(path: String?) throws -> CatalogDefinition {
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

    /// Whether anything points at Bedrock: explicit keys, a profile, container credentials, or an endpoint.
    static func bedrockConfigured(_ env: [String: String]) -> Bool {
        let markers = ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                       "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_ENDPOINT_URL", "AWS_BEARER_TOKEN_BEDROCK"]
        if markers.contains(where: { env[$0].nonEmpty != nil }) { return true }
        let home = env["HOME"] ?? NSHomeDirectory()
        return FileManager.default.fileExists(atPath: env["AWS_SHARED_CREDENTIALS_FILE"] ?? "\(home)/.aws/credentials")
    }
}

/// Shuts the model HTTP clients down once the server has drained (it is listed before the chat engine, so it stops after it).
struct ModelClientsService: Service {
    let clients: ModelHTTPClients

    func run() async throws {
        try? await gracefulShutdown()
        try await self.clients.shutdown()
    }
}

/// `GET /api/models`: what the model selector shows.
struct ModelsBody: Encodable {
    let models: [CatalogModel]
    let defaultModel: String
    init(_ setup: ModelSetup) {
        self.models = setup.catalog.models
        self.defaultModel = setup.catalog.defaultChatModel
    }
}
