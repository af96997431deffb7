import App
import BedrockFake
import Foundation
import JSON
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import UIMessageStream

/// The chat API under test talks to the fake Bedrock server over real HTTP, signed and event-streamed.
enum ChatTestKit {
    static func environment(fake: FakeBedrockServer, extra: [String: String] = [:]) -> [String: String] {
        [
            "MODEL_PROVIDER": "bedrock",
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fake.url,
            "AWS_ACCESS_KEY_ID": FakeBedrockServer.exampleAccessKeyID,
            "AWS_SECRET_ACCESS_KEY": FakeBedrockServer.exampleSecret,
            "AWS_REGION": "us-east-1",
            // The tests name the legacy set's models (Nova Lite, US profiles), which the fake's scenarios know.
            "MODELS_FILE": URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("catalog/models-legacy.json").path,
        ].merging(extra) { _, new in new }
    }

    /// Runs `body` with the app wired to a started fake Bedrock server.
    static func with<T: Sendable>(
        _ kind: DatabaseKind = .sqlite, environment extra: [String: String] = [:], eventDelay: Duration = .zero,
        _ body: @Sendable (any TestClientProtocol, AppServices, FakeBedrockServer) async throws -> T
    ) async throws -> T {
        let fake = FakeBedrockServer(defaultEventDelay: eventDelay)
        try await fake.start()
        do {
            let result = try await TestApp.with(kind, environment: self.environment(fake: fake, extra: extra)) { client, services in
                try await body(client, services, fake)
            }
            await fake.stop()
            return result
        } catch {
            await fake.stop()
            throw error
        }
    }

    struct Message: Encodable {
        struct Part: Encodable { let type = "text"; let text: String }
        let id: String
        let role = "user"
        let parts: [Part]
    }

    struct PostBody: Encodable {
        let id: String
        let message: Message?
        let selectedChatModel: String
        let selectedVisibilityType: String
        var trigger: String? = nil
    }

    static func post(
        _ browser: Browser, _ client: some TestClientProtocol, chatID: UUID, text: String, messageID: UUID = UUID(),
        model: String = "amazon.nova-lite-v1:0", visibility: String = "private"
    ) async throws -> TestResponse {
        let body = PostBody(id: chatID.lowercasedForTest, message: Message(id: messageID.lowercasedForTest, parts: [.init(text: text)]),
                            selectedChatModel: model, selectedVisibilityType: visibility)
        return try await browser.send(client, .post, "/api/chat", body: browser.json(body))
    }

    /// The UI stream's chunks, checked for SSE framing: sequential ids, and `[DONE]` last.
    static func chunks(of response: TestResponse) throws -> [UIMessageChunk] {
        var parser = ServerSentEventParser()
        let events = parser.feed(response.text)
        guard events.last?.data == "[DONE]" else { throw TestSetupError("stream did not end with [DONE]: \(response.text.suffix(300))") }
        var chunks: [UIMessageChunk] = []
        var previousID: Int?
        for event in events.dropLast() {
            guard let id = event.id.flatMap(Int.init) else { throw TestSetupError("event without numeric id: \(event)") }
            if let previousID, id != previousID + 1 { throw TestSetupError("ids not sequential: \(previousID) then \(id)") }
            previousID = id
            guard let chunk = UIMessageChunk(json: try JSONValue(parsing: event.data)) else { throw TestSetupError("unknown chunk \(event.data)") }
            chunks.append(chunk)
        }
        return chunks
    }

    static func text(of chunks: [UIMessageChunk]) -> String {
        chunks.compactMap { if case .textDelta(_, let delta) = $0 { delta } else { nil } }.joined()
    }
}

extension UUID {
    var lowercasedForTest: String { self.uuidString.lowercased() }
}
