import AsyncHTTPClient
import Bedrock
import Foundation
import JSON
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Answers from any server with a streaming `/v1/chat/completions` (llama.cpp, Ollama, vLLM, OpenAI).
public struct OpenAICompatibleLanguageModel: LanguageModel {
    /// Where the server is and how to call it.
    public struct Configuration: Sendable {
        /// E.g. `http://127.0.0.1:8080` (a trailing `/v1` is accepted too).
        public var baseURL: String
        /// Sent as `Authorization: Bearer …` when set.
        public var apiKey: String?
        /// Catalog id → the server's model name, e.g. `local/smollm2-135m` → `smollm2`. Unmapped ids are sent as they are.
        public var modelAliases: [String: String]
        /// From sending to the response head.
        public var firstByteTimeout: Duration

        public init(baseURL: String, apiKey: String? = nil, modelAliases: [String: String] = [:], firstByteTimeout: Duration = .seconds(120)) {
            self.baseURL = baseURL
            self.apiKey = apiKey
            self.modelAliases = modelAliases
            self.firstByteTimeout = firstByteTimeout
        }

        /// `{baseURL}/v1/chat/completions`.
        var completionsURL: String {
            var base = self.baseURL
            while base.hasSuffix("/") { base.removeLast() }
            if base.hasSuffix("/v1") { base.removeLast(3) }
            return base + "/v1/chat/completions"
        }
    }

    let configuration: Configuration
    let httpClient: HTTPClient
    let logger: Logger

    public init(configuration: Configuration, httpClient: HTTPClient, logger: Logger = Logger(label: "models.openai")) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
    }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error> {
        let configuration = self.configuration
        let httpClient = self.httpClient
        let logger = self.logger
        return ModelEventStream.make { continuation in
            if request.messages.contains(where: { $0.content.contains { if case .document = $0 { true } else { false } } }) {
                throw ModelError(
                    kind: .invalidRequest,
                    message: "\(request.modelID) is served through an OpenAI-compatible API, which takes no documents. Pick a model that reads documents, or paste the text.")
            }
            let model = configuration.modelAliases[request.modelID] ?? request.modelID
            var http = HTTPClientRequest(url: configuration.completionsURL)
            http.method = .POST
            http.headers.add(name: "content-type", value: "application/json")
            http.headers.add(name: "accept", value: "text/event-stream")
            if let key = configuration.apiKey, !key.isEmpty {
                http.headers.add(name: "authorization", value: "Bearer \(key)")
            }
            http.body = .bytes(ByteBuffer(string: request.chatCompletionsBody(model: model).jsonText))
            let response: HTTPClientResponse
            do {
                let seconds = configuration.firstByteTimeout.components.seconds
                response = try await httpClient.execute(http, timeout: .seconds(seconds))
            } catch {
                throw Self.transportError(error, configuration: configuration, logger: logger)
            }
            guard response.status == .ok else {
                let body = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
                throw Self.httpError(status: Int(response.status.code), body: body, model: model, configuration: configuration)
            }
            var accumulator = ChatCompletionAccumulator()
            var splitter = SSELineSplitter()
            var done = false
            do {
                reading: for try await chunk in response.body {
                    for data in splitter.append(chunk.readableBytesView) {
                        if data == "[DONE]" {
                            done = true
                            break reading
                        }
                        for event in try accumulator.consume(data) { continuation.yield(event) }
                    }
                }
            } catch let error as ModelError {
                throw error
            } catch {
                throw Self.transportError(error, configuration: configuration, logger: logger)
            }
            if !done, let data = splitter.finish(), data != "[DONE]" {
                for event in try accumulator.consume(data) { continuation.yield(event) }
            }
            guard done || accumulator.finishReason != nil else {
                throw ModelError(
                    kind: .invalidResponse, message: "The model server at \(configuration.baseURL) ended the stream before finishing the answer.")
            }
            for event in accumulator.finish() { continuation.yield(event) }
        }
    }

    static func transportError(_ error: any Error, configuration: Configuration, logger: Logger) -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if let error = error as? HTTPClientError, error == .getConnectionFromPoolTimeout {
            logger.warning(
                "model connection pool exhausted: a call waited the connect timeout for a free connection; raise the pool size",
                metadata: ["endpoint": .string(configuration.baseURL)])
            return ModelError(kind: .busy, message: "The server is busy: every connection to the model server is in use. Try again in a moment.")
        }
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return ModelError(
                kind: .timeout, message: "The model server at \(configuration.baseURL) did not answer in time. Check that it is not overloaded.",
                isRetryable: true)
        }
        return ModelError(
            kind: .network,
            message: "Could not connect to the local model server at \(configuration.baseURL): is it running? (\(error))", isRetryable: true)
    }

    static func httpError(status: Int, body: ByteBuffer, model: String, configuration: Configuration) -> ModelError {
        let said = (try? JSONDecoder().decode(ChatCompletionErrorBody.self, from: body))?.text ?? String(buffer: body).prefix(300).description
        let suffix = said.isEmpty ? "" : " The server said: \(said)"
        switch status {
        case 401, 403:
            return ModelError(
                kind: .accessDenied, message: "The model server at \(configuration.baseURL) refused the request (HTTP \(status)): check the API key.\(suffix)")
        case 404:
            return ModelError(
                kind: .modelNotFound, message: "The model server at \(configuration.baseURL) does not serve model \(model) (HTTP 404). Check the model name.\(suffix)")
        case 429:
            return ModelError(kind: .throttled, message: "The model server at \(configuration.baseURL) is rate limiting. Retry later.\(suffix)", isRetryable: true)
        case 400...499:
            return ModelError(kind: .invalidRequest, message: "The model server at \(configuration.baseURL) rejected the request (HTTP \(status)).\(suffix)")
        default:
            return ModelError(
                kind: .unavailable, message: "The model server at \(configuration.baseURL) failed (HTTP \(status)). Retry later.\(suffix)", isRetryable: true)
        }
    }
}
