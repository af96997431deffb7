import Testing

@testable import Models

/// The catalog as data and the router over it.
@Suite struct CatalogTests {
    @Test func builtInCatalogMatchesTheSeed() {
        let catalog = ModelCatalog()
        #expect(catalog.models.map(\.id) == [
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "us.anthropic.claude-sonnet-4-20250514-v1:0",
            "us.anthropic.claude-haiku-4-20250514-v1:0", "us.anthropic.claude-3-5-haiku-20241022-v1:0", "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
            "amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0",
        ])
        #expect(catalog.model(id: "amazon.nova-lite-v1:0")?.name == "Amazon Nova Lite")
        #expect(catalog.model(id: "amazon.nova-lite-v1:0")?.description == "Title generation, simple tasks")
        #expect(catalog.model(id: "us.anthropic.claude-sonnet-4-5-20250929-v1:0")?.capabilities.reasoning == true)
        #expect(catalog.model(id: "us.anthropic.claude-3-5-haiku-20241022-v1:0")?.capabilities.reasoning == false)
        #expect(catalog.defaultChatModel == "amazon.nova-lite-v1:0")
        #expect(catalog.titleModel == "amazon.nova-lite-v1:0")
        #expect(catalog.models.allSatisfy { $0.provider == .bedrock && $0.capabilities.streaming })
        #expect(catalog.warnings.isEmpty)
    }

    @Test func settingsAllowListDefaultTitleAndLocalModel() {
        let local = CatalogModel.local()
        let catalog = ModelCatalog(
            settings: CatalogSettings(
                allowList: ["amazon.nova-pro-v1:0", "local/smollm2-135m", "made-up"], defaultChatModel: "local/smollm2-135m", titleModel: "amazon.nova-lite-v1:0",
                additionalModels: [local]))
        #expect(catalog.models.map(\.id) == ["amazon.nova-pro-v1:0", "local/smollm2-135m"])
        #expect(catalog.defaultChatModel == "local/smollm2-135m")
        #expect(catalog.titleModel == "amazon.nova-pro-v1:0")
        #expect(catalog.warnings.count == 2)
        #expect(catalog.model(id: "local/smollm2-135m") == local)
        #expect(local.name == "SmolLM2 135M (local)" && !local.capabilities.tools && local.capabilities.contextWindow == 8192 && local.provider == .openAICompatible)
    }

    @Test func routerRejectsUnknownIDsAndMissingProviders() async {
        let catalog = ModelCatalog(settings: CatalogSettings(additionalModels: [.local()]))
        let router = ModelRouter(catalog: catalog, providers: [:])
        let (_, unknown) = await collect(router.stream(ModelRequest(modelID: "gpt-99", messages: [.user("x")])))
        #expect((unknown as? ModelError)?.kind == .modelNotFound)
        #expect((unknown as? ModelError)?.message.contains("amazon.nova-lite-v1:0") == true)
        let (_, missing) = await collect(router.stream(ModelRequest(modelID: "local/smollm2-135m", messages: [.user("x")])))
        #expect((missing as? ModelError)?.kind == .unavailable)
    }

    @Test func routerDispatchesByProvider() async {
        struct Canned: LanguageModel {
            let text: String
            func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error> {
                AsyncThrowingStream { continuation in
                    continuation.yield(.textDelta(self.text))
                    continuation.yield(.finish(.stop, TokenUsage()))
                    continuation.finish()
                }
            }
        }
        let catalog = ModelCatalog(settings: CatalogSettings(additionalModels: [.local()]))
        let router = ModelRouter(catalog: catalog, providers: [.bedrock: Canned(text: "bedrock"), .openAICompatible: Canned(text: "local")])
        #expect(await collect(router.stream(ModelRequest(modelID: "local/smollm2-135m", messages: [.user("x")]))).0.text == "local")
        #expect(await collect(router.stream(ModelRequest(modelID: "amazon.nova-pro-v1:0", messages: [.user("x")]))).0.text == "bedrock")
    }
}
