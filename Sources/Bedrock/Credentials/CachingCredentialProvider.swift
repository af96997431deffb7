import Foundation

/// Caches what a chain resolves and refreshes temporary credentials ahead of their expiry.
///
/// Like botocore's `RefreshableCredentials`: with less than `advisoryRefresh` left it tries to
/// refresh but keeps the old credentials if that fails; with less than `mandatoryRefresh` left it
/// must refresh and a failure is thrown. Concurrent callers share one refresh.
public actor CachingCredentialProvider {
    let chain: CredentialProviderChain
    let now: @Sendable () -> Date
    /// botocore: 15 minutes.
    public let advisoryRefresh: TimeInterval
    /// botocore: 10 minutes.
    public let mandatoryRefresh: TimeInterval

    var cached: ResolvedCredentials?
    var inFlight: Task<ResolvedCredentials, any Error>?
    /// How many times the chain was asked (for tests and diagnostics).
    public private(set) var resolutionCount = 0

    /// Creates a cache in front of a chain.
    public init(
        chain: CredentialProviderChain, advisoryRefresh: TimeInterval = 15 * 60, mandatoryRefresh: TimeInterval = 10 * 60,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.chain = chain
        self.advisoryRefresh = advisoryRefresh
        self.mandatoryRefresh = mandatoryRefresh
        self.now = now
    }

    /// The source of the current credentials, e.g. for `chatbot doctor`; `nil` before the first resolution.
    public var source: String? { self.cached?.source }

    /// Credentials valid for at least the mandatory window (or without expiry).
    public func credentials() async throws -> AWSCredentials {
        try await self.resolved().credentials
    }

    /// Credentials with their source.
    public func resolved() async throws -> ResolvedCredentials {
        if let cached = self.cached {
            guard let expiration = cached.credentials.expiration else { return cached }
            let left = expiration.timeIntervalSince(self.now())
            if left > self.advisoryRefresh { return cached }
            if left > self.mandatoryRefresh {
                // Advisory window: a failed refresh is not fatal while the old credentials still work.
                return (try? await self.refresh()) ?? cached
            }
        }
        return try await self.refresh()
    }

    /// Forgets the cached credentials, e.g. after the service answered `ExpiredTokenException`.
    public func invalidate() {
        self.cached = nil
    }

    func refresh() async throws -> ResolvedCredentials {
        if let inFlight = self.inFlight {
            return try await inFlight.value
        }
        let chain = self.chain
        let task = Task { try await chain.resolve() }
        self.inFlight = task
        defer { self.inFlight = nil }
        self.resolutionCount += 1
        let fresh = try await task.value
        if let expiration = fresh.credentials.expiration, expiration <= self.now() {
            throw BedrockError(
                .credentialsExpired,
                message: "The credentials from \(fresh.source) expired at \(expiration) already; check the credential source and the clock.")
        }
        self.cached = fresh
        return fresh
    }
}
