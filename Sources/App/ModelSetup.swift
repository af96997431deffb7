import Chat
import Foundation
import Logging
import Models

/// PROVISIONAL until the catalog and providers land: a policy over the catalog ids with no provider.
struct ModelSetup: Sendable {
    let model: any LanguageModel
    let policy: ChatModelPolicy
    let catalogJSON: [[String: String]]

    static func make(configuration: AppConfiguration, logger: Logger) throws -> ModelSetup {
        let ids = ["amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0"]
        let limits = ChatModelPolicy.Limits(contextWindowTokens: 300_000, maxOutputTokens: 4096, supportsReasoning: false)
        return ModelSetup(
            model: UnconfiguredModel(),
            policy: ChatModelPolicy(models: Dictionary(uniqueKeysWithValues: ids.map { ($0, limits) }), defaultModel: ids[0], titleModel: ids[0]),
            catalogJSON: ids.map { ["id": $0, "name": $0] })
    }
}

struct UnconfiguredModel: LanguageModel {
    func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error> {
        AsyncThrowingStream { $0.finish(throwing: ModelError(kind: .unknown, message: "No model provider is configured.", upstreamCode: nil, isRetryable: false)) }
    }
}

struct ModelsBody: Encodable {
    let models: [[String: String]]
    let defaultModel: String
    init(_ setup: ModelSetup) {
        self.models = setup.catalogJSON
        self.defaultModel = setup.policy.defaultModel
    }
}
