import AsyncHTTPClient

/// Tries providers in order and returns the first credentials found.
public struct CredentialProviderChain: Sendable {
    /// The providers, in order.
    public let providers: [any CredentialProvider]

    public init(_ providers: [any CredentialProvider]) {
        self.providers = providers
    }

    /// The SDKs' default order: environment → shared files → container endpoint.
    public static func `default`(
        environment: [String: String], httpClient: HTTPClient, metadataHost: String = ContainerCredentialProvider.defaultMetadataHost
    ) -> CredentialProviderChain {
        CredentialProviderChain([
            EnvironmentCredentialProvider(environment: environment),
            SharedFileCredentialProvider(environment: environment),
            ContainerCredentialProvider(environment: environment, httpClient: httpClient, metadataHost: metadataHost),
        ])
    }

    /// The first credentials found, with their source.
    ///
    /// - Throws: `BedrockError.credentialsMissing` listing every source tried and why it had nothing;
    ///   or the error of a configured source that failed.
    public func resolve() async throws -> ResolvedCredentials {
        var tried: [String] = []
        for provider in self.providers {
            switch try await provider.lookup() {
            case .found(let credentials):
                return ResolvedCredentials(credentials: credentials, source: provider.sourceName)
            case .notConfigured(let reason):
                tried.append(reason)
            }
        }
        throw BedrockError(
            .credentialsMissing,
            message: "No AWS credentials found. Tried: " + tried.joined(separator: "; ")
                + ". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, configure a profile with AWS_PROFILE, or run where a "
                + "container credentials endpoint is provided (App Runner, ECS).")
    }
}
