import Accounts
import HTTPTypes
import Foundation
import Testing

@Suite("Session tokens") struct SessionTokenTests {
    let user = SessionUser(id: UUID(), email: "a@example.com", kind: .regular)

    @Test("a signed token round-trips")
    func roundTrip() throws {
        let codec = SessionCodec(secret: "secret-one-0123456789")
        let token = SessionToken(user: self.user, issuedAt: Date(timeIntervalSince1970: 1_800_000_000), lifetime: 3600)
        let decoded = codec.decode(codec.encode(token), now: Date(timeIntervalSince1970: 1_800_000_100))
        #expect(decoded?.user == self.user)
        #expect(decoded?.sessionID == token.sessionID)
    }

    @Test("a different AUTH_SECRET, a tampered payload or an expired token reads as no session")
    func rejected() throws {
        let codec = SessionCodec(secret: "secret-one-0123456789")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let value = codec.encode(SessionToken(user: self.user, issuedAt: now, lifetime: 60))
        #expect(SessionCodec(secret: "secret-two-0123456789").decode(value, now: now) == nil)
        #expect(codec.decode(value, now: now.addingTimeInterval(61)) == nil)
        var pieces = value.split(separator: ".").map(String.init)
        let forged = SessionToken(user: SessionUser(id: UUID(), email: nil, kind: .regular), issuedAt: now, lifetime: 60)
        pieces[1] = String(codec.encode(forged).split(separator: ".")[1])
        #expect(codec.decode(pieces.joined(separator: "."), now: now) == nil)
        #expect(codec.decode("garbage", now: now) == nil)
        #expect(codec.decode("v1..", now: now) == nil)
    }
}

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

extension HTTPField.Name {
    static let hostHeader = HTTPField.Name("Host")!
}
