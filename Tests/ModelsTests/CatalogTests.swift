import Foundation
import Testing

@testable import Models

/// The catalog as data and the router over it.
@Suite struct CatalogTests {
    @Test func builtInCatalogIsCatalogModelsJSON() throws {
        // The binary carries catalog/models.json as a generated source: run scripts/gen-catalog after editing the JSON.
        let file = try String(contentsOf: repositoryRoot.appendingPathComponent("catalog/models.json"), encoding: .utf8)
        #expect(BuiltInCatalog.json + "\n" == file, "catalog/models.json changed: run scripts/gen-catalog")
        let catalog = ModelCatalog()
        #expect(catalog.models.map(\.id) == [
            "global.amazon.nova-2-lite-v1:0", "global.anthropic.claude-haiku-4-5-20251001-v1:0", "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "global.anthropic.claude-sonnet-4-6", "global.anthropic.claude-opus-4-6-v1",
        ])
        #expect(catalog.defaultChatModel == "global.amazon.nova-2-lite-v1:0" && catalog.titleModel == "global.amazon.nova-2-lite-v1:0")
        #expect(catalog.model(id: "global.anthropic.claude-sonnet-4-6")?.reasoningStyle == .anthropicAdaptive)
        #expect(catalog.model(id: "global.anthropic.claude-haiku-4-5-20251001-v1:0")?.foundationModel == "anthropic.claude-haiku-4-5-20251001-v1:0")
        #expect(catalog.models.allSatisfy { $0.provider == .bedrock && $0.capabilities.streaming && $0.capabilities.reasoning })
        #expect(catalog.warnings.isEmpty)
    }

    @Test func legacySetIsTheSeedsListWithoutTheModelsThatCannotWork() {
        let catalog = ModelCatalog(definition: legacyCatalog)
        #expect(catalog.models.map(\.id) == [
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "us.anthropic.claude-sonnet-4-20250514-v1:0",
            "us.anthropic.claude-3-5-haiku-20241022-v1:0", "amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0",
        ])
        #expect(catalog.defaultChatModel == "amazon.nova-lite-v1:0")
        #expect(catalog.model(id: "us.anthropic.claude-3-5-haiku-20241022-v1:0")?.capabilities.reasoning == false)
    }

    @Test(arguments: [
        (#"{"schemaVersion":1,"defaultChatModel":"a","titleModel":"a","models":[]}"#, #"x.json, field "models": must be a non-empty array"#),
        (#"{"schemaVersion":2}"#, #"x.json, field "schemaVersion": must be 1 (got 2)"#),
        (#"{"schemaVersion":1,"defaultChatModel":"a","titleModel":"a","models":[{"id":"a","name":"A","description":"","provider":"bedrock","reasoning":"none","tools":true,"vision":true,"contextWindow":1,"maxOutputTokens":1}]}"#,
         #"x.json, models[0] (a), field "foundationModel": is required for Bedrock models"#),
        (#"{"schemaVersion":1,"defaultChatModel":"a","titleModel":"a","models":[{"id":"a","foundationModel":"a","name":"A","description":"","provider":"bedrock","reasoning":"thinking","tools":true,"vision":true,"contextWindow":1,"maxOutputTokens":1}]}"#,
         #"x.json, models[0] (a), field "reasoning": must be one of "none", "anthropic-budget", "anthropic-adaptive", "nova" (got "thinking")"#),
        (#"{"schemaVersion":1,"defaultChatModel":"a","titleModel":"a","models":[{"id":"a","foundationModel":"a","name":"A","description":"","provider":"bedrock","reasoning":"none","tools":1,"vision":true,"contextWindow":1,"maxOutputTokens":1}]}"#,
         #"x.json, models[0] (a), field "tools": must be true or false"#),
        (#"{"schemaVersion":1,"defaultChatModel":"a","titleModel":"a","models":[{"id":"a","foundationModel":"a","name":"A","description":"","provider":"bedrock","reasoning":"none","tools":true,"vision":true,"contextWindow":0,"maxOutputTokens":1}]}"#,
         #"x.json, models[0] (a), field "contextWindow": must be a positive integer (got 0)"#),
        (#"{"schemaVersion":1,"defaultChatModel":"a","titleModel":"a","models":[{"id":"a","foundationModel":"a","name":"A","description":"","provider":"bedrock","reasoning":"none","tools":true,"vision":true,"contextWindow":1,"maxOutputTokens":1,"maxTokens":5}]}"#,
         #"x.json, models[0] (a), field "maxTokens": is not a known field"#),
        (#"{"schemaVersion":1,"defaultChatModel":"b","titleModel":"a","models":[{"id":"a","foundationModel":"a","name":"A","description":"","provider":"bedrock","reasoning":"none","tools":true,"vision":true,"contextWindow":1,"maxOutputTokens":1}]}"#,
         #"x.json, field "defaultChatModel": names b, which is not in "models""#),
        (#"{"models": ["#, "x.json: is not valid JSON"),
    ])
    func modelsFileErrorsNameTheEntryAndField(json: String, expected: String) {
        #expect {
            _ = try CatalogDefinition(json: Data(json.utf8), origin: "x.json")
        } throws: { error in
            (error as? CatalogFileError)?.description.hasPrefix(expected) == true
        }
    }

    @Test func aModelsFileReplacesTheBuiltInCatalog() throws {
        let json = #"""
            {"schemaVersion":1,"defaultChatModel":"eu.x","titleModel":"eu.x","models":[
             {"id":"eu.x","foundationModel":"x","name":"X","description":"mine","provider":"bedrock","reasoning":"nova","tools":false,"vision":false,"contextWindow":10,"maxOutputTokens":5}]}
            """#
        let catalog = ModelCatalog(definition: try CatalogDefinition(json: Data(json.utf8), origin: "mine.json"))
        #expect(catalog.models.map(\.id) == ["eu.x"])
        #expect(catalog.model(id: "eu.x")?.reasoningStyle == .nova && catalog.defaultChatModel == "eu.x")
    }


    @Test func settingsAllowListDefaultTitleAndLocalModel() {
        let local = CatalogModel.local()
        let catalog = ModelCatalog(
            definition: legacyCatalog,
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
        let catalog = ModelCatalog(definition: legacyCatalog, settings: CatalogSettings(additionalModels: [.local()]))
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
        let catalog = ModelCatalog(definition: legacyCatalog, settings: CatalogSettings(additionalModels: [.local()]))
        let router = ModelRouter(catalog: catalog, providers: [.bedrock: Canned(text: "bedrock"), .openAICompatible: Canned(text: "local")])
        #expect(await collect(router.stream(ModelRequest(modelID: "local/smollm2-135m", messages: [.user("x")]))).0.text == "local")
        #expect(await collect(router.stream(ModelRequest(modelID: "amazon.nova-pro-v1:0", messages: [.user("x")]))).0.text == "bedrock")
    }
}
