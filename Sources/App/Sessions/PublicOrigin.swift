import Accounts
import Foundation
import HTTPTypes

/// The scheme, host and port a browser uses to reach us, never the bind address.
public struct PublicOrigin: Sendable, Equatable, CustomStringConvertible {
    public let scheme: String
    /// Host with its port when not the default one, e.g. `chat.example.com` or `localhost:3000`.
    public let authority: String

    public init(scheme: String, authority: String) {
        self.scheme = scheme.lowercased()
        self.authority = authority.lowercased()
    }

    /// Parses `https://host[:port]` (path ignored); nil for anything else.
    public init?(url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty
        else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        let portSuffix = components.port.map { $0 == defaultPort ? "" : ":\($0)" } ?? ""
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        self.init(scheme: scheme, authority: bracketed + portSuffix)
    }

    public var isSecure: Bool { self.scheme == "https" }
    public var description: String { "\(self.scheme)://\(self.authority)" }
}

/// Decides the public origin of a request, as Auth.js does with AUTH_URL and AUTH_TRUST_HOST.
struct OriginPolicy: Sendable {
    let configuredURL: PublicOrigin?
    let trustHost: Bool
    /// Local development accepts loopback hosts without configuration.
    let allowLoopback: Bool

    init(configuredURL: PublicOrigin?, trustHost: Bool, allowLoopback: Bool) {
        self.configuredURL = configuredURL
        self.trustHost = trustHost
        self.allowLoopback = allowLoopback
    }

    /// The request's public origin, or an `untrustedHost` error naming the setting to change.
    func origin(for headers: HTTPFields, authority: String?) throws(AccountError) -> PublicOrigin {
        if let configured = self.configuredURL { return configured }
        // An explicit Host field wins; HTTP/1 requests arrive with it folded into the authority.
        let host = headers[.hostField] ?? authority
        if self.trustHost {
            let forwardedHost = headers[.xForwardedHost].flatMap(Self.firstValue) ?? host
            let forwardedProto = headers[.xForwardedProto].flatMap(Self.firstValue)?.lowercased()
            guard let forwardedHost, Self.isPlausibleHost(forwardedHost) else { throw .untrustedHost(host ?? "(none)") }
            let scheme = forwardedProto == "https" ? "https" : "http"
            return PublicOrigin(scheme: scheme, authority: forwardedHost)
        }
        if self.allowLoopback, let host, Self.isPlausibleHost(host), Self.isLoopback(host) {
            return PublicOrigin(scheme: "http", authority: host)
        }
        throw .untrustedHost(host ?? "(none)")
    }

    static func firstValue(_ header: String) -> String? {
        header.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Host names and ports only: anything else in a Host header is an attack on the redirects we build.
    static func isPlausibleHost(_ host: String) -> Bool {
        !host.isEmpty && host.utf8.count <= 255
            && host.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-.:[]_".unicodeScalars.contains($0) }
    }

    static func isLoopback(_ authority: String) -> Bool {
        let host: Substring
        if authority.hasPrefix("[") {
            host = authority.dropFirst().prefix(while: { $0 != "]" })
        } else {
            host = authority.split(separator: ":", maxSplits: 1).first ?? ""
        }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1"
    }
}
