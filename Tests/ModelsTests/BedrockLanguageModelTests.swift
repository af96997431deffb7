import AsyncHTTPClient
import Bedrock
import BedrockFake
import Foundation
import Testing

@testable import Models

/// The Bedrock provider: request mapping, event translation, and errors as `ModelError`s with fixes.
@Suite(.timeLimit(.minutes(2))) struct BedrockLanguageModelTests {
    @Test func streamsTextAndFinishesWithUsage() async throws {
        let harness = try await ModelsHarness.make()
        defer { Task { await harness.stop() } }
        let (events, error) = await collect(harness.stack.router.stream(ModelRequest(modelID: "amazon.nova-lite-v1:0", messages: [.user("ping")])))
        #expect(error == nil)
        #expect(events.text == "You said: ping")
        guard case .finish(let reason, let usage)? = events.last else { Issue.record("no finish"); return }
        #expect(reason == .stop)
        #expect(usage.inputTokens == 10 && usage.latencyMs == 42)
    }

    @Test func toolCallsAndReasoningAreTranslated() async throws {
        let harness = try await ModelsHarness.make()
        defer { Task { await harness.stop() } }
        harness.fake.enqueue(
            .reply(FakeReply(
                deltas: [.reasoning("a"), .reasoning("b"), .signature("sig"), .text("Hi"),
                    .toolUse(id: "t1", name: "getWeather", inputFragments: ["{\"city\"", ":\"Paris\"}"]), .redacted(Data([9, 8]))],
                stopReason: "tool_use", usage: Usage(inputTokens: 7, outputTokens: 3, totalTokens: 10, cacheReadInputTokens: 4, cacheWriteInputTokens: 2))))
        let (events, error) = await collect(
            harness.stack.router.stream(ModelRequest(modelID: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages: [.user("weather?")])))
        #expect(error == nil)
        #expect(events == [
            .reasoningDelta("a"), .reasoningDelta("b"), .reasoningSignature("sig"), .textDelta("Hi"),
            .toolInputStart(id: "t1", name: "getWeather"), .toolInputDelta(id: "t1", delta: "{\"city\""), .toolInputDelta(id: "t1", delta: ":\"Paris\"}"),
            .toolCall(id: "t1", name: "getWeather", inputJSON: "{\"city\":\"Paris\"}"), .redactedReasoning(Data([9, 8])),
            .finish(.toolCalls, TokenUsage(inputTokens: 7, outputTokens: 3, cacheReadTokens: 4, cacheWriteTokens: 2, latencyMs: 42)),
        ])
    }

    @Test func reasoningBudgetAndReplayForClaude() throws {
        let catalog = ModelCatalog(definition: legacyCatalog)
        let model = BedrockLanguageModel(client: try Self.offlineClient(), catalog: catalog)
        let history: [ModelMessage] = [
            .user("q1"),
            ModelMessage(role: .assistant, content: [.reasoning(text: "thought", signature: "sig"), .reasoning(text: "unsigned", signature: nil), .text("a1")]),
            .user("q2"),
        ]
        let claude = model.converseRequest(
            for: ModelRequest(modelID: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", system: ["sys", " "], messages: history, maxOutputTokens: 500, temperature: 0.3,
                reasoningBudgetTokens: 2000))
        #expect(claude.additionalModelRequestFields == .object(["thinking": .object(["type": .string("enabled"), "budget_tokens": .int(2000)])]))
        #expect(claude.inferenceConfig == InferenceConfiguration(maxTokens: 3024, temperature: nil))
        #expect(claude.system == [.text("sys")])
        #expect(claude.messages[1].content == [.reasoning(.text("thought", signature: "sig")), .text("a1")])
        let nova = model.converseRequest(
            for: ModelRequest(modelID: "amazon.nova-lite-v1:0", messages: history, maxOutputTokens: 500, temperature: 0.3, reasoningBudgetTokens: 2000))
        #expect(nova.additionalModelRequestFields == nil)
        #expect(nova.inferenceConfig == InferenceConfiguration(maxTokens: 500, temperature: 0.3))
        #expect(nova.messages[1].content == [.text("a1")])
        #expect(nova.system == nil)
    }

    @Test func reasoningIsRequestedTheWayEachFamilyExpects() throws {
        let model = BedrockLanguageModel(client: try Self.offlineClient(), catalog: ModelCatalog())
        func fields(_ id: String, budget: Int) -> (JSONValue?, InferenceConfiguration?) {
            let request = model.converseRequest(
                for: ModelRequest(modelID: id, messages: [.user("x")], maxOutputTokens: 500, temperature: 0.3, reasoningBudgetTokens: budget))
            return (request.additionalModelRequestFields, request.inferenceConfig)
        }
        let haiku = fields("global.anthropic.claude-haiku-4-5-20251001-v1:0", budget: 100)
        #expect(haiku.0 == .object(["thinking": .object(["type": .string("enabled"), "budget_tokens": .int(1024)])]))
        #expect(haiku.1 == InferenceConfiguration(maxTokens: 2048, temperature: nil))
        let sonnet46 = fields("global.anthropic.claude-sonnet-4-6", budget: 4000)
        #expect(sonnet46.0 == .object(["thinking": .object(["type": .string("adaptive")])]))
        #expect(sonnet46.1 == InferenceConfiguration(maxTokens: 500, temperature: nil))
        let nova = fields("global.amazon.nova-2-lite-v1:0", budget: 8000)
        #expect(nova.0 == .object(["reasoningConfig": .object(["type": .string("enabled"), "maxReasoningEffort": .string("medium")])]))
        #expect(nova.1 == InferenceConfiguration(maxTokens: 500, temperature: nil))
        let novaHigh = fields("global.amazon.nova-2-lite-v1:0", budget: 32000)
        #expect(novaHigh.1 == nil)
    }

    @Test func toolsAndToolResultsMap() throws {
        let model = BedrockLanguageModel(client: try Self.offlineClient())
        let request = model.converseRequest(
            for: ModelRequest(
                modelID: "amazon.nova-pro-v1:0",
                messages: [
                    .user("weather?"), ModelMessage(role: .assistant, content: [.toolUse(id: "t1", name: "getWeather", inputJSON: "{\"city\":\"Paris\"}")]),
                    ModelMessage(role: .user, content: [.toolResult(id: "t1", contentJSON: "{\"temp\":21}", isError: false)]),
                ],
                tools: [ToolSpec(name: "getWeather", description: "Weather for a city", inputSchemaJSON: "{\"type\":\"object\"}")]))
        #expect(request.toolConfig?.tools == [.spec(name: "getWeather", description: "Weather for a city", inputSchema: .object(["type": .string("object")]))])
        #expect(request.messages[1].content == [.toolUse(ToolUseBlock(toolUseId: "t1", name: "getWeather", input: .object(["city": .string("Paris")])))])
        #expect(request.messages[2].content == [.toolResult(ToolResultBlock(toolUseId: "t1", content: [.json(.object(["temp": .int(21)]))], status: "success"))])
    }

    @Test(arguments: [
        ("fake:error:AccessDeniedException", ModelError.Kind.accessDenied, "bedrock:InvokeModel"),
        ("fake:marketplace", .marketplaceSubscription, "terraform apply"),
        ("fake:error:ThrottlingException", .throttled, "Retry later"),
        ("fake:error:ModelNotReadyException", .modelNotReady, "Retry"),
        ("fake:error:ResourceNotFoundException", .modelNotFound, "AWS_REGION"),
        ("fake:error:ValidationException", .invalidRequest, "invalid"),
        ("fake:error:ModelTimeoutException", .timeout, "too long"),
        ("fake:error:ServiceUnavailableException", .unavailable, "unavailable"),
        ("fake:error:InternalServerException", .unavailable, "internal error"),
        ("fake:error:ExpiredTokenException", .credentialsExpired, "expired"),
        ("fake:exception:modelStreamErrorException", .modelStreamError, "failed while answering"),
    ])
    func errorsReachTheCallerAsActionableModelErrors(_ prompt: String, _ kind: ModelError.Kind, _ fix: String) async throws {
        let harness = try await ModelsHarness.make()
        defer { Task { await harness.stop() } }
        let (_, error) = await collect(harness.stack.router.stream(ModelRequest(modelID: "amazon.nova-lite-v1:0", messages: [.user(prompt)])))
        let failure = try #require(error as? ModelError)
        #expect(failure.kind == kind)
        #expect(failure.message.contains(fix), "\(failure.message)")
    }

    @Test func bareClaudeIDNeedsTheInferenceProfile() async throws {
        let bare = CatalogModel(
            id: "anthropic.claude-3-5-haiku-20241022-v1:0", name: "bare", description: "", provider: .bedrock,
            capabilities: ModelCapabilities(tools: true, reasoning: false, vision: false, contextWindow: 1, maxOutputTokens: 1))
        let harness = try await ModelsHarness.make(settings: CatalogSettings(additionalModels: [bare]))
        defer { Task { await harness.stop() } }
        let (_, error) = await collect(harness.stack.router.stream(ModelRequest(modelID: bare.id, messages: [.user("hi")])))
        let failure = try #require(error as? ModelError)
        #expect(failure.kind == .inferenceProfileRequired)
        #expect(failure.message.contains("us.anthropic.claude-3-5-haiku-20241022-v1:0"))
    }

    @Test func missingCredentialsSayWhatWasTried() async throws {
        let stack = try ModelStack(environment: ["HOME": "/nonexistent", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"], httpClient: testHTTPClient, definition: legacyCatalog)
        let (_, error) = await collect(stack.router.stream(ModelRequest(modelID: "amazon.nova-lite-v1:0", messages: [.user("hi")])))
        let failure = try #require(error as? ModelError)
        #expect(failure.kind == .credentialsMissing)
        #expect(failure.message.contains("environment variables") && failure.message.contains("container credentials"))
    }

    @Test func connectionRefusedIsANetworkError() async throws {
        let env = ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B", "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "HOME": "/nonexistent"]
        let stack = try ModelStack(environment: env, httpClient: testHTTPClient, definition: legacyCatalog, retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)))
        let (_, error) = await collect(stack.router.stream(ModelRequest(modelID: "amazon.nova-lite-v1:0", messages: [.user("hi")])))
        let failure = try #require(error as? ModelError)
        #expect(failure.kind == .network && failure.isRetryable)
    }

    static func offlineClient() throws -> BedrockClient {
        let chain = CredentialProviderChain([EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "B"])])
        return BedrockClient(configuration: BedrockClientConfiguration(region: "us-east-1"), credentials: CachingCredentialProvider(chain: chain), httpClient: testHTTPClient)
    }
}
