import AsyncHTTPClient
import BedrockFake
import Foundation
import Hummingbird
import NIOCore
import Synchronization
import Testing

@testable import Models

/// The OpenAI-compatible provider against a small SSE server written here.
@Suite(.timeLimit(.minutes(2))) struct OpenAICompatibleTests {
    /// What the fake SSE server answers, and what it received.
    final class Script: Sendable {
        let state = Mutex<(status: Int, chunks: [String], bodies: [String], auth: [String?])>((200, [], [], []))
        func set(status: Int = 200, _ chunks: [String]) { self.state.withLock { $0.status = status; $0.chunks = chunks } }
        var bodies: [String] { self.state.withLock { $0.bodies } }
        var auth: [String?] { self.state.withLock { $0.auth } }
    }

    static func start(_ script: Script) async throws -> LoopbackServer {
        try await LoopbackServer.start { request, _ in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let (status, chunks) = script.state.withLock { state -> (Int, [String]) in
                state.bodies.append(body)
                state.auth.append(request.headers[.authorization])
                return (state.status, state.chunks)
            }
            guard request.head.path == "/v1/chat/completions" else { return Response(status: .notFound) }
            var headers = HTTPFields()
            headers[.contentType] = status == 200 ? "text/event-stream" : "application/json"
            guard status == 200 else {
                return Response(status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: chunks.joined())))
            }
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                for chunk in chunks {
                    try await writer.write(ByteBuffer(string: chunk))
                }
                try await writer.finish(nil)
            })
        }
    }

    static func model(_ server: LoopbackServer, key: String? = nil) -> OpenAICompatibleLanguageModel {
        OpenAICompatibleLanguageModel(
            configuration: .init(baseURL: server.url + "/v1/", apiKey: key, modelAliases: ["local/smollm2-135m": "smollm2"]), httpClient: testHTTPClient)
    }

    @Test func streamsTextReasoningToolsAndUsage() async throws {
        let script = Script()
        let server = try await Self.start(script)
        defer { Task { await server.stop() } }
        script.set([
            ": keep-alive comment\n\n",
            "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"hmm\"}}]}\n\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\r\n\r\ndata: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n",
            "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"function\":{\"name\":\"getWeather\",\"arguments\":\"{\\\"ci\"}}]}}]}\n",
            "\ndata: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":\\\"Paris\\\"}\"}}]}}]}\n\n",
            "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n",
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4,\"prompt_tokens_details\":{\"cached_tokens\":3}}}\n\n",
            "data: [DONE]\n\n",
        ])
        let request = ModelRequest(
            modelID: "local/smollm2-135m", system: ["Be nice."], messages: [.user("hi"), .assistant("hello"), .user("weather?")], maxOutputTokens: 50,
            tools: [ToolSpec(name: "getWeather", description: "d", inputSchemaJSON: "{\"type\":\"object\"}")])
        let (events, error) = await collect(Self.model(server, key: "sk-test").stream(request))
        #expect(error == nil)
        #expect(events == [
            .reasoningDelta("hmm"), .textDelta("Hel"), .textDelta("lo"), .toolCall(id: "call_1", name: "getWeather", inputJSON: "{\"city\":\"Paris\"}"),
            .finish(.toolCalls, TokenUsage(inputTokens: 12, outputTokens: 4, cacheReadTokens: 3)),
        ])
        #expect(script.auth == ["Bearer sk-test"])
        let sent = try #require(script.bodies.first.flatMap { JSONValueProbe.parse($0) })
        #expect(sent["model"] as? String == "smollm2")
        #expect(sent["stream"] as? Bool == true)
        #expect((sent["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        #expect((sent["messages"] as? [[String: Any]])?.map { $0["role"] as? String } == ["system", "user", "assistant", "user"])
        #expect(sent["max_tokens"] as? Int == 50)
    }

    @Test func noKeyNoAuthorizationHeader() async throws {
        let script = Script()
        let server = try await Self.start(script)
        defer { Task { await server.stop() } }
        script.set(["data: {\"choices\":[{\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"])
        let (events, error) = await collect(Self.model(server).stream(ModelRequest(modelID: "other", messages: [.user("x")])))
        #expect(error == nil)
        #expect(events == [.textDelta("ok"), .finish(.stop, TokenUsage())])
        #expect(script.auth == [nil])
    }

    @Test(arguments: [
        (401, "{\"error\":{\"message\":\"bad key\"}}", ModelError.Kind.accessDenied, "bad key"),
        (404, "{\"error\":\"model not found\"}", .modelNotFound, "smollm2"),
        (429, "{\"message\":\"slow\"}", .throttled, "slow"),
        (400, "{\"error\":{\"message\":\"context too long\"}}", .invalidRequest, "context too long"),
        (503, "busy", .unavailable, "busy"),
    ])
    func httpErrorsAreActionable(_ status: Int, _ body: String, _ kind: ModelError.Kind, _ text: String) async throws {
        let script = Script()
        let server = try await Self.start(script)
        defer { Task { await server.stop() } }
        script.set(status: status, [body])
        let (_, error) = await collect(Self.model(server).stream(ModelRequest(modelID: "local/smollm2-135m", messages: [.user("x")])))
        let failure = try #require(error as? ModelError)
        #expect(failure.kind == kind)
        #expect(failure.message.contains(text) && failure.message.contains(server.url))
    }

    @Test func errorInsideTheStreamAndTruncatedStream() async throws {
        let script = Script()
        let server = try await Self.start(script)
        defer { Task { await server.stop() } }
        script.set(["data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n", "data: {\"error\":{\"message\":\"out of memory\"}}\n\n"])
        let (events, error) = await collect(Self.model(server).stream(ModelRequest(modelID: "m", messages: [.user("x")])))
        #expect(events == [.textDelta("a")])
        #expect((error as? ModelError)?.kind == .modelStreamError && (error as? ModelError)?.message.contains("out of memory") == true)
        script.set(["data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"])
        let (_, cut) = await collect(Self.model(server).stream(ModelRequest(modelID: "m", messages: [.user("x")])))
        #expect((cut as? ModelError)?.kind == .invalidResponse)
        script.set(["data: not json\n\n"])
        let (_, garbage) = await collect(Self.model(server).stream(ModelRequest(modelID: "m", messages: [.user("x")])))
        #expect((garbage as? ModelError)?.kind == .invalidResponse)
    }

    @Test func serverDownSaysCouldNotConnect() async throws {
        let model = OpenAICompatibleLanguageModel(configuration: .init(baseURL: "http://127.0.0.1:9"), httpClient: testHTTPClient)
        let (_, error) = await collect(model.stream(ModelRequest(modelID: "m", messages: [.user("x")])))
        let failure = try #require(error as? ModelError)
        #expect(failure.kind == .network)
        #expect(failure.message.contains("could not connect to the local model server at http://127.0.0.1:9") || failure.message.contains("Could not connect to the local model server at http://127.0.0.1:9"))
    }
}

/// Parses JSON into Foundation values for loose assertions.
enum JSONValueProbe {
    static func parse(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
