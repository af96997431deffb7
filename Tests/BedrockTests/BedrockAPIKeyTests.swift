import BedrockFake
import Testing

@testable import Bedrock

/// `AWS_BEARER_TOKEN_BEDROCK`: requests carry the API key instead of a SigV4 signature, as botocore sends them.
@Suite(.timeLimit(.minutes(1))) struct BedrockAPIKeyTests {
    static let key = "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl"

    @Test func requestsCarryTheKeyAsABearerTokenInsteadOfASignature() async throws {
        let harness = try await ClientHarness.make(environment: ["AWS_BEARER_TOKEN_BEDROCK": Self.key], fake: FakeBedrockServer(apiKey: Self.key))
        defer { Task { await harness.stop() } }
        let (events, error) = await harness.collect()
        #expect(error == nil)
        #expect(events.text == "You said: hello")
        let request = try #require(harness.fake.requests.first)
        #expect(request.headers["authorization"] == "Bearer \(Self.key)")
        #expect(request.headers["x-amz-date"] == nil && request.headers["x-amz-security-token"] == nil)
        #expect(request.authError == nil)
    }

    @Test func aWrongKeyIsRejectedAndTheErrorNamesTheVariableNotTheKey() async throws {
        let harness = try await ClientHarness.make(
            environment: ["AWS_BEARER_TOKEN_BEDROCK": "wrong-key-value"], fake: FakeBedrockServer(apiKey: Self.key))
        defer { Task { await harness.stop() } }
        let error = try #require(await harness.collect().1 as? BedrockError)
        #expect(error.code == .credentialsInvalid)
        #expect(error.message.contains("AWS_BEARER_TOKEN_BEDROCK"))
        #expect(!String(describing: error).contains("wrong-key-value"))
        #expect(harness.fake.requests.count == 1)
        #expect(harness.fake.requests[0].authError == "UnrecognizedClientException")
    }

    @Test func theKeyNeverAppearsInDescriptions() throws {
        let configuration = try BedrockClientConfiguration.fromEnvironment(["AWS_BEARER_TOKEN_BEDROCK": Self.key, "AWS_REGION": "eu-west-1"])
        #expect(configuration.apiKey != nil)
        for text in [String(describing: configuration), String(reflecting: configuration), "\(configuration.apiKey!)"] {
            #expect(!text.contains(Self.key))
        }
        #expect(try BedrockClientConfiguration.fromEnvironment(["AWS_BEARER_TOKEN_BEDROCK": "  "]).apiKey == nil)
    }
}
