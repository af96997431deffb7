import AsyncHTTPClient
import Bedrock
import Chat
import Foundation
import Logging
import Models

/// The models the server offers, built from the parsed `ModelConfiguration`: Bedrock when AWS credentials or an
/// endpoint are configured, an OpenAI-compatible server (the local model, Ollama, vLLM…) when
/// OPENAI_BASE_URL is set, both when both are.
struct ModelSetup: Sendable {
    let stack: ModelStack
    let policy: ChatModelPolicy
    /// The connection pools of all model traffic; `ModelClientsService` shuts them down after the server drains.
    let clients: ModelHTTPClients

    var model: any LanguageModel { self.stack.router }
    var catalog: ModelCatalog { self.stack.catalog }
    var availability: ModelAvailability { self.stack.availability }

    /// The local model is "installing" while OPENAI_PREPARING says its server is still being prepared.
    static func availability(_ models: ModelConfiguration, httpClient: HTTPClient) -> ModelAvailability {
        guard models.openAIPreparing, let local = models.localModel, let openAI = models.openAI else { return .allReady }
        return ModelAvailability(preparing: [local.id: openAI.baseURL], httpClient: httpClient)
    }

    static func make(configuration: AppConfiguration, logger: Logger) throws -> ModelSetup {
        let models = configuration.models
        let clients = ModelHTTPClients(limits: models.pool)
        let stack = ModelStack(
            bedrock: models.bedrock, credentialEnvironment: models.credentialEnvironment, httpClient: clients.answers, definition: models.catalog,
            catalogSettings: models.catalogSettings, openAI: models.openAI, titleHTTPClient: clients.titles,
            availability: Self.availability(models, httpClient: clients.titles))
        for warning in stack.catalog.warnings { logger.warning("model catalog: \(warning)") }
        var limits: [String: ChatModelPolicy.Limits] = [:]
        for entry in stack.catalog.models {
            limits[entry.id] = .init(
                contextWindowTokens: entry.capabilities.contextWindow, maxOutputTokens: entry.capabilities.maxOutputTokens,
                supportsReasoning: entry.capabilities.reasoning, supportsTools: entry.capabilities.tools)
        }
        let policy = ChatModelPolicy(
            models: limits, defaultModel: stack.catalog.defaultChatModel, titleModel: stack.catalog.titleModel,
            titleFallbackModel: models.localModel.map(\.id).flatMap { $0 == stack.catalog.titleModel ? nil : $0 },
            systemPrompt: models.systemPrompt ?? ChatModelPolicy.defaultSystemPrompt,
            reasoningBudgetTokens: models.reasoningBudgetTokens)
        logger.info(
            "models ready",
            metadata: [
                "models": .string(stack.catalog.models.map(\.id).joined(separator: ",")), "default": .string(policy.defaultModel),
                "answer_connections": "\(models.pool.answerConnections)", "title_connections": "\(models.pool.titleConnections)",
                "credentials": .string(models.bedrock.apiKey.map { "\($0)" } ?? "AWS credential chain"),
            ])
        return ModelSetup(stack: stack, policy: policy, clients: clients)
    }
}
