import Bedrock
import Chat
import Foundation
import Logging
import Storage

/// Everything the server reads from its environment, validated once at start.
public struct AppConfiguration: Sendable {
    /// `production` demands explicit secrets; `development` fills in local defaults.
    public enum Mode: String, Sendable { case production, development }
    /// Log lines as JSON for CloudWatch, or text for people.
    public enum LogFormat: String, Sendable { case json, text }

    public var mode: Mode
    public var host: String
    public var port: Int
    public var database: DatabaseConfiguration
    public var dataDirectory: String
    public var authSecret: String?
    public var authTrustHost: Bool
    public var authURL: URL?
    /// Proxies in front of us that append to X-Forwarded-For (the client is that many entries from the right).
    public var trustedProxyHops: Int
    /// Guests one client address may create per hour.
    public var guestsPerAddressPerHour: Int
    /// Registration attempts one client address may make per hour.
    public var registrationsPerAddressPerHour: Int
    /// Providers, catalog, Bedrock client and connection pools.
    public var models: ModelConfiguration
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    public var autoMigrate: Bool
    /// The answer engine's clocks (flushes, polling, the title's wait, the shutdown drain): not read from the
    /// environment; tests on a loaded machine give the title longer.
    public var chatTiming = ChatTiming()
    /// PUBLIC_DIR as set; empty means "search" (see `AssetLocator`).
    public var publicDirectory: String
    public var vendorScriptsDirectory: String
    public var maxRequestBodyBytes: Int
    public var maxMessageLength: Int
    /// Silence after which every event stream sends a keep-alive comment (SSE_KEEPALIVE_SECONDS, 1…15).
    public var streamKeepAlive: Duration
    /// Seconds a connection may sit idle (including while it dribbles a request head) before it is closed.
    public var httpIdleTimeout: Int
    /// Seconds a client has to send a whole request, head to last body byte, so slow bodies cannot hold connections.
    public var httpRequestReadTimeout: Int
    public var guestMessagesPerDay: Int
    public var regularMessagesPerDay: Int
    /// Uploads: limits and the blob store (S3_BUCKET).
    public var files: FileConfiguration
    /// Guests, registration, allowed domains, administrators and single sign-on.
    public var access: AccessConfiguration
    /// `/metrics`: off, on a listener of its own, or on the public port behind a bearer token.
    public var metrics: MetricsConfiguration
    /// Every variable, as read at start.
    public var environment: [String: String]

