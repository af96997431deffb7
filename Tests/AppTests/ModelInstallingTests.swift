import App
import BedrockFake
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import TestSupport
import Testing

/// The first run of `scripts/run`: the app serves while the local model is still being prepared (OPENAI_PREPARING),
/// lists it as "installing", refuses a chat to it with a clear 503 envelope, and serves it once its server answers.
@Suite(.timeLimit(.minutes(2))) struct ModelInstallingTests {
    /// A minimal OpenAI-compatible server: the model list, and a one-word streamed answer.
    static func startModelServer(port: Int = 0) async throws -> LoopbackServer {
        try await LoopbackServer.start(port: port) { request, _ in
            var headers = HTTPFields()
            switch request.uri.path {
            case "/v1/models":
                headers[.contentType] = "application/json"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"object":"list","data":[{"id":"smollm2"}]}"#)))
            case "/v1/chat/completions":
                headers[.contentType] = "text/event-stream"
                let sse = "data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}\n\ndata: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: sse)))
            default:
                return Response(status: .notFound)
            }
        }
    }

    static func chat(_ text: String) -> ChatTestKit.PostBody {
        ChatTestKit.PostBody(
            id: UUID().uuidString, message: .init(id: UUID().uuidString, parts: [.init(text: text)]), selectedChatModel: "local/smollm2",
            selectedVisibilityType: "private")
    }

    static func statuses(_ response: TestResponse) -> [String: String] {
        let models = response.json["models"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: models.compactMap { m in (m["id"] as? String).map { ($0, m["status"] as? String ?? "?") } })
    }

    @Test(arguments: TestDatabase.kinds)
    func installingModelIsListedAndRefusedClearlyThenServedOnceItsServerAnswers(kind: DatabaseKind) async throws {
        // The port the model server will listen on, free for now (as scripts/run picks it before the model exists).
        let probe = try await Self.startModelServer()
        let port = probe.port
        await probe.stop()
        let environment = [
            "MODEL_PROVIDER": "openai", "OPENAI_BASE_URL": "http://127.0.0.1:\(port)", "OPENAI_MODEL": "smollm2", "OPENAI_PREPARING": "true",
        ]
        try await TestApp.with(kind, environment: environment) { client, _ in
            let browser = try await Browser.guest(client)

            let listed = try await browser.send(client, .get, "/api/models")
            #expect(listed.status == .ok)
            #expect(Self.statuses(listed) == ["local/smollm2": "installing"])
            #expect(listed.json["defaultModel"] as? String == "local/smollm2")

            let body = Self.chat("hello?")
            let refused = try await browser.send(client, .post, "/api/chat", body: browser.json(body))
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.json["code"] as? String == "offline:model")
            #expect(refused.json["cause"] as? String == "model installing")
            #expect((refused.json["message"] as? String)?.contains("still being prepared") == true)
            #expect(refused.headers[.retryAfter] == "30")
            // Nothing was stored or charged: the chat does not exist.
            #expect(try await browser.send(client, .get, "/api/chat/\(body.id)/messages").status == .notFound)

            // The model server comes up where it was announced: the next send goes through (it probes first).
            let server = try await Self.startModelServer(port: port)
            defer { Task { await server.stop() } }
            let answered = try await browser.send(client, .post, "/api/chat", body: browser.json(Self.chat("hello again")))
            #expect(answered.status == .ok)
            #expect(answered.text.contains("\"delta\":\"Hello\""))
            #expect(Self.statuses(try await browser.send(client, .get, "/api/models")) == ["local/smollm2": "ready"])
        }
    }

    @Test func withoutPreparingEveryModelIsReady() async throws {
        try await ChatTestKit.with { client, _, _ in
            let browser = try await Browser.guest(client)
            let statuses = Self.statuses(try await browser.send(client, .get, "/api/models"))
            #expect(!statuses.isEmpty)
            #expect(Set(statuses.values) == ["ready"])
        }
    }
}
