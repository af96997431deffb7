import Foundation

/// Where the data lives: a PostgreSQL server (production) or a SQLite file (local runs).
public enum DatabaseConfiguration: Sendable, Equatable {
    case postgres(PostgresSettings)
    case sqlite(path: String)

    /// Reads `POSTGRES_URL` when present; otherwise SQLite at `<dataDirectory>/chatbot.sqlite`.
    public static func from(postgresURL: String?, dataDirectory: String) throws(DatabaseConfigurationError) -> Self {
        if let url = postgresURL?.trimmingCharacters(in: .whitespaces), !url.isEmpty {
            return .postgres(try PostgresSettings(url: url))
        }
        return .sqlite(path: (dataDirectory as NSString).appendingPathComponent("chatbot.sqlite"))
    }

    /// A description safe to log: never contains a password.
    public var redacted: String {
        switch self {
        case .postgres(let settings): settings.redacted
        case .sqlite(let path): "sqlite:\(path)"
        }
    }
}

/// How to reach PostgreSQL, parsed from a `postgresql://` URL.
public struct PostgresSettings: Sendable, Equatable {
    /// libpq's sslmode values; they decide whether TLS is used and what is verified.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// A PEM bundle of CA certificates to trust (`sslrootcert`), e.g. the RDS bundle for verify-full.
    public var sslRootCertificatePath: String?
    /// Connections the pool may hold (`DATABASE_POOL_SIZE`). Each instance also keeps one more, outside the
    /// pool, listening for run changes; every instance's total must stay under the server's max_connections.
    public var poolSize: Int = Self.defaultPoolSize
    public static let defaultPoolSize = 20
    public static let poolSizeRange = 1...2000

    /// Parses `postgresql://user:password@host:port/database?sslmode=require`.
    public init(url string: String) throws(DatabaseConfigurationError) {
        guard let components = URLComponents(string: string) else {
            throw .malformedURL(Self.redact(string), reason: "it is not a valid URL")
        }
        guard let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw .malformedURL(Self.redact(string), reason: "the scheme must be postgresql:// or postgres://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .malformedURL(Self.redact(string), reason: "it names no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw .malformedURL(Self.redact(string), reason: "it names no user (postgresql://USER:PASSWORD@HOST/DB)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw .malformedURL(Self.redact(string), reason: "it names no database (…@HOST:5432/DATABASE)")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let mode: SSLMode
        if let value = query["sslmode"] {
            guard let parsed = SSLMode(rawValue: value) else {
                let allowed = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw .malformedURL(Self.redact(string), reason: "sslmode '\(value)' is not one of \(allowed)")
            }
            mode = parsed
        } else {
            mode = .prefer
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.sslMode = mode
        self.sslRootCertificatePath = query["sslrootcert"]
    }

    /// The URL without its password.
    public var redacted: String {
        "postgresql://\(self.username)\(self.password == nil ? "" : ":***")@\(self.host):\(self.port)/\(self.database)?sslmode=\(self.sslMode.rawValue)"
    }

    /// Replaces whatever sits between `://user:` and `@` so a malformed URL can still be quoted in an error.
    static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url.range(of: "@", options: .backwards) else { return "<unparseable URL>" }
        let credentials = url[schemeEnd.upperBound..<at.lowerBound]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at.lowerBound...])
    }
}

/// A configuration problem, phrased for the person who set the variable.
public enum DatabaseConfigurationError: Error, CustomStringConvertible, Equatable {
    case malformedURL(String, reason: String)

    public var description: String {
        switch self {
        case .malformedURL(let redactedURL, let reason):
            "POSTGRES_URL is malformed: \(reason). Expected postgresql://USER:PASSWORD@HOST:5432/DATABASE?sslmode=require (got \(redactedURL))."
        }
    }
}
