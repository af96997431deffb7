/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optionally `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialProvider: CredentialProvider {
    let environment: [String: String]

    /// Reads from the given environment (injected, never the process's own).
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// `environment variables`.
    public var sourceName: String { "environment variables" }

    /// Found when both the key id and the secret are set and non-empty.
    public func lookup() async throws -> CredentialLookup {
        let key = self.environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = self.environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (key, secret) {
        case (let key?, let secret?):
            let token = self.environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return .found(AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token))
        case (.some, nil):
            return .notConfigured("environment variables: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        case (nil, .some):
            return .notConfigured("environment variables: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (nil, nil):
            return .notConfigured("environment variables: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        }
    }
}
