/// Why a single sign-on could not finish. Each case has a page for the user and a log line for the operator.
public enum SSOError: Error, Equatable, Sendable {
    /// OIDC_ISSUER is not set.
    case notConfigured
    /// Discovery, the key set or the token endpoint failed; `reason` is for the log (never a token).
    case providerUnavailable(reason: String)
    /// The callback's state is unknown, expired, already used, or not this browser's.
    case invalidState
    /// The provider sent the user back with an error (e.g. `access_denied`).
    case providerRefused(code: String)
    case tokenRejected(IDTokenError)
    /// The ID token has no e-mail (the `email` scope is missing or the provider does not release it).
    case emailMissing
    case emailNotVerified
}
