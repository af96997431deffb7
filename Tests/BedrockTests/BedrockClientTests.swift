import AsyncHTTPClient
import BedrockFake
import Foundation
import Synchronization
import Testing

@testable import Bedrock

/// The client against the fake server, which verifies every signature independently.
@Suite(.timeLimit(.minutes(2))) struct BedrockClientTests {
    @Test func converseStreamEchoesAndIsSigned() async throws {
        let harness = try await ClientHarness.make()
        defer { Task { await harness.stop() } }
        let modelID = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
        let (events, error) = await harness.collect(modelID)
        #expect(error == nil)
        #expect(events.text == "You said: hello")
        #expect(events.first == .messageStart(role: "assistant"))
        #expect(events.contains(.messageStop(stopReason: "end_turn", additionalModelResponseFields: nil)))
        guard case .metadata(let usage, let latency)? = events.last else { Issue.record("no metadata last"); return }
        #expect(usage.outputTokens > 1 && latency == 42)
        let request = try #require(harness.fake.requests.first)
        #expect(request.authError == nil)
        #expect(request.path == "/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/converse-stream")
        #expect(request.modelID == modelID)
        #expect(request.headers["amz-sdk-request"] == "attempt=1; max=3")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["authorization"]?.contains("/us-east-1/bedrock/aws4_request") == true)
    }

    @Test func arnModelIDsRouteAndVerify() async throws {
        let harness = try await ClientHarness.make()
        defer { Task { await harness.stop() } }
        let arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0"
        let (events, error) = await harness.collect(arn)
        #expect(error == nil)
        #expect(events.text == "You said: hello")
        #expect(harness.fake.requests.first?.modelID == arn)
        #expect(harness.fake.requests.first?.path.contains("%2F") == true)
    }

    @Test func converseDecodesTextReasoningAndTools() async throws {
        let harness = try await ClientHarness.make()
        defer { Task { await harness.stop() } }
        harness.fake.enqueue(
            .reply(FakeReply(
                deltas: [.reasoning("think "), .reasoning("more"), .signature("sig-1"), .text("Hello "), .text("there"),
                    .toolUse(id: "t1", name: "getWeather", inputFragments: ["{\"city\":", "\"Paris\"}"])],
                stopReason: "tool_use")))
        let request = ConverseRequest(
            messages: [Message(role: "user", content: [.text("hi")])], system: [.text("Be brief."), .cachePoint],
            inferenceConfig: InferenceConfiguration(maxTokens: 100),
            toolConfig: ToolConfiguration(tools: [.spec(name: "getWeather", description: "Weather", inputSchema: .object(["type": .string("object")]))]),
            additionalModelRequestFields: .object(["reasoning_config": .object(["type": .string("enabled"), "budget_tokens": .int(1024)])]))
        let response = try await harness.client.converse(modelID: "us.anthropic.claude-sonnet-4-20250514-v1:0", request: request)
        #expect(response.stopReason == "tool_use")
        #expect(response.output.message?.content == [
            .reasoning(.text("think more", signature: "sig-1")), .text("Hello there"),
            .toolUse(ToolUseBlock(toolUseId: "t1", name: "getWeather", input: .object(["city": .string("Paris")]))),
        ])
        let sent = try #require(harness.fake.requests.first?.json)
        #expect(sent == .object([
            "messages": .array([.object(["role": .string("user"), "content": .array([.object(["text": .string("hi")])])])]),
            "system": .array([.object(["text": .string("Be brief.")]), .object(["cachePoint": .object(["type": .string("default")])])]),
            "inferenceConfig": .object(["maxTokens": .int(100)]),
            "toolConfig": .object(["tools": .array([.object(["toolSpec": .object([
                "name": .string("getWeather"), "description": .string("Weather"), "inputSchema": .object(["json": .object(["type": .string("object")])]),
            ])])])]),
            "additionalModelRequestFields": .object(["reasoning_config": .object(["type": .string("enabled"), "budget_tokens": .int(1024)])]),
        ]))
    }

    @Test func sessionTokensAreSignedAndChecked() async throws {
        let keys = FakeKeyStore(["ASIATEMP": .init(secret: "tempsecret", token: "the-token")])
        let good = try await ClientHarness.make(
            environment: ["AWS_ACCESS_KEY_ID": "ASIATEMP", "AWS_SECRET_ACCESS_KEY": "tempsecret", "AWS_SESSION_TOKEN": "the-token"],
            fake: FakeBedrockServer(keys: keys))
        defer { Task { await good.stop() } }
        #expect(await good.collect().1 == nil)
        #expect(good.fake.requests.first?.headers["authorization"]?.contains("x-amz-security-token") == true)
        let bad = try await ClientHarness.make(
            environment: ["AWS_ACCESS_KEY_ID": "ASIATEMP", "AWS_SECRET_ACCESS_KEY": "tempsecret", "AWS_SESSION_TOKEN": "wrong-token"],
            fake: FakeBedrockServer(keys: keys))
        defer { Task { await bad.stop() } }
        let error = await bad.collect().1 as? BedrockError
        #expect(error?.code == .credentialsInvalid && error?.upstreamCode == "UnrecognizedClientException")
    }

    @Test func wrongSecretIsInvalidSignatureWithoutRetry() async throws {
        let harness = try await ClientHarness.make(environment: ["AWS_ACCESS_KEY_ID": FakeBedrockServer.exampleAccessKeyID, "AWS_SECRET_ACCESS_KEY": "wrong"])
        defer { Task { await harness.stop() } }
        let error = await harness.collect().1 as? BedrockError
        #expect(error?.code == .credentialsInvalid)
        #expect(error?.upstreamCode == "InvalidSignatureException")
        #expect(error?.message.contains("AWS_SECRET_ACCESS_KEY") == true)
        #expect(harness.fake.requests.count == 1)
    }

    @Test func wrongRegionScopeIsRejected() async throws {
        let harness = try await ClientHarness.make(fake: FakeBedrockServer(region: "eu-central-1"))
        defer { Task { await harness.stop() } }
        // The harness signs for the fake's region; a client configured for another region must fail.
        var configuration = harness.client.configuration
        configuration.region = "us-west-2"
        let client = BedrockClient(configuration: configuration, credentials: harness.client.credentials, httpClient: testHTTPClient)
        await #expect { try await client.converse(modelID: "amazon.nova-lite-v1:0", request: ClientHarness.hello) } throws: {
            ($0 as? BedrockError)?.serviceMessage == "Credential should be scoped to a valid region. "
        }
    }

    @Test(arguments: [
        ("ValidationException", BedrockError.Code.validation), ("AccessDeniedException", .accessDenied), ("ResourceNotFoundException", .resourceNotFound),
        ("ModelTimeoutException", .modelTimeout), ("ModelErrorException", .modelError), ("ThrottlingException", .throttling),
        ("ModelNotReadyException", .modelNotReady), ("InternalServerException", .internalServer), ("ServiceUnavailableException", .serviceUnavailable),
        ("ExpiredTokenException", .credentialsExpired),
    ])
    func httpErrorsAreClassified(_ code: String, _ expected: BedrockError.Code) async throws {
        let harness = try await ClientHarness.make(retry: RetryPolicy(maxAttempts: 1))
        defer { Task { await harness.stop() } }
        let status = FakeBedrockServer.status(for: code)
        // Twice: an expired token is retried once after a refresh.
        harness.fake.enqueue(.httpError(status: status, code: code, message: "scripted"), .httpError(status: status, code: code, message: "scripted"))
        let error = await harness.collect().1 as? BedrockError
        #expect(error?.code == expected)
        #expect(error?.upstreamCode == code)
        #expect(error?.statusCode == status)
        #expect(error?.requestID != nil)
    }

    @Test func onDemandErrorFromTheServerNamesTheProfile() async throws {
        let harness = try await ClientHarness.make()
        defer { Task { await harness.stop() } }
        let error = await harness.collect("anthropic.claude-3-5-haiku-20241022-v1:0").1 as? BedrockError
        #expect(error?.code == .onDemandNotSupported)
        #expect(error?.message.contains("`us.anthropic.claude-3-5-haiku-20241022-v1:0`") == true)
        #expect(harness.fake.requests.count == 1)
    }

    @Test func retriesThrottlingThenSucceeds() async throws {
        let harness = try await ClientHarness.make()
        defer { Task { await harness.stop() } }
        harness.fake.enqueue(
            .httpError(status: 429, code: "ThrottlingException", message: "Too many requests"),
            .httpError(status: 500, code: "InternalServerException", message: "oops"))
        let (events, error) = await harness.collect()
        #expect(error == nil)
        #expect(events.text == "You said: hello")
        #expect(harness.fake.requests.map { $0.headers["amz-sdk-request"] } == ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"])
        #expect(Set(harness.fake.requests.compactMap { $0.headers["amz-sdk-invocation-id"] }).count == 1)
    }

    @Test func retriesAreBoundedByMaxAttempts() async throws {
        let harness = try await ClientHarness.make()
        defer { Task { await harness.stop() } }
        for _ in 0..<4 { harness.fake.enqueue(.httpError(status: 503, code: "ServiceUnavailableException", message: "down")) }
        let error = await harness.collect().1 as? BedrockError
        #expect(error?.code == .serviceUnavailable)
        #expect(harness.fake.requests.count == 3)
        #expect(try await harness.client.converse(modelID: "amazon.nova-lite-v1:0", request: ClientHarness.hello).stopReason == "end_turn")
    }

    @Test func noRetryAfterOutputStarted() async throws {
        let harness = try await ClientHarness.make()
        defer { Task { await harness.stop() } }
        harness.fake.enqueue(.streamException(before: [.text("Partial")], type: "throttlingException", message: "slow down"))
        let (events, error) = await harness.collect()
        #expect(events.text == "Partial")
        #expect((error as? BedrockError)?.code == .throttling)
        #expect(harness.fake.requests.count == 1)
    }

    @Test func midStreamModelErrorIsTyped() async throws {
        let harness = try await ClientHarness.make()
        defer { Task { await harness.stop() } }
        harness.fake.enqueue(.streamException(before: [.text("Hal")], type: "modelStreamErrorException", message: "The model crashed."))
        let (events, error) = await harness.collect()
        #expect(events.text == "Hal")
        let failure = try #require(error as? BedrockError)
        #expect(failure.code == .modelError && failure.serviceMessage == "The model crashed." && failure.upstreamCode == "modelStreamErrorException")
    }

    @Test(arguments: [FakeCorruption.messageChecksum, .truncated, .garbage, .noMessageStop])
    func corruptStreamsAreErrorsNotCrashes(_ corruption: FakeCorruption) async throws {
        let harness = try await ClientHarness.make()
        defer { Task { await harness.stop() } }
        harness.fake.enqueue(.corrupt(validEvents: 3, corruption))
        let (events, error) = await harness.collect()
        #expect(events.count <= 3)
        #expect((error as? BedrockError)?.code == .invalidResponse)
        #expect(harness.fake.requests.count == 1)
    }

    @Test func corruptionBeforeAnyEventIsReportedNotRetried() async throws {
        let harness = try await ClientHarness.make()
        defer { Task { await harness.stop() } }
        harness.fake.enqueue(.corrupt(validEvents: 0, .garbage))
        let (events, error) = await harness.collect()
        // invalidResponse is not retryable: a corrupt stream is reported, not hidden behind a second try.
        #expect(events.isEmpty)
        #expect((error as? BedrockError)?.code == .invalidResponse)
        #expect(harness.fake.requests.count == 1)
    }

    @Test func idleTimeoutBetweenEvents() async throws {
        let harness = try await ClientHarness.make(
            retry: RetryPolicy(maxAttempts: 1), timeouts: BedrockTimeouts(connect: .seconds(2), firstByte: .seconds(120), idle: .milliseconds(400)))
        defer { Task { await harness.stop() } }
        harness.fake.enqueue(.hang(afterEvents: 2))
        let start = ContinuousClock.now
        let (events, error) = await harness.collect()
        #expect(events.count == 1 || events.count == 2)
        #expect((error as? BedrockError)?.code == .timeout)
        // Not a timing figure: far below the 120 s first-byte limit shows the idle limit is what ended it.
        #expect(ContinuousClock.now - start < .seconds(60))
    }

    @Test func firstByteTimeoutIsRetriedThenReported() async throws {
        let harness = try await ClientHarness.make(
            retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)),
            // 2 s, not less: on a loaded machine a shorter limit can fire before the fake has even read the request.
            timeouts: BedrockTimeouts(connect: .seconds(5), firstByte: .seconds(2), idle: .seconds(120)))
        defer { Task { await harness.stop() } }
        harness.fake.enqueue(.hang(afterEvents: nil), .hang(afterEvents: nil))
        let start = ContinuousClock.now
        let error = await harness.collect().1 as? BedrockError
        #expect(error?.code == .timeout)
        #expect(harness.fake.requests.count == 2)
        // Not a timing figure: far below the 120 s idle limit shows the first-byte limit is what ended it.
        #expect(ContinuousClock.now - start < .seconds(60))
    }

    @Test func cancellingTheConsumerStopsTheServerStream() async throws {
        let harness = try await ClientHarness.make()
        defer { Task { await harness.stop() } }
        harness.fake.enqueue(.reply(FakeReply(deltas: (0..<200).map { .text("\($0) ") }, eventDelay: .milliseconds(20))))
        let received = Counter()
        let consumer = Task {
            for try await event in harness.client.converseStream(modelID: "amazon.nova-lite-v1:0", request: ClientHarness.hello) {
                if case .contentBlockDelta = event { received.increment() }
            }
        }
        try await Self.eventually { received.value >= 3 }
        consumer.cancel()
        _ = await consumer.result
        try await Self.eventually { harness.fake.streamCounts.aborted == 1 }
        #expect(harness.fake.streamCounts.completed == 0)
        #expect(received.value < 50)
    }

    @Test func expiredTokenRefreshesAndRetriesOnce() async throws {
        let fake = FakeBedrockServer()
        let container = FakeContainerCredentialsServer(keys: fake.keys, lifetime: 3600)
        let containerURL = try await container.start()
        defer { Task { await container.stop() } }
        let environment = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": containerURL + "/creds"]
        // 30 s per fetch, not botocore's 2 s: under load a timed-out fetch is retried and shifts the generations.
        let chain = CredentialProviderChain([ContainerCredentialProvider(environment: environment, httpClient: testHTTPClient, timeout: .seconds(30))])
        let harness = try await ClientHarness.make(environment: environment, fake: fake, chain: chain)
        defer { Task { await harness.stop() } }
        #expect(await harness.collect().1 == nil)
        #expect(await harness.client.credentials.source == "container credentials (\(containerURL)/creds)")
        fake.keys.expire(accessKeyID: "ASIAFAKE00000001")
        #expect(await harness.collect().1 == nil)
        #expect(fake.requests.map(\.authError) == [nil, "ExpiredTokenException", nil])
        #expect(container.generation == 2)
    }

    @Test func refreshAcrossExpiryWithRotatingEndpoint() async throws {
        let fake = FakeBedrockServer()
        // Lifetimes in whole seconds, with margins a loaded machine cannot eat: with 2 s credentials and a 0.8 s
        // mandatory refresh, a request signed near the end reached the fake after its credentials expired (load 20).
        let container = FakeContainerCredentialsServer(keys: fake.keys, lifetime: 8)
        let containerURL = try await container.start()
        defer { Task { await container.stop() } }
        let env = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": containerURL + "/creds"]
        let url = try await fake.start()
        var configuration = BedrockClientConfiguration(region: "us-east-1", endpoint: BedrockEndpoint(url: url), retry: ClientHarness.fastRetry)
        configuration.timeouts = BedrockTimeouts(connect: .seconds(2), firstByte: .seconds(5), idle: .seconds(5))
        let credentials = CachingCredentialProvider(
            // 30 s per fetch, not botocore's 2 s: a fetch timed out under load issues a generation nobody uses.
            chain: CredentialProviderChain([ContainerCredentialProvider(environment: env, httpClient: testHTTPClient, timeout: .seconds(30))]),
            advisoryRefresh: 6, mandatoryRefresh: 5)
        let client = BedrockClient(configuration: configuration, credentials: credentials, httpClient: testHTTPClient)
        defer { Task { await fake.stop() } }
        // Keep calling until the credentials have been refreshed across an expiry (8 s lifetime),
        // however long a loaded machine takes to get there.
        let start = ContinuousClock.now
        while container.generation < 2, ContinuousClock.now - start < .seconds(60) {
            _ = try await client.converse(modelID: "amazon.nova-lite-v1:0", request: ClientHarness.hello)
            try await Task.sleep(for: .milliseconds(150))
        }
        _ = try await client.converse(modelID: "amazon.nova-lite-v1:0", request: ClientHarness.hello)
        #expect(container.generation >= 2)
        #expect(fake.requests.allSatisfy { $0.authError == nil })
        #expect(Set(fake.requests.compactMap { $0.headers["authorization"]?.split(separator: "/").first }).count == container.generation)
    }

    @Test func endpointResolution() throws {
        #expect(try BedrockEndpoint.resolve(region: "eu-west-3", environment: [:]).description == "https://bedrock-runtime.eu-west-3.amazonaws.com")
        let both = ["AWS_ENDPOINT_URL_BEDROCK_RUNTIME": "http://127.0.0.1:4010", "AWS_ENDPOINT_URL": "https://proxy.example/all"]
        let specific = try BedrockEndpoint.resolve(region: "us-east-1", environment: both)
        #expect(specific.hostHeader == "127.0.0.1:4010" && specific.scheme == "http")
        let general = try BedrockEndpoint.resolve(region: "us-east-1", environment: ["AWS_ENDPOINT_URL": "https://proxy.example:443/all/"])
        #expect(general.hostHeader == "proxy.example" && general.path(modelID: "a:b", operation: "converse") == "/all/model/a%3Ab/converse")
        #expect(throws: BedrockError.self) { try BedrockEndpoint.resolve(region: "us-east-1", environment: ["AWS_ENDPOINT_URL": "ftp://x"]) }
    }

    /// Polls until `condition` holds. The limit only catches a hang: a loaded machine took more than 5 s to
    /// deliver the first three events of a stream once, so the default is generous.
    static func eventually(within limit: Duration = .seconds(30), _ condition: () -> Bool) async throws {
        let start = ContinuousClock.now
        while !condition() {
            if ContinuousClock.now - start > limit {
                Issue.record("condition not met within \(limit)")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// A thread-safe counter for tests.
final class Counter: Sendable {
    let count = Mutex(0)
    func increment() { self.count.withLock { $0 += 1 } }
    var value: Int { self.count.withLock { $0 } }
}
