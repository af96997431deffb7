import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import StreamBridge

/// A Bedrock Runtime client for `Converse` and `ConverseStream`.
///
/// It signs every attempt afresh, retries throttling, 5xx, timeouts and connection errors
/// before any output (never after), refreshes credentials once on `ExpiredTokenException`,
/// and turns every failure into a `BedrockError` that names its fix.
public struct BedrockClient: Sendable {
    /// Region, endpoint, retries, timeouts.
    public let configuration: BedrockClientConfiguration
    /// The credentials cache; ask it for `source` to report where credentials came from.
    public let credentials: CachingCredentialProvider
    let httpClient: HTTPClient
    let logger: Logger

    /// Creates a client. The `HTTPClient` is the caller's (see `BedrockClientConfiguration.httpClientConfiguration()`).
    public init(
        configuration: BedrockClientConfiguration, credentials: CachingCredentialProvider, httpClient: HTTPClient,
        logger: Logger = Logger(label: "bedrock")
    ) {
        self.configuration = configuration
        self.credentials = credentials
        self.httpClient = httpClient
        self.logger = logger
    }

    /// Calls `Converse` and returns the whole answer.
    public func converse(modelID: String, request: ConverseRequest) async throws -> ConverseResponse {
        let body = try Self.encode(request)
        return try await self.withRetries(modelID: modelID) { attempt, invocation in
            let response = try await self.send(modelID: modelID, operation: "converse", body: body, attempt: attempt, invocation: invocation)
            let progress = StreamProgress()
            let buffer = try await withIdleWatchdog(idle: self.configuration.timeouts.idle, progress: progress, what: "reading the answer") {
                try await response.body.collect(upTo: 32 << 20)
            }
            do {
                return try JSONDecoder().decode(ConverseResponse.self, from: buffer)
            } catch {
                throw BedrockError(.invalidResponse, message: "Bedrock's Converse answer does not decode: \(error)")
            }
        }
    }

    /// Calls `ConverseStream`. Cancelling the consuming task cancels the HTTP request.
    ///
    /// The stream ends normally after `messageStop` (and `metadata`, if sent); it throws a
    /// `BedrockError` for exception events, corrupt frames, a body cut before `messageStop`, or an idle timeout.
    public func converseStream(modelID: String, request: ConverseRequest) -> AsyncThrowingStream<ConverseStreamEvent, any Error> {
        AsyncBridge.stream { continuation in
            try await self.runStream(modelID: modelID, request: request, continuation: continuation)
        }
    }

    func runStream(
        modelID: String, request: ConverseRequest, continuation: AsyncThrowingStream<ConverseStreamEvent, any Error>.Continuation
    ) async throws {
        let body = try Self.encode(request)
        let progress = StreamProgress()
        // Once the consumer has seen output, a retry would duplicate it.
        try await self.withRetries(modelID: modelID, mayRetry: { !progress.yielded }) { attempt, invocation in
            let response = try await self.send(
                modelID: modelID, operation: "converse-stream", body: body, attempt: attempt, invocation: invocation)
            try await withIdleWatchdog(idle: self.configuration.timeouts.idle, progress: progress, what: "streaming") {
                var sawStop = false
                for try await message in EventStreamMessages(response.body) {
                    progress.touch()
                    guard let event = try ConverseStreamEvent.decode(message, modelID: modelID) else { continue }
                    if case .messageStop = event { sawStop = true }
                    progress.markYielded()
                    continuation.yield(event)
                }
                guard sawStop else {
                    throw BedrockError(
                        .invalidResponse, message: "Bedrock's stream for \(modelID) ended before messageStop; the answer is incomplete.")
                }
            }
        }
    }

    /// The one retry loop of both operations: every failure becomes a `BedrockError`; expired credentials are refreshed
    /// once; retryable failures are retried with backoff up to the policy's attempts, while `mayRetry` allows it.
    func withRetries<T: Sendable>(
        modelID: String, mayRetry: () -> Bool = { true }, _ attemptOnce: (_ attempt: Int, _ invocation: String) async throws -> T
    ) async throws -> T {
        let invocation = UUID().uuidString.lowercased()
        var attempt = 1
        var refreshedAfterExpiry = false
        while true {
            do {
                return try await attemptOnce(attempt, invocation)
            } catch {
                let failure = try Self.bedrockError(from: error, modelID: modelID)
                self.logIfBusy(failure, modelID: modelID)
                guard mayRetry() else { throw failure }
                if failure.code == .credentialsExpired, !refreshedAfterExpiry {
                    refreshedAfterExpiry = true
                    await self.credentials.invalidate()
                    continue
                }
                guard failure.isRetryable, attempt < self.configuration.retry.maxAttempts else { throw failure }
                try await self.backOff(after: attempt, failure: failure)
                attempt += 1
            }
        }
    }

    /// Signs (or, with an API key, authorizes) and sends one attempt; returns a 200 response or throws the classified error.
    func send(modelID: String, operation: String, body: [UInt8], attempt: Int, invocation: String) async throws -> HTTPClientResponse {
        let endpoint = self.configuration.endpoint
        let path = endpoint.path(modelID: modelID, operation: operation)
        let headers = [("host", endpoint.hostHeader), ("content-type", "application/json")]
        let authorization: [(String, String)]
        if let key = self.configuration.apiKey {
            authorization = [("authorization", key.authorization)]
        } else {
            let credentials = try await self.credentials.credentials()
            authorization = SigV4Signer(region: self.configuration.region).sign(
                method: "POST", path: path, headers: headers, body: body, credentials: credentials, date: Date()
            ).headersToAdd
        }
        var request = HTTPClientRequest(url: endpoint.url(path: path))
        request.method = .POST
        for (name, value) in headers + authorization {
            request.headers.add(name: name, value: value)
        }
        request.headers.add(name: "accept", value: operation == "converse" ? "application/json" : "application/vnd.amazon.eventstream")
        request.headers.add(name: "user-agent", value: self.configuration.userAgent)
        request.headers.add(name: "amz-sdk-invocation-id", value: invocation)
        request.headers.add(name: "amz-sdk-request", value: "attempt=\(attempt); max=\(self.configuration.retry.maxAttempts)")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await self.httpClient.execute(request, timeout: self.configuration.timeouts.firstByte.timeAmount, logger: self.logger)
        guard response.status == .ok else {
            let errorBody = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
            let error = Self.errorFromResponse(status: Int(response.status.code), headers: response.headers, body: errorBody, modelID: modelID)
            throw self.configuration.apiKey == nil ? error : Self.blamingAPIKey(error)
        }
        return response
    }

    /// The operator's side of a busy error: the user is told to retry, the log says which limit was reached.
    func logIfBusy(_ failure: BedrockError, modelID: String) {
        guard failure.code == .clientBusy else { return }
        self.logger.warning(
            "model connection pool exhausted: a Bedrock call waited the connect timeout for a free connection; raise the pool size",
            metadata: ["model": .string(modelID), "connect_timeout": "\(self.configuration.timeouts.connect)"])
    }

    func backOff(after attempt: Int, failure: BedrockError) async throws {
        let delay = self.configuration.retry.delay(afterAttempt: attempt)
        self.logger.debug("retrying Bedrock call", metadata: ["attempt": "\(attempt)", "error": "\(failure.code)", "delay": "\(delay)"])
        try await Task.sleep(for: delay)
    }

    static func encode(_ request: ConverseRequest) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array(try encoder.encode(request))
    }
}
