import Accounts
import Foundation

/// Who may use the server and how they sign in: GUESTS_ENABLED, REGISTRATION, ALLOWED_EMAIL_DOMAINS,
/// ADMIN_EMAILS and the OIDC_* variables, validated at start.
public struct AccessConfiguration: Sendable {
    public var policy: AccessPolicy
    /// Single sign-on through an OpenID provider; nil when OIDC_ISSUER is not set.
    public var oidc: OIDCSettings?

    public struct OIDCSettings: Sendable, Equatable {
        public var issuer: URL
        public var clientID: String
        public var clientSecret: String?
        public var scopes: [String]
        /// The provider's name on the sign-in button.
        public var displayName: String
    }

    init(environment env: [String: String]) throws(ConfigurationError) {
        let guests = try AppConfiguration.parse(env, "GUESTS_ENABLED", default: true, AppConfiguration.bool)
        let registration = try AppConfiguration.parse(env, "REGISTRATION", default: true) { raw -> Bool? in
            switch raw.lowercased() {
            case "open": true
            case "closed": false
            default: nil
            }
        }
        let domains = try Self.list(env, "ALLOWED_EMAIL_DOMAINS") { entry in
            let domain = entry.hasPrefix("@") ? String(entry.dropFirst()) : entry
            return domain.contains(".") && !domain.contains("@") && !domain.hasPrefix(".") && !domain.hasSuffix(".") ? domain : nil
        }
        let admins = try Self.list(env, "ADMIN_EMAILS") { entry in
            let parts = entry.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") ? entry : nil
        }
        self.policy = AccessPolicy(guestsEnabled: guests, registrationOpen: registration, allowedEmailDomains: domains, adminEmails: Set(admins))
        self.oidc = try Self.oidc(env)
    }

    /// A comma-separated list, each entry trimmed, lower-cased and checked.
    static func list(_ env: [String: String], _ name: String, _ check: (String) -> String?) throws(ConfigurationError) -> [String] {
        guard let raw = env[name].nonEmpty else { return [] }
        var values: [String] = []
        for entry in raw.split(separator: ",") {
            let trimmed = entry.trimmingCharacters(in: .whitespaces).lowercased()
            if trimmed.isEmpty { continue }
            guard let value = check(trimmed) else {
                throw ConfigurationError(variable: name, message: "\(name) has an invalid entry '\(trimmed)'; give a comma-separated list.")
            }
            values.append(value)
        }
        return values
    }

    static func oidc(_ env: [String: String]) throws(ConfigurationError) -> OIDCSettings? {
        guard let issuerText = env["OIDC_ISSUER"].nonEmpty else {
            for name in ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] where env[name].nonEmpty != nil {
                throw ConfigurationError(variable: "OIDC_ISSUER", message: "\(name) is set but OIDC_ISSUER is not; set the provider's issuer URL too.")
            }
            return nil
        }
        guard let issuer = URL(string: issuerText), let scheme = issuer.scheme?.lowercased(), let host = issuer.host?.lowercased(),
            scheme == "https" || (scheme == "http" && ["localhost", "127.0.0.1", "::1"].contains(host)), issuer.query == nil
        else {
            throw ConfigurationError(
                variable: "OIDC_ISSUER",
                message: "OIDC_ISSUER must be the provider's https issuer URL, e.g. https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc (got \(issuerText)).")
        }
        guard let clientID = env["OIDC_CLIENT_ID"].nonEmpty else {
            throw ConfigurationError(variable: "OIDC_CLIENT_ID", message: "OIDC_ISSUER is set but OIDC_CLIENT_ID is not; give the app client's id.")
        }
        let scopes = (env["OIDC_SCOPES"].nonEmpty ?? "openid email profile").split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard scopes.contains("openid") else {
            throw ConfigurationError(variable: "OIDC_SCOPES", message: "OIDC_SCOPES must include 'openid' (default: openid email profile).")
        }
        return OIDCSettings(
            issuer: issuer, clientID: clientID, clientSecret: env["OIDC_CLIENT_SECRET"].nonEmpty, scopes: scopes,
            displayName: env["OIDC_NAME"].nonEmpty ?? "single sign-on")
    }
}
