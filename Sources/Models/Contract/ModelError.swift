/// Every provider failure a caller sees: a kind to branch on and a message that names the fix.
public struct ModelError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case accessDenied, inferenceProfileRequired, marketplaceSubscription, credentialsMissing, credentialsExpired, throttled,
            modelNotReady, invalidRequest, modelNotFound, timeout, unavailable, modelStreamError, invalidResponse, network, unknown
        /// Access to the model is not enabled for this account.
        case modelNotEnabled
        /// The model is Legacy and this account may not use it.
        case legacyModel
        /// This server has no free connection for the call: the user should try again shortly (not the endpoint's fault).
        case busy
    }

    public var kind: Kind
    /// For a human: what happened and what to do.
    public var message: String
    /// The provider's own error code, e.g. `ThrottlingException`.
    public var upstreamCode: String?
    /// Whether trying again later may help.
    public var isRetryable: Bool

    public init(kind: Kind, message: String, upstreamCode: String? = nil, isRetryable: Bool = false) {
        self.kind = kind
        self.message = message
        self.upstreamCode = upstreamCode
        self.isRetryable = isRetryable
    }

    public var description: String { self.message }
}
