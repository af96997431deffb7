import Crypto
import Foundation

/// Finds the key that signs sessions: AUTH_SECRET, or in development one generated once and kept
/// in the data folder so sessions survive restarts.
enum AuthSecret {
    static func resolve(_ configuration: AppConfiguration) throws -> String {
        if let secret = configuration.authSecret { return secret }
        guard configuration.mode == .development else {
            throw ConfigurationError(
                variable: "AUTH_SECRET",
                message: "AUTH_SECRET is required when CHATBOT_ENV=production: it signs session cookies. Generate one with `openssl rand -base64 32` and set it (App Runner: from Secrets Manager).")
        }
        let folder = configuration.dataDirectory
        let path = (folder as NSString).appendingPathComponent("auth-secret")
        if let existing = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), existing.count >= 32 {
            return existing
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let secret = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
        FileManager.default.createFile(atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
        return secret
    }
}
