/// Whether this account can invoke a model, and if not the reason in a word or two: what `chatbot doctor` prints per model.
public enum InvocationVerdict: String, Sendable, Equatable {
    case ok
    /// The model is Legacy and this account may not use it.
    case legacy
    /// Model access (or the Marketplace subscription behind it) is not enabled for this account.
    case notEnabled = "not enabled"
    /// The id is not offered in this region (or not at all), or needs an inference profile from another geography.
    case wrongRegion = "wrong region or id"
    /// The role or key may not invoke it (IAM).
    case noPermission = "no permission"
    /// No usable credentials.
    case noCredentials = "no credentials"
    /// Anything else: the status column names the error kind.
    case failed

    /// The verdict for a probe's failure, from the error Bedrock returned (see `BedrockError.classify`).
    public init(_ error: ModelError?) {
        guard let error else {
            self = .ok
            return
        }
        switch error.kind {
        case .legacyModel: self = .legacy
        case .modelNotEnabled, .marketplaceSubscription: self = .notEnabled
        case .modelNotFound, .inferenceProfileRequired: self = .wrongRegion
        case .accessDenied: self = .noPermission
        case .credentialsMissing, .credentialsExpired: self = .noCredentials
        default: self = .failed
        }
    }
}
