import Foundation

/// A set of AWS credentials, long-term (access key and secret) or temporary (with a session token and an expiry).
public struct AWSCredentials: Sendable, Equatable {
    /// The access key id, e.g. `AKIA…` or `ASIA…`.
    public var accessKeyID: String
    /// The secret access key; it never leaves this process.
    public var secretAccessKey: String
    /// The session token of temporary credentials, sent as `x-amz-security-token`.
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public var expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }
}
