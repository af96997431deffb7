import Foundation

/// An Amazon Bedrock API key, sent as `Authorization: Bearer <key>` instead of a SigV4 signature.
///
/// botocore does the same when `AWS_BEARER_TOKEN_BEDROCK` is set and no signature version is configured in code
/// (`handlers._set_auth_scheme_preference_signer`, `auth.BearerAuth`). The key never appears in descriptions or logs.
public struct BedrockAPIKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The variable the AWS SDKs read: `AWS_BEARER_TOKEN_` + the signing name, upper-cased.
    public static let environmentVariable = "AWS_BEARER_TOKEN_BEDROCK"

    let value: String

    /// A key; `nil` when blank.
    public init?(_ value: String) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        self.value = trimmed
    }

    /// The key from an injected environment, if set.
    public static func fromEnvironment(_ environment: [String: String]) -> BedrockAPIKey? {
        environment[Self.environmentVariable].flatMap(BedrockAPIKey.init)
    }

    var authorization: String { "Bearer \(self.value)" }

    public var description: String { "Bedrock API key (\(Self.environmentVariable))" }
    public var debugDescription: String { self.description }
    /// No children, so `dump` shows no key either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
