@testable import App
import Accounts
import Foundation
import HTTPTypes
import NIOCore
import Testing

@Suite("Public origin") struct PublicOriginTests {
    @Test("AUTH_URL wins over every header")
    func configuredURL() throws {
        let policy = OriginPolicy(configuredURL: PublicOrigin(url: "https://chat.example.com/ignored"), trustHost: true, allowLoopback: false)
        let origin = try policy.origin(for: [.hostHeader: "evil.example", HTTPField.Name("X-Forwarded-Host")!: "evil.example"], authority: nil)
        #expect(origin.description == "https://chat.example.com")
        #expect(origin.isSecure)
    }

    @Test("AUTH_TRUST_HOST takes the forwarded host and protocol")
    func trustedProxy() throws {
        let policy = OriginPolicy(configuredURL: nil, trustHost: true, allowLoopback: false)
        let origin = try policy.origin(
            for: [.hostHeader: "10.0.1.5:8080", HTTPField.Name("X-Forwarded-Host")!: "abc.us-east-1.awsapprunner.com", HTTPField.Name("X-Forwarded-Proto")!: "https"],
            authority: nil)
        #expect(origin.description == "https://abc.us-east-1.awsapprunner.com")
    }

    @Test("without trust, forwarded headers are ignored and unknown hosts are refused")
    func untrusted() {
        let policy = OriginPolicy(configuredURL: nil, trustHost: false, allowLoopback: true)
        #expect(throws: AccountError.untrustedHost("evil.example")) {
            try policy.origin(for: [.hostHeader: "evil.example", HTTPField.Name("X-Forwarded-Host")!: "localhost:3000"], authority: nil)
        }
        #expect((try? policy.origin(for: [.hostHeader: "localhost:3000"], authority: nil))?.description == "http://localhost:3000")
        #expect((try? policy.origin(for: [.hostHeader: "127.0.0.1:3000"], authority: nil))?.description == "http://127.0.0.1:3000")
        let production = OriginPolicy(configuredURL: nil, trustHost: false, allowLoopback: false)
        #expect(throws: AccountError.self) { try production.origin(for: [.hostHeader: "localhost:3000"], authority: nil) }
    }

    @Test("a Host header with anything but a host name is refused even when trusted")
    func hostile() {
        let policy = OriginPolicy(configuredURL: nil, trustHost: true, allowLoopback: true)
        #expect(throws: AccountError.self) { try policy.origin(for: [.hostHeader: "evil.example/path?x"], authority: nil) }
        #expect(throws: AccountError.self) { try policy.origin(for: [.hostHeader: "a b"], authority: nil) }
    }
}

@Suite("Guest redirect") struct GuestRedirectTests {
    @Test("only same-origin paths are followed", arguments: [
        ("/chat/123?x=1", "/chat/123?x=1"), ("/", "/"), (nil, "/"), ("https://evil.example/", "/"), ("//evil.example/", "/"),
        ("/\\evil.example", "/"), ("javascript:alert(1)", "/"), ("/api/auth/guest?redirectUrl=/", "/"), ("/ok\u{0A}Set-Cookie:x", "/"),
    ])
    func safePaths(input: String?, expected: String) {
        #expect(GuestRedirect.safePath(input) == expected)
    }
}

@Suite("Client address") struct ClientAddressTests {
    static let peer = try! SocketAddress(ipAddress: "10.0.0.7", port: 4000)

    @Test("behind one trusted proxy the client is the entry it appended, not the leftmost one")
    func oneHop() {
        let policy = ClientAddressPolicy(trustedHops: 1)
        // The client sent "1.2.3.4" itself; the proxy appended the real address.
        let headers: HTTPFields = [.xForwardedFor: "1.2.3.4, 203.0.113.9"]
        #expect(policy.clientAddress(headers: headers, peer: Self.peer) == "203.0.113.9")
        // Rotating the forged part changes nothing.
        let rotated: HTTPFields = [.xForwardedFor: "5.6.7.8, 203.0.113.9"]
        #expect(policy.clientAddress(headers: rotated, peer: Self.peer) == "203.0.113.9")
    }

    @Test("two hops, split header fields, junk and no header")
    func otherShapes() {
        let two = ClientAddressPolicy(trustedHops: 2)
        var split = HTTPFields()
        split.append(HTTPField(name: .xForwardedFor, value: "9.9.9.9, 198.51.100.2"))
        split.append(HTTPField(name: .xForwardedFor, value: "10.1.1.1"))
        #expect(two.clientAddress(headers: split, peer: Self.peer) == "198.51.100.2")
        let one = ClientAddressPolicy(trustedHops: 1)
        #expect(one.clientAddress(headers: [:], peer: Self.peer) == "10.0.0.7")
        #expect(one.clientAddress(headers: [.xForwardedFor: "1.1.1.1, <script>"], peer: Self.peer) == "10.0.0.7")
        // Without trusted proxies the header is ignored altogether.
        let none = ClientAddressPolicy(trustedHops: 0)
        #expect(none.clientAddress(headers: [.xForwardedFor: "1.2.3.4"], peer: Self.peer) == "10.0.0.7")
    }

    @Test("development accepts loopback peers only")
    func loopbackPeers() throws {
        #expect(ClientAddressPolicy.isLoopback(try SocketAddress(ipAddress: "127.0.0.1", port: 1)))
        #expect(ClientAddressPolicy.isLoopback(try SocketAddress(ipAddress: "::1", port: 1)))
        #expect(!ClientAddressPolicy.isLoopback(try SocketAddress(ipAddress: "192.168.1.20", port: 1)))
        #expect(!ClientAddressPolicy.isLoopback(try SocketAddress(ipAddress: "10.0.0.7", port: 1)))
        #expect(!ClientAddressPolicy.isLoopback(try SocketAddress(ipAddress: "fe80::1", port: 1)))
    }
}

@Suite("Assets") struct AssetLocatorTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test("Public/ is found from the binary's folder upwards, whatever the working directory")
    func foundNextToBinary() throws {
        let found = try AssetLocator.publicDirectory(
            configured: "", executable: Self.repository + "/.build/debug/chatbot", workingDirectory: "/")
        #expect(found == Self.repository + "/Public")
    }

    @Test("a PUBLIC_DIR without the assets, or no assets anywhere, stops start-up")
    func missing() {
        #expect(throws: ConfigurationError.self) {
            try AssetLocator.publicDirectory(configured: "/nonexistent/Public", executable: nil, workingDirectory: "/")
        }
        #expect(throws: ConfigurationError.self) {
            try AssetLocator.publicDirectory(configured: "", executable: "/usr/bin/chatbot", workingDirectory: "/")
        }
    }
}
