import Bedrock
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// An in-process Bedrock Runtime look-alike on 127.0.0.1: verifies SigV4, validates bodies as the
/// reference server does, and answers Converse (JSON) and ConverseStream (event-stream) from a
/// script, or by echoing the last user message when nothing is scripted.
public final class FakeBedrockServer: Sendable {
    /// What the fake remembers.
    struct State {
        var queue: [FakeScenario] = []
        var byModel: [String: FakeScenario] = [:]
        var holdUntil = 0
        var requests: [FakeRecordedRequest] = []
        var streamsStarted = 0
        var streamsCompleted = 0
        var streamsAborted = 0
        var stopping = false
    }

    /// The region requests must be signed for.
    public let region: String
    /// Accepted credentials; add temporary ones here (the container fake does).
    public let keys: FakeKeyStore
    /// Delay before each streamed event when the scenario sets none.
    public let defaultEventDelay: Duration
    /// The Bedrock API key accepted as `Authorization: Bearer <key>`; bearer requests are refused when `nil`.
    public let apiKey: String?
    let state = Mutex(State())
    let clock: @Sendable () -> Date
    let server = Mutex<LoopbackServer?>(nil)

    /// The example keys of AWS's documentation, accepted by default.
    public static let exampleAccessKeyID = "AKIDEXAMPLE"
    /// The example secret.
    public static let exampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

    /// Creates a fake; call `start()` to listen.
    public init(
        region: String = "us-east-1", keys: FakeKeyStore? = nil, defaultEventDelay: Duration = .zero, apiKey: String? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.apiKey = apiKey
        self.region = region
        self.keys = keys ?? FakeKeyStore([Self.exampleAccessKeyID: .init(secret: Self.exampleSecret)])
        self.defaultEventDelay = defaultEventDelay
        self.clock = clock
    }

    /// Starts listening on 127.0.0.1 (`port` 0 picks a free one) and returns the base URL.
    @discardableResult
    public func start(port: Int = 0) async throws -> String {
        let server = try await LoopbackServer.start(port: port) { request, _ in try await self.handle(request) }
        self.server.withLock { $0 = server }
        return server.url
    }

    /// The base URL, e.g. for `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`.
    public var url: String { self.server.withLock { $0?.url } ?? "" }

    /// The bound port.
    public var port: Int { self.server.withLock { $0?.port } ?? 0 }

    /// Stops listening; hanging handlers return.
    public func stop() async {
        self.state.withLock { $0.stopping = true }
        await self.server.withLock { $0 }?.stop()
    }

    /// Runs until cancelled (for the `fake-bedrock` executable).
    public func wait() async {
        await self.server.withLock { $0 }?.wait()
    }

    /// Scripts the next request(s), first in first out.
    public func enqueue(_ scenarios: FakeScenario...) {
        self.state.withLock { $0.queue += scenarios }
    }

    /// Answers every request for `modelID` with `scenario` (after the queue is empty), e.g. to give each model its own error.
    public func script(model modelID: String, _ scenario: FakeScenario) {
        self.state.withLock { $0.byModel[modelID] = scenario }
    }

    /// Streams send nothing after their head until `count` streams have started (or the fake stops): a barrier that
    /// proves that many streams are in flight at once, without timing.
    public func holdStreams(until count: Int) {
        self.state.withLock { $0.holdUntil = count }
    }

    /// Every request received, in order.
    public var requests: [FakeRecordedRequest] { self.state.withLock { $0.requests } }

    /// Streams begun, finished, and cut short because the client went away.
    public var streamCounts: (started: Int, completed: Int, aborted: Int) {
        self.state.withLock { ($0.streamsStarted, $0.streamsCompleted, $0.streamsAborted) }
    }

    var isStopping: Bool { self.state.withLock { $0.stopping } }

    func handle(_ request: Request) async throws -> Response {
        let rawTarget = request.head.path ?? "/"
        let body = Array((try await request.body.collect(upTo: 64 << 20)).readableBytesView)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName.lowercased()
            headers[name] = headers[name].map { $0 + "," + field.value } ?? field.value
        }
        // swift-http-types moves `Host` into the `:authority` pseudo-header.
        if headers["host"] == nil, let authority = request.head.authority { headers["host"] = authority }
        let path = rawTarget.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard request.method == .post, parts.count == 4, parts[1] == "model", ["converse", "converse-stream"].contains(parts[3]),
            let modelID = parts[2].removingPercentEncoding, !modelID.isEmpty
        else {
            return Self.errorResponse(status: 404, code: "UnknownOperationException", message: "Unknown operation \(request.method) \(path)")
        }
        let rejection = self.verifyAuthorization(method: request.method.rawValue, rawTarget: rawTarget, headers: headers, body: body)
        let recorded = FakeRecordedRequest(
            path: rawTarget, modelID: modelID, operation: parts[3], headers: headers, body: body, authError: rejection?.code)
        self.state.withLock { $0.requests.append(recorded) }
        if let rejection {
            return Self.errorResponse(status: 403, code: rejection.code, message: rejection.message)
        }
        if let (status, code, message) = FakeRequestValidator.validate(body: body, modelID: modelID) {
            return Self.errorResponse(status: status, code: code, message: message)
        }
        let scenario = self.state.withLock { $0.queue.isEmpty ? $0.byModel[modelID] : $0.queue.removeFirst() } ?? FakeEcho.scenario(for: body, attempt: FakeFaults.attempt(headers))
        return try await self.respond(scenario, streaming: parts[3] == "converse-stream", modelID: modelID)
    }

    /// A Bedrock API key (`Bearer`) must equal `apiKey`; anything else must carry a valid SigV4 signature.
    func verifyAuthorization(method: String, rawTarget: String, headers: [String: String], body: [UInt8]) -> FakeSigV4Verifier.Rejection? {
        if let authorization = headers["authorization"], authorization.hasPrefix("Bearer ") {
            guard let apiKey = self.apiKey, authorization.dropFirst("Bearer ".count) == apiKey else {
                // What the real service answers to a wrong API key is not documented; this is AWS's usual answer to an unknown credential.
                return .init(code: "UnrecognizedClientException", message: "The security token included in the request is invalid.")
            }
            return nil
        }
        return FakeSigV4Verifier(region: self.region, keys: self.keys).verify(
            method: method, rawTarget: rawTarget, headers: headers, body: body, now: self.clock())
    }

    /// An AWS-shaped error: status, `x-amzn-ErrorType` with a `:`-suffix, request id, `{"message": …}`.
    static func errorResponse(status: Int, code: String, message: String) -> Response {
        var fields = HTTPFields()
        fields[HTTPField.Name("x-amzn-ErrorType")!] = "\(code):http://internal.amazon.com/coral/com.amazon.bedrock/"
        fields[HTTPField.Name("x-amzn-RequestId")!] = UUID().uuidString.lowercased()
        fields[.contentType] = "application/json"
        let body = JSONValue.object(["message": .string(message)]).jsonText
        return Response(status: HTTPResponse.Status(code: status), headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// The HTTP status AWS uses for each modelled error code.
    public static func status(for code: String) -> Int {
        switch code {
        case "ValidationException", "SerializationException", "ServiceQuotaExceededException": return 400
        case "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException": return 403
        case "ResourceNotFoundException": return 404
        case "ModelTimeoutException": return 408
        case "ModelErrorException": return 424
        case "ThrottlingException", "ModelNotReadyException": return 429
        case "ServiceUnavailableException": return 503
        default: return 500
        }
    }
}
