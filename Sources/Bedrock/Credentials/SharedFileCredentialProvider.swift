import Foundation

/// Static keys from the shared credentials file, then the config file, for the selected profile.
public struct SharedFileCredentialProvider: CredentialProvider {
    let environment: [String: String]

    /// Uses `AWS_PROFILE`, `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE` and `HOME` from the given environment.
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// `shared credentials file (profile …)`.
    public var sourceName: String { "shared files (profile \(AWSConfigFile.profileName(environment: self.environment)))" }

    /// Found when the profile has `aws_access_key_id` and `aws_secret_access_key` in either file.
    public func lookup() async throws -> CredentialLookup {
        let profile = AWSConfigFile.profileName(environment: self.environment)
        let credentialsPath = AWSConfigFile.credentialsPath(environment: self.environment)
        let configPath = AWSConfigFile.configPath(environment: self.environment)
        var notes: [String] = []
        if let data = FileManager.default.contents(atPath: credentialsPath) {
            let sections = AWSConfigFile.parse(String(decoding: data, as: UTF8.self))
            if let found = Self.credentials(in: sections[profile]) { return .found(found) }
            notes.append("\(credentialsPath) has no keys for profile \(profile)")
        } else {
            notes.append("\(credentialsPath) not found")
        }
        if let data = FileManager.default.contents(atPath: configPath) {
            let sections = AWSConfigFile.parse(String(decoding: data, as: UTF8.self))
            if let found = Self.credentials(in: AWSConfigFile.configSection(sections, profile: profile)) { return .found(found) }
            notes.append("\(configPath) has no keys for profile \(profile)")
        } else {
            notes.append("\(configPath) not found")
        }
        return .notConfigured("shared files: " + notes.joined(separator: "; "))
    }

    static func credentials(in section: [String: String]?) -> AWSCredentials? {
        guard let section, let key = section["aws_access_key_id"], let secret = section["aws_secret_access_key"],
            !key.isEmpty, !secret.isEmpty
        else { return nil }
        let token = section["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token)
    }
}
