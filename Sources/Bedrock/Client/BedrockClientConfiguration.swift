import AsyncHTTPClient
import NIOCore

/// Everything a `BedrockClient` needs besides credentials.
public struct BedrockClientConfiguration: Sendable {
    /// The region of the SigV4 scope and of the default endpoint.
    public var region: String
    public var endpoint: BedrockEndpoint
    /// Retries before the first event.
    public var retry: RetryPolicy
    public var timeouts: BedrockTimeouts
    /// The `user-agent` header.
    public var userAgent: String
    /// When set, requests carry this Bedrock API key instead of a SigV4 signature (as the AWS SDKs do).
    public var apiKey: BedrockAPIKey?

    /// Creates a configuration; the endpoint defaults to the region's public one.
    public init(
        region: String, endpoint: BedrockEndpoint? = nil, retry: RetryPolicy = RetryPolicy(), timeouts: BedrockTimeouts = BedrockTimeouts(),
        userAgent: String = "chatbot-bedrock/1.0", apiKey: BedrockAPIKey? = nil
    ) {
        self.apiKey = apiKey
        self.region = region
        self.endpoint = endpoint ?? BedrockEndpoint(scheme: "https", host: "bedrock-runtime.\(region).amazonaws.com")
        self.retry = retry
        self.timeouts = timeouts
        self.userAgent = userAgent
    }

    /// The region from `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`; `us-east-1` when none.
    public static func region(environment: [String: String]) -> String {
        for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        return AWSConfigFile.region(environment: environment) ?? "us-east-1"
    }

    /// A configuration from an injected environment, as the AWS SDKs read it: region, endpoint overrides, and a Bedrock API key.
    public static func fromEnvironment(_ environment: [String: String]) throws -> BedrockClientConfiguration {
        let region = Self.region(environment: environment)
        return BedrockClientConfiguration(
            region: region, endpoint: try BedrockEndpoint.resolve(region: region, environment: environment),
            apiKey: BedrockAPIKey.fromEnvironment(environment))
    }

    /// The `HTTPClient` configuration this client is meant to run on: the connect timeout applied, and
    /// failed connection attempts reported at once instead of retried inside the pool.
    public func httpClientConfiguration() -> HTTPClient.Configuration {
        Self.httpClientConfiguration(connectTimeout: self.timeouts.connect)
    }

    /// An `HTTPClient` configuration for model providers.
    ///
    /// AsyncHTTPClient's pool otherwise retries a refused connection until the request's deadline,
    /// which turns "nothing listens there" into a long wait; our own retry policy retries instead.
    /// Its default of 8 connections per host caps concurrent streams at 8: pass the number of concurrent
    /// streams the caller must carry. A request that waits `connectTimeout` for a free connection fails with
    /// `HTTPClientError.getConnectionFromPoolTimeout`, which the client reports as `BedrockError.Code.clientBusy`.
    public static func httpClientConfiguration(connectTimeout: Duration, maxConnectionsPerHost: Int = 8, http2: Bool = false) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = connectTimeout.timeAmount
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = maxConnectionsPerHost
        configuration.httpVersion = http2 ? .automatic : .http1Only
        return configuration
    }
}

extension Duration {
    var timeAmount: TimeAmount {
        TimeAmount.nanoseconds(self.components.seconds * 1_000_000_000 + self.components.attoseconds / 1_000_000_000)
    }
}
