import Bedrock
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A container credentials endpoint (ECS / App Runner) that issues a new generation of short-lived
/// credentials on every fetch and registers them with the Bedrock fake's key store, so that refresh
/// ahead of expiry, and `ExpiredTokenException` after it, can be observed.
public final class FakeContainerCredentialsServer: Sendable {
    struct State {
        var generation = 0
        var fetches: [(path: String, authorization: String?, accept: String?)] = []
        var failuresLeft = 0
    }

    let keys: FakeKeyStore
    let lifetime: TimeInterval
    let requiredToken: String?
    let clock: @Sendable () -> Date
    let state = Mutex(State())
    let server = Mutex<LoopbackServer?>(nil)

    /// Creates the endpoint.
    ///
    /// - Parameters:
    ///   - keys: where issued credentials are registered (the Bedrock fake's store).
    ///   - lifetime: how long each generation is valid.
    ///   - requiredToken: the `Authorization` value to demand, if any.
    public init(keys: FakeKeyStore, lifetime: TimeInterval, requiredToken: String? = nil, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.keys = keys
        self.lifetime = lifetime
        self.requiredToken = requiredToken
        self.clock = clock
    }

    /// Starts on a free loopback port; returns the base URL.
    @discardableResult
    public func start() async throws -> String {
        let server = try await LoopbackServer.start { request, _ in self.handle(request) }
        self.server.withLock { $0 = server }
        return server.url
    }

    /// The base URL.
    public var url: String { self.server.withLock { $0?.url } ?? "" }

    /// Stops listening.
    public func stop() async {
        await self.server.withLock { $0 }?.stop()
    }

    /// Answers the next `count` fetches with HTTP 500.
    public func failNext(_ count: Int) {
        self.state.withLock { $0.failuresLeft = count }
    }

    /// Fetches seen: path, `Authorization` and `Accept` headers.
    public var fetches: [(path: String, authorization: String?, accept: String?)] { self.state.withLock { $0.fetches } }

    /// How many generations were issued.
    public var generation: Int { self.state.withLock { $0.generation } }

    func handle(_ request: Request) -> Response {
        let authorization = request.headers[.authorization]
        let failing = self.state.withLock { state -> Bool in
            state.fetches.append((request.head.path ?? "/", authorization, request.headers[.accept]))
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                return true
            }
            return false
        }
        if failing {
            return Response(status: .internalServerError, body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"message\":\"scripted failure\"}")))
        }
        if let required = self.requiredToken, authorization != required {
            return Response(status: .unauthorized, body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"message\":\"bad token\"}")))
        }
        let generation = self.state.withLock { state -> Int in
            state.generation += 1
            return state.generation
        }
        let expiration = self.clock().addingTimeInterval(self.lifetime)
        let keyID = String(format: "ASIAFAKE%08d", generation)
        let secret = "secret-\(generation)-\(UUID().uuidString)"
        let token = "token-\(generation)-\(UUID().uuidString)"
        self.keys.add(accessKeyID: keyID, .init(secret: secret, token: token, expiration: expiration))
        var formatter = Date.ISO8601FormatStyle()
        formatter.timeZone = TimeZone(identifier: "UTC")!
        let body = JSONValue.object([
            "AccessKeyId": .string(keyID), "SecretAccessKey": .string(secret), "Token": .string(token),
            "Expiration": .string(expiration.formatted(formatter)), "RoleArn": .string("arn:aws:iam::123456789012:role/fake"),
        ])
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body.jsonText)))
    }
}
