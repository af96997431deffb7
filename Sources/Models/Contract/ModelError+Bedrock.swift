import Bedrock
import StreamBridge

extension ModelError {
    /// The one place Bedrock's errors become `ModelError`s; the message (which names the fix) is kept.
    public init(bedrock error: BedrockError) {
        let kind: Kind
        switch error.code {
        case .accessDenied, .credentialsInvalid: kind = .accessDenied
        case .onDemandNotSupported: kind = .inferenceProfileRequired
        case .marketplaceSubscription: kind = .marketplaceSubscription
        case .credentialsMissing: kind = .credentialsMissing
        case .credentialsExpired: kind = .credentialsExpired
        case .throttling: kind = .throttled
        case .validation: kind = .invalidRequest
        case .resourceNotFound, .invalidModelIdentifier: kind = .modelNotFound
        case .modelNotEnabled: kind = .modelNotEnabled
        case .legacyModel: kind = .legacyModel
        case .modelTimeout, .timeout: kind = .timeout
        case .modelNotReady: kind = .modelNotReady
        case .modelError: kind = .modelStreamError
        case .serviceUnavailable, .internalServer: kind = .unavailable
        case .connection: kind = .network
        case .clientBusy: kind = .busy
        case .invalidResponse: kind = .invalidResponse
        case .unknown: kind = .unknown
        }
        let retryable = error.isRetryable || error.code == .modelNotReady || error.code == .modelTimeout || error.code == .modelError
        self.init(kind: kind, message: error.message, upstreamCode: error.upstreamCode, isRetryable: retryable)
    }

    /// Any error from a provider as a `ModelError`; cancellation passes through unchanged.
    static func wrap(_ error: any Error) -> any Error {
        switch error {
        case let error as ModelError: return error
        case let error as BedrockError: return ModelError(bedrock: error)
        case is CancellationError: return error
        default: return ModelError(kind: .unknown, message: "The model call failed: \(error)")
        }
    }
}

/// Runs a producer in a task and exposes its events as a stream whose errors are `ModelError`s.
enum ModelEventStream {
    static func make(
        _ produce: @escaping @Sendable (AsyncThrowingStream<ModelEvent, any Error>.Continuation) async throws -> Void
    ) -> AsyncThrowingStream<ModelEvent, any Error> {
        AsyncBridge.stream(mapError: ModelError.wrap, produce)
    }
}
