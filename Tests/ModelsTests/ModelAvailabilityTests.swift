import BedrockFake
import Foundation
import Hummingbird
import NIOCore
import Testing

@testable import Models

/// The local model's "installing" state: a model whose server is being prepared is refused with `.modelNotReady`
/// until its server's `/v1/models` answers, then it is ready without a restart.
@Suite(.timeLimit(.minutes(2))) struct ModelAvailabilityTests {
    static let local = CatalogModel.local(id: "local/smollm2", name: "SmolLM2 135M (local)")

    /// A loopback port nothing listens on (a server is started on it and stopped again).
    static func closedPort() async throws -> Int {
        let server = try await LoopbackServer.start { _, _ in Response(status: .ok) }
        let port = server.port
        await server.stop()
        return port
    }

    /// A minimal OpenAI-compatible server: the model list, and a one-word streamed answer.
    static func startModelServer(port: Int) async throws -> LoopbackServer {
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

    static func router(_ availability: ModelAvailability, baseURL: String) -> ModelRouter {
        let catalog = ModelCatalog(settings: CatalogSettings(allowList: [local.id], defaultChatModel: local.id, titleModel: local.id, additionalModels: [local]))
        let openAI = OpenAICompatibleLanguageModel(
            configuration: .init(baseURL: baseURL, modelAliases: [local.id: "smollm2"]), httpClient: testHTTPClient)
        return ModelRouter(catalog: catalog, providers: [.openAICompatible: openAI], availability: availability)
    }

    @Test func installingUntilTheModelServerAnswersThenReadyWithoutARestart() async throws {
        let port = try await Self.closedPort()
        let baseURL = "http://127.0.0.1:\(port)"
        let availability = ModelAvailability(preparing: [Self.local.id: baseURL], httpClient: testHTTPClient)
        let router = Self.router(availability, baseURL: baseURL)

        // Nothing listens yet: installing, and a call is refused as "not ready", not as a network error.
        #expect(availability.status(of: Self.local.id) == .installing)
        #expect(await availability.probe(Self.local.id) == .installing)
        #expect(availability.isPreparing)
        let (_, refused) = await collect(router.stream(ModelRequest(modelID: Self.local.id, messages: [.user("hi")], maxOutputTokens: 20)))
        let error = try #require(refused as? ModelError)
        #expect(error.kind == .modelNotReady)
        #expect(error.upstreamCode == "installing")
        #expect(error.message.contains("still being prepared"))
        await #expect(throws: ModelError.self) { try await availability.requireReady(Self.local.id) }

        // The watcher probes with backoff; the model server comes up on the announced port; the watcher sees it.
        let watcher = Task { await availability.watch(initialDelay: .milliseconds(50), maxDelay: .milliseconds(200)) }
        let server = try await Self.startModelServer(port: port)
        defer { Task { await server.stop() } }
        await watcher.value
        #expect(availability.status(of: Self.local.id) == .ready)
        #expect(!availability.isPreparing)

        // Ready: the same router now answers through the real HTTP server.
        let (events, failure) = await collect(router.stream(ModelRequest(modelID: Self.local.id, messages: [.user("hi")], maxOutputTokens: 20)))
        #expect(failure == nil)
        #expect(events.text == "Hello")
        try await availability.requireReady(Self.local.id)
    }

    @Test func aSendRightAfterTheServerCameUpIsNotRefused() async throws {
        let port = try await Self.closedPort()
        let availability = ModelAvailability(preparing: [Self.local.id: "http://127.0.0.1:\(port)/v1/"], httpClient: testHTTPClient)
        let server = try await Self.startModelServer(port: port)
        defer { Task { await server.stop() } }
        // No watcher ran: requireReady probes once itself before refusing.
        #expect(availability.status(of: Self.local.id) == .installing)
        try await availability.requireReady(Self.local.id)
        #expect(availability.status(of: Self.local.id) == .ready)
    }

    @Test func modelsNotBeingPreparedAreAlwaysReady() async throws {
        let availability = ModelAvailability.allReady
        #expect(availability.status(of: "anything") == .ready)
        #expect(!availability.isPreparing)
        try await availability.requireReady("anything")
        await availability.watch()  // returns at once: nothing to watch
        #expect(ModelAvailability.modelsURL("http://h:1/v1/") == "http://h:1/v1/models")
        #expect(ModelAvailability.modelsURL("http://h:1") == "http://h:1/v1/models")
    }
}
