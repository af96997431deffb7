import AsyncHTTPClient
import BedrockFake
import Foundation

@testable import Bedrock

/// A fake Bedrock server and a client pointed at it through `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`.
struct ClientHarness {
    let fake: FakeBedrockServer
    let client: BedrockClient

    static let fastRetry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(2), maxDelay: .milliseconds(10))

    static func make(
        retry: RetryPolicy = Self.fastRetry, timeouts: BedrockTimeouts = BedrockTimeouts(connect: .seconds(2), firstByte: .seconds(10), idle: .seconds(10)),
        environment: [String: String] = ["AWS_ACCESS_KEY_ID": FakeBedrockServer.exampleAccessKeyID, "AWS_SECRET_ACCESS_KEY": FakeBedrockServer.exampleSecret],
        fake: FakeBedrockServer = FakeBedrockServer(), chain: CredentialProviderChain? = nil
    ) async throws -> ClientHarness {
        let url = try await fake.start()
        var env = environment
        env["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = url
        env["AWS_REGION"] = fake.region
        env["HOME"] = "/nonexistent-home-for-tests"
        var configuration = try BedrockClientConfiguration.fromEnvironment(env)
        configuration.retry = retry
        configuration.timeouts = timeouts
        let credentials = CachingCredentialProvider(chain: chain ?? .default(environment: env, httpClient: testHTTPClient))
        return ClientHarness(fake: fake, client: BedrockClient(configuration: configuration, credentials: credentials, httpClient: testHTTPClient))
    }

    static let hello = ConverseRequest(messages: [Message(role: "user", content: [.text("hello")])])

    /// Runs a stream to its end; returns the events and the error, if any.
    func collect(_ modelID: String = "amazon.nova-lite-v1:0", _ request: ConverseRequest = Self.hello) async -> ([ConverseStreamEvent], (any Error)?) {
        var events: [ConverseStreamEvent] = []
        do {
            for try await event in self.client.converseStream(modelID: modelID, request: request) { events.append(event) }
            return (events, nil)
        } catch {
            return (events, error)
        }
    }

    func stop() async { await self.fake.stop() }
}

extension [ConverseStreamEvent] {
    /// The text of all text deltas.
    var text: String {
        self.compactMap { event -> String? in
            if case .contentBlockDelta(_, .text(let text)) = event { return text }
            return nil
        }.joined()
    }
}
