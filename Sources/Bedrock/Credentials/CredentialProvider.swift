/// One place credentials may come from: the environment, the shared files, a container endpoint.
public protocol CredentialProvider: Sendable {
    /// A short name for messages and `chatbot doctor`, e.g. `environment variables`.
    var sourceName: String { get }

    /// Looks for credentials.
    ///
    /// - Returns: `.found` or, when this source is not configured here, `.notConfigured` with the reason.
    /// - Throws: when the source is configured but fails (a container endpoint that does not answer);
    ///   the chain stops there, as botocore's does.
    func lookup() async throws -> CredentialLookup
}

/// What a provider found.
public enum CredentialLookup: Sendable, Equatable {
    /// Credentials, ready to sign with.
    case found(AWSCredentials)
    /// The source is not set up here; the reason goes into the "nothing found" error.
    case notConfigured(String)
}

/// Credentials together with the source they came from.
public struct ResolvedCredentials: Sendable, Equatable {
    public var credentials: AWSCredentials
    /// Where they came from, e.g. `container credentials (http://169.254.170.2/v2/credentials/…)`.
    public var source: String

    public init(credentials: AWSCredentials, source: String) {
        self.credentials = credentials
        self.source = source
    }
}