    /// Parses the environment; throws a message naming the variable and the fix.
    public init(environment env: [String: String]) throws(ConfigurationError) {
        self.environment = env
        self.mode = try Self.parse(env, "CHATBOT_ENV", default: .development) { Mode(rawValue: $0.lowercased()) }
        // Development serves this machine only; production listens on every interface, as containers need.
        self.host = env["HOST"].nonEmpty ?? (self.mode == .development ? "127.0.0.1" : "0.0.0.0")
        self.port = try Self.parse(env, "PORT", default: 3000) { Int($0).flatMap { (0...65535).contains($0) ? $0 : nil } }
        self.dataDirectory = env["DATA_DIR"].nonEmpty ?? "data"
        do {
            self.database = try DatabaseConfiguration.from(postgresURL: env["POSTGRES_URL"], dataDirectory: self.dataDirectory)
        } catch {
            throw ConfigurationError(variable: "POSTGRES_URL", message: error.description)
        }
        if case .postgres(var settings) = self.database {
            let range = PostgresSettings.poolSizeRange
            settings.poolSize = try Self.parse(env, "DATABASE_POOL_SIZE", default: PostgresSettings.defaultPoolSize) {
                Int($0).flatMap { range.contains($0) ? $0 : nil }
            }
            self.database = .postgres(settings)
        }
        self.authSecret = env["AUTH_SECRET"].nonEmpty
        if let secret = self.authSecret, secret.utf8.count < 16 {
            throw ConfigurationError(variable: "AUTH_SECRET", message: "AUTH_SECRET is too short (\(secret.utf8.count) bytes); use at least 32 random bytes, e.g. `openssl rand -base64 32`.")
        }
        self.authTrustHost = try Self.parse(env, "AUTH_TRUST_HOST", default: false, Self.bool)
        if let raw = env["AUTH_URL"].nonEmpty {
            guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
                throw ConfigurationError(variable: "AUTH_URL", message: "AUTH_URL must be an absolute http(s) URL such as https://chat.example.com (got \(raw)).")
            }
            self.authURL = url
        }
        self.trustedProxyHops = try Self.parse(env, "TRUSTED_PROXY_HOPS", default: self.authTrustHost ? 1 : 0) {
            Int($0).flatMap { (0...10).contains($0) ? $0 : nil }
        }
        self.guestsPerAddressPerHour = try Self.parse(env, "GUEST_LIMIT_PER_ADDRESS", default: 50) { Int($0).flatMap { $0 > 0 ? $0 : nil } }
        self.registrationsPerAddressPerHour = try Self.parse(env, "REGISTER_LIMIT_PER_ADDRESS", default: 20) { Int($0).flatMap { $0 > 0 ? $0 : nil } }
        self.models = try ModelConfiguration(environment: env)
        self.logLevel = try Self.parse(env, "LOG_LEVEL", default: .info) { Logger.Level(rawValue: $0.lowercased()) }
        self.logFormat = try Self.parse(env, "LOG_FORMAT", default: self.mode == .production ? .json : .text) { LogFormat(rawValue: $0.lowercased()) }
        self.autoMigrate = try Self.parse(env, "AUTO_MIGRATE", default: true, Self.bool)
        self.publicDirectory = env["PUBLIC_DIR"].nonEmpty ?? ""
        self.vendorScriptsDirectory = env["VENDOR_JS_DIR"].nonEmpty ?? "/usr/share/javascript"
        self.maxRequestBodyBytes = try Self.parse(env, "MAX_REQUEST_BODY_BYTES", default: 1_048_576) { Int($0).flatMap { $0 > 0 ? $0 : nil } }
        // Longer than a load balancer's idle timeout (60 s on ALB) so the proxy, not the server, closes idle keep-alives.
        self.httpIdleTimeout = try Self.parse(env, "HTTP_IDLE_TIMEOUT", default: 75) { Int($0).flatMap { (1...3600).contains($0) ? $0 : nil } }
        self.httpRequestReadTimeout = try Self.parse(env, "HTTP_REQUEST_READ_TIMEOUT", default: 60) { Int($0).flatMap { (1...3600).contains($0) ? $0 : nil } }
        self.maxMessageLength = try Self.parse(env, "MAX_MESSAGE_LENGTH", default: 2000) { Int($0).flatMap { $0 > 0 ? $0 : nil } }
        self.streamKeepAlive = .milliseconds(
            try Self.parse(env, "SSE_KEEPALIVE_SECONDS", default: 15_000) { Double($0).flatMap { (0.05...15).contains($0) ? Int($0 * 1000) : nil } })
        self.guestMessagesPerDay = try Self.parse(env, "RATE_LIMIT_GUEST", default: 20) { Int($0).flatMap { $0 >= 0 ? $0 : nil } }
        self.regularMessagesPerDay = try Self.parse(env, "RATE_LIMIT_REGULAR", default: 50) { Int($0).flatMap { $0 >= 0 ? $0 : nil } }
        self.files = try FileConfiguration(environment: env, awsRegion: self.models.bedrock.region)
        self.access = try AccessConfiguration(environment: env)
        self.metrics = try MetricsConfiguration(environment: env, publicPort: self.port)
    }

    static func bool(_ raw: String) -> Bool? {
        switch raw.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off": false
        default: nil
        }
    }

    static func parse<T>(_ env: [String: String], _ name: String, default value: T, _ convert: (String) -> T?) throws(ConfigurationError) -> T {
        guard let raw = env[name].nonEmpty else { return value }
        guard let parsed = convert(raw) else {
            throw ConfigurationError(variable: name, message: "\(name) has an invalid value '\(raw)' (default: \(value)).")
        }
        return parsed
    }
}

/// A variable that is missing or malformed. The message never contains a secret.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var variable: String
    public var message: String
    public var description: String { self.message }
}

extension Optional where Wrapped == String {
    /// nil for absent or blank values, so `X=` in an env file means "not set".
    var nonEmpty: String? {
        guard let value = self?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
