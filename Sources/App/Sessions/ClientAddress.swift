import Foundation
import HTTPTypes
import NIOCore

/// Which address a request comes from, for per-address limits.
///
/// Behind proxies, each proxy appends the address it received the connection from to X-Forwarded-For, so
/// only the rightmost `trustedHops` entries were written by proxies we trust; everything left of them is
/// whatever the client sent. With one trusted hop (App Runner, an ALB) the client is the last entry.
struct ClientAddressPolicy: Sendable {
    /// How many proxies in front of us append to X-Forwarded-For; 0 means the TCP peer is the client.
    let trustedHops: Int

    func clientAddress(headers: HTTPFields, peer: SocketAddress?) -> String {
        let peerAddress = peer?.ipAddress ?? "unknown"
        guard self.trustedHops > 0 else { return peerAddress }
        // Several X-Forwarded-For fields are one list, in order (RFC 9110 §5.3).
        let entries = headers[values: .xForwardedFor]
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !entries.isEmpty else { return peerAddress }
        // Fewer entries than trusted hops: the nearest proxy's view is the best there is.
        let index = max(entries.count - self.trustedHops, 0)
        return Self.plausible(entries[index]) ?? peerAddress
    }

    /// Addresses only (IPv4, IPv6, an optional port), bounded: the value becomes a database key.
    static func plausible(_ value: String) -> String? {
        guard !value.isEmpty, value.utf8.count <= 64,
            value.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isASCIIHexDigit || ".:[]".unicodeScalars.contains($0)) })
        else { return nil }
        return value
    }

    /// Whether the TCP peer is this machine. A request context without a channel address (the in-process
    /// test client) has no network peer at all, so it counts as local.
    static func isLoopback(_ peer: SocketAddress?) -> Bool {
        guard let peer else { return true }
        switch peer {
        case .unixDomainSocket: return true
        case .v4, .v6:
            guard let ip = peer.ipAddress else { return false }
            let lowered = ip.lowercased()
            return lowered.hasPrefix("127.") || lowered == "::1" || lowered.hasPrefix("::ffff:127.")
        }
    }
}
