import AsyncHTTPClient
import Bedrock
import BedrockFake
import Foundation
import Models

/// A fake Bedrock server and a `ModelStack` built from an environment that points at it.
struct ModelsHarness {
    let fake: FakeBedrockServer
    let stack: ModelStack

    static func make(definition: CatalogDefinition = legacyCatalog, settings: CatalogSettings = CatalogSettings(), openAI: OpenAICompatibleLanguageModel.Configuration? = nil, retry: RetryPolicy = RetryPolicy(maxAttempts: 1),
        environment extra: [String: String] = [:], fake: FakeBedrockServer = FakeBedrockServer())
        async throws -> ModelsHarness
    {
        let url = try await fake.start()
        let env = [
            "AWS_ACCESS_KEY_ID": FakeBedrockServer.exampleAccessKeyID, "AWS_SECRET_ACCESS_KEY": FakeBedrockServer.exampleSecret,
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": url, "AWS_REGION": "us-east-1", "HOME": "/nonexistent",
        ].merging(extra) { _, new in new }
        let stack = try ModelStack(environment: env, httpClient: testHTTPClient, definition: definition, catalogSettings: settings, openAI: openAI, retry: retry)
        return ModelsHarness(fake: fake, stack: stack)
    }

    func stop() async { await self.fake.stop() }
}

/// Collects a model stream.
func collect(_ stream: AsyncThrowingStream<ModelEvent, any Error>) async -> ([ModelEvent], (any Error)?) {
    var events: [ModelEvent] = []
    do {
        for try await event in stream { events.append(event) }
        return (events, nil)
    } catch {
        return (events, error)
    }
}

extension [ModelEvent] {
    var text: String {
        self.compactMap { if case .textDelta(let text) = $0 { return text } else { return nil } }.joined()
    }
}

/// The repository's catalog files; most tests use the legacy set, whose ids (Nova Lite, US profiles) the fake's scenarios know.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let legacyCatalog: CatalogDefinition = {
    let url = repositoryRoot.appendingPathComponent("catalog/models-legacy.json")
    return try! CatalogDefinition(json: try! Data(contentsOf: url), origin: url.path)
}()
