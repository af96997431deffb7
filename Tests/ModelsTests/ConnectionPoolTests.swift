import BedrockFake
import Testing

@testable import Models

/// Model traffic is not capped by AsyncHTTPClient's default of 8 connections, titles have their own pool,
/// and a pool that is really full gives the user "busy, try again", not a network error blaming the endpoint.
@Suite(.timeLimit(.minutes(2))) struct ConnectionPoolTests {
    static func stack(_ fake: FakeBedrockServer, _ clients: ModelHTTPClients) async throws -> ModelStack {
        let url = try await fake.start()
        let env = [
            "AWS_ACCESS_KEY_ID": FakeBedrockServer.exampleAccessKeyID, "AWS_SECRET_ACCESS_KEY": FakeBedrockServer.exampleSecret,
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": url, "AWS_REGION": "us-east-1", "HOME": "/nonexistent",
        ]
        return try ModelStack(environment: env, httpClient: clients.answers, definition: legacyCatalog, titleHTTPClient: clients.titles)
    }

    static func ask(_ stack: ModelStack, _ text: String, purpose: ModelRequest.Purpose = .answer) async -> ([ModelEvent], (any Error)?) {
        await collect(stack.router.stream(ModelRequest(modelID: "amazon.nova-lite-v1:0", messages: [.user(text)], purpose: purpose)))
    }

    @Test func manyConcurrentStreamsBeyondTheOldLimitOfEightAllComplete() async throws {
        let fake = FakeBedrockServer()
        let clients = ModelHTTPClients()
        let stack = try await Self.stack(fake, clients)
        defer { Task { await fake.stop(); try? await clients.shutdown() } }
        // No stream sends its answer until all 40 are open at once: with 8 connections this could never finish.
        fake.holdStreams(until: 40)
        let results = await withTaskGroup(of: String?.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let (events, error) = await Self.ask(stack, "question \(index)")
                    return error == nil ? events.text : nil
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 40)
        #expect(Set(results.compactMap { $0 }) == Set((0..<40).map { "You said: question \($0)" }))
        #expect(fake.streamCounts.completed == 40)
    }

    @Test func anExhaustedPoolGivesTheBusyErrorNotANetworkError() async throws {
        let fake = FakeBedrockServer()
        let clients = ModelHTTPClients(limits: .init(answerConnections: 2, titleConnections: 1, connectTimeout: .milliseconds(500)))
        let stack = try await Self.stack(fake, clients)
        defer { Task { await fake.stop(); try? await clients.shutdown() } }
        fake.holdStreams(until: 3)
        async let first = Self.ask(stack, "one")
        async let second = Self.ask(stack, "two")
        while fake.streamCounts.started < 2 { try await Task.sleep(for: .milliseconds(10)) }
        // Both connections are held by streams that wait for a third; the third cannot get a connection.
        let (_, error) = await Self.ask(stack, "three")
        let failure = try #require(error as? ModelError)
        #expect(failure.kind == .busy)
        #expect(failure.message.contains("busy") && failure.message.contains("Try again"))
        #expect(!failure.message.contains("Check the network"))
        fake.holdStreams(until: 0)
        let (firstError, secondError) = (await first.1, await second.1)
        #expect(firstError == nil && secondError == nil)
    }

    @Test func titlesTravelOnTheirOwnPoolSoTheyCannotStarveAnswers() async throws {
        let fake = FakeBedrockServer()
        let clients = ModelHTTPClients(limits: .init(answerConnections: 1, titleConnections: 1, connectTimeout: .milliseconds(500)))
        let stack = try await Self.stack(fake, clients)
        defer { Task { await fake.stop(); try? await clients.shutdown() } }
        fake.holdStreams(until: 2)
        async let answer = Self.ask(stack, "a long answer")
        while fake.streamCounts.started < 1 { try await Task.sleep(for: .milliseconds(10)) }
        // The only answer connection is busy; the title still gets through (and releases the held answer).
        let (titleEvents, titleError) = await Self.ask(stack, "name this chat", purpose: .title)
        #expect(titleError == nil)
        #expect(titleEvents.text == "You said: name this chat")
        let answerError = await answer.1
        #expect(answerError == nil)
    }
}
