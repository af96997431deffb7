import Accounts
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

    @Test("renewal extends a session but never past 30 days after sign-in")
    func absoluteLifetime() throws {
        let codec = SessionCodec(secret: "secret-one-0123456789")
        let signIn = Date(timeIntervalSince1970: 1_800_000_000)
        var token = SessionToken(user: self.user, issuedAt: signIn, lifetime: SessionCodec.idleLifetime)
        // Renewed every day for 40 days: the expiry stops at sign-in + 30 days.
        for day in 1...40 {
            token = token.renewed(at: signIn.addingTimeInterval(Double(day) * 86_400))
        }
        #expect(token.expiresAt == signIn.addingTimeInterval(SessionCodec.absoluteLifetime))
        #expect(codec.decode(codec.encode(token), now: signIn.addingTimeInterval(29 * 86_400)) != nil)
        #expect(codec.decode(codec.encode(token), now: signIn.addingTimeInterval(30 * 86_400 + 1)) == nil)
    }
}
