/// A failure talking to Bedrock, classified so the caller can tell the user what to fix.
public struct BedrockError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as far as the fix is concerned.
    public enum Code: String, Sendable {
        /// `AccessDeniedException`: the role or key lacks permission (IAM).
        case accessDenied
        /// Model access is not enabled for this account (or the provider's use-case form is not submitted).
        case modelNotEnabled
        /// The model is Legacy (or end of life) and this account may not use it.
        case legacyModel
        /// The model id is not offered where the request went: a wrong id, or a region without it.
        case invalidModelIdentifier
        /// The model id needs an inference profile (`us.…`).
        case onDemandNotSupported
        /// AWS Marketplace permissions are missing for a first-use subscription.
        case marketplaceSubscription
        /// No credentials anywhere in the chain.
        case credentialsMissing
        /// `ExpiredTokenException`.
        case credentialsExpired
        /// Signature, key or token rejected (`InvalidSignatureException`, `UnrecognizedClientException`, …).
        case credentialsInvalid
        /// `ThrottlingException`.
        case throttling
        /// `ValidationException` (other than the on-demand case).
        case validation
        /// `ResourceNotFoundException`.
        case resourceNotFound
        /// `ModelTimeoutException`.
        case modelTimeout
        /// `ModelNotReadyException`.
        case modelNotReady
        /// `ModelErrorException` or a `modelStreamErrorException` event.
        case modelError
        /// `ServiceUnavailableException`.
        case serviceUnavailable
        /// `InternalServerException` or another 5xx.
        case internalServer
        /// A client-side timeout: connect, first byte, or idle between events.
        case timeout
        /// Connection refused, reset, DNS, TLS.
        case connection
        /// This client's connection pool had no free connection in time: the caller is busy, not Bedrock.
        case clientBusy
        /// Bytes that are not a valid response: corrupt frames, bad JSON, a stream without `messageStop`.
        case invalidResponse
        case unknown
    }

    public var code: Code
    /// A sentence for a human that names the fix.
    public var message: String
    /// The service's error code (`x-amzn-ErrorType` or the exception event type), if any.
    public var upstreamCode: String?
    /// The service's own message, if any.
    public var serviceMessage: String?
    /// The HTTP status, if the error came from a response.
    public var statusCode: Int?
    /// `x-amzn-RequestId`, for AWS support.
    public var requestID: String?

    public init(
        _ code: Code, message: String, upstreamCode: String? = nil, serviceMessage: String? = nil, statusCode: Int? = nil,
        requestID: String? = nil
    ) {
        self.code = code
        self.message = message
        self.upstreamCode = upstreamCode
        self.serviceMessage = serviceMessage
        self.statusCode = statusCode
        self.requestID = requestID
    }

    /// Whether sending the same request again may succeed (before any output was produced).
    public var isRetryable: Bool {
        switch self.code {
        case .throttling, .serviceUnavailable, .internalServer, .timeout, .connection: return true
        default: return false
        }
    }

    /// The message, with the upstream code and request id when known.
    public var description: String {
        var text = self.message
        if let code = self.upstreamCode { text += " [\(code)]" }
        if let id = self.requestID { text += " (request id \(id))" }
        return text
    }
}
