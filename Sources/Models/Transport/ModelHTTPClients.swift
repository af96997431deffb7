import AsyncHTTPClient
import Bedrock

/// The HTTP clients of all model traffic: one for answers and one for titles, so titles can never take the
/// connections answers need. The composition root creates them and shuts them down after the server drains.
public final class ModelHTTPClients: Sendable {
    /// Sizes and protocol of the two pools.
    public struct Limits: Sendable, Equatable {
        /// Connections per host for answers: one streamed answer holds one HTTP/1.1 connection for its whole length.
        public var answerConnections: Int
        /// Connections per host for titles.
        public var titleConnections: Int
        /// Offer HTTP/2 by ALPN over TLS. Off by default: AsyncHTTPClient keeps one HTTP/2 connection per host and queues
        /// requests beyond the server's concurrent-stream limit, which would cap concurrent answers at that limit.
        public var http2: Bool
        /// Connecting, and also how long a request waits for a free connection before it fails as busy.
        public var connectTimeout: Duration

        /// The default is sized for 1,000 concurrent answers with headroom.
        public static let defaultAnswerConnections = 1200

        public init(answerConnections: Int = Self.defaultAnswerConnections, titleConnections: Int? = nil, http2: Bool = false, connectTimeout: Duration = .seconds(5)) {
            self.answerConnections = max(1, answerConnections)
            self.titleConnections = max(1, titleConnections ?? max(16, answerConnections / 4))
            self.http2 = http2
            self.connectTimeout = connectTimeout
        }
    }

    public let limits: Limits
    public let answers: HTTPClient
    public let titles: HTTPClient

    public init(limits: Limits = Limits()) {
        self.limits = limits
        self.answers = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: BedrockClientConfiguration.httpClientConfiguration(
                connectTimeout: limits.connectTimeout, maxConnectionsPerHost: limits.answerConnections, http2: limits.http2))
        self.titles = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: BedrockClientConfiguration.httpClientConfiguration(
                connectTimeout: limits.connectTimeout, maxConnectionsPerHost: limits.titleConnections, http2: limits.http2))
    }

    /// Shuts both clients down; in-flight requests fail.
    public func shutdown() async throws {
        try await self.answers.shutdown()
        try await self.titles.shutdown()
    }

    deinit {
        // An owner that never ran the lifecycle service (a CLI command, a test) must not leak the pools or trip
        // AsyncHTTPClient's debug check; a second shutdown only throws `alreadyShutdown`.
        try? self.answers.syncShutdown()
        try? self.titles.syncShutdown()
    }
}
