import AsyncHTTPClient
import NIOCore

/// Everything a `BedrockClient` needs besides credentials.
public struct BedrockClientConfiguration: Sendable {
    /// The region of the SigV4 scope and of the default endpoint.
    public var region: String
    /// Where requests go.
    public var endpoint: BedrockEndpoint
    /// Retries before the first event.
    public var retry: RetryPolicy
    /// Client-side time limits.
    public var timeouts: BedrockTimeouts
    /// The `user-agent` header.
    public var userAgent: String

    /// Creates a configuration; the endpoint defaults to the region's public one.
    public init(
        region: String, endpoint: BedrockEndpoint? = nil, retry: RetryPolicy = RetryPolicy(), timeouts: BedrockTimeouts = BedrockTimeouts(),
        userAgent: String = "chatbot-bedrock/1.0"
    ) {
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

    /// A configuration from an injected environment: region and endpoint overrides.
    public static func fromEnvironment(_ environment: [String: String]) throws -> BedrockClientConfiguration {
        let region = Self.region(environment: environment)
        return BedrockClientConfiguration(region: region, endpoint: try BedrockEndpoint.resolve(region: region, environment: environment))
    }

    /// An `HTTPClient` configuration with the connect timeout applied.
    public func httpClientConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = self.timeouts.connect.timeAmount
        return configuration
    }
}

extension Duration {
    /// As a NIO `TimeAmount`.
    var timeAmount: TimeAmount {
        TimeAmount.nanoseconds(self.components.seconds * 1_000_000_000 + self.components.attoseconds / 1_000_000_000)
    }
}
