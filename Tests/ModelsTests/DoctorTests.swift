import BedrockFake
import Synchronization
import Testing

@testable import Models

/// `doctor` and `ask` against the fake.
@Suite(.timeLimit(.minutes(2))) struct DoctorTests {
    @Test func doctorProbesEveryModelAndNamesFixes() async throws {
        let bare = CatalogModel(
            id: "anthropic.claude-3-5-haiku-20241022-v1:0", name: "bare", description: "", provider: .bedrock,
            capabilities: ModelCapabilities(tools: true, reasoning: false, vision: false, contextWindow: 1, maxOutputTokens: 1))
        let harness = try await ModelsHarness.make(
            settings: CatalogSettings(allowList: ["amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0", bare.id], additionalModels: [bare]))
        defer { Task { await harness.stop() } }
        let report = await harness.stack.doctor()
        #expect(report.models.map(\.ok) == [true, true, false])
        #expect(report.models[0].reply == "You said: Reply with OK")
        #expect(report.models[2].error?.kind == .inferenceProfileRequired)
        #expect(!report.allModelsOK)
        let text = report.render()
        #expect(text.contains("credentials  found: environment variables"))
        #expect(text.contains("model id"))
        #expect(text.contains("anthropic.claude-3-5-haiku-20241022-v1:0 | FAIL inferenceProfileRequired | wrong region or id | Model anthropic.claude-3-5-haiku-20241022-v1:0 cannot be called on demand: use its inference profile id `us.anthropic.claude-3-5-haiku-20241022-v1:0`"))
        #expect(text.contains("1 of 3 models failed."))
        // Each probe asked for at most 5 tokens.
        #expect(harness.fake.requests.allSatisfy { $0.json.map { "\($0)".contains("maxTokens") } == true })
    }

    @Test func doctorSaysPerModelWhyThisAccountCannotInvokeIt() async throws {
        let harness = try await ModelsHarness.make()
        defer { Task { await harness.stop() } }
        let expected: [(String, FakeRefusal?, InvocationVerdict)] = [
            ("amazon.nova-lite-v1:0", nil, .ok), ("us.anthropic.claude-3-5-haiku-20241022-v1:0", .legacy, .legacy),
            ("us.anthropic.claude-sonnet-4-20250514-v1:0", .notEnabled, .notEnabled), ("amazon.nova-pro-v1:0", .noPermission, .noPermission),
            ("us.anthropic.claude-haiku-4-5-20251001-v1:0", .invalidModel, .wrongRegion),
        ]
        for (id, refusal, _) in expected {
            if let refusal { harness.fake.script(model: id, refusal.scenario) }
        }
        let report = await harness.stack.doctor()
        for (id, _, verdict) in expected {
            #expect(report.models.first { $0.modelID == id }?.verdict == verdict, "\(id)")
        }
        let text = report.render()
        #expect(text.contains("us.anthropic.claude-3-5-haiku-20241022-v1:0  | FAIL legacyModel") && text.contains("| legacy "))
        #expect(text.contains("| not enabled ") && text.contains("Model us.anthropic.claude-sonnet-4-20250514-v1:0 is not enabled for this account"))
    }

    @Test func doctorNamesTheBedrockAPIKeyAsTheCredentialSource() async throws {
        let key = "ABSK-doctor-test-key"
        let harness = try await ModelsHarness.make(
            settings: CatalogSettings(allowList: ["amazon.nova-lite-v1:0"]), environment: ["AWS_BEARER_TOKEN_BEDROCK": key],
            fake: FakeBedrockServer(apiKey: key))
        defer { Task { await harness.stop() } }
        let text = await harness.stack.doctor().render()
        #expect(text.contains("credentials  found: Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) instead of AWS credentials"))
        #expect(text.contains("All 1 models answered."))
        #expect(!text.contains(key))
    }

    @Test func askStreamsTextAndReturnsTheWhole() async throws {
        let harness = try await ModelsHarness.make()
        defer { Task { await harness.stop() } }
        let pieces = PieceLog()
        let result = try await harness.stack.router.ask("how are you", modelID: "amazon.nova-lite-v1:0") { pieces.append($0) }
        #expect(result.text == "You said: how are you")
        #expect(pieces.all.count > 2 && pieces.all.joined() == result.text)
        #expect(result.finishReason == .stop)
    }
}


final class PieceLog: Sendable {
    let pieces = Mutex<[String]>([])
    func append(_ piece: String) { self.pieces.withLock { $0.append(piece) } }
    var all: [String] { self.pieces.withLock { $0 } }
}
