import Accounts
import Foundation
import HTTPTypes
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// The rolling session: a cookie used after a day gets a renewed one (same session, same sign-in time,
/// a new idle expiry); a younger cookie is left alone; one idle past its lifetime is no session. The past is
/// built by signing tokens with earlier times, so nothing waits.
@Suite("Session renewal") struct SessionRenewalTests {
    static let secret = "test-secret-0123456789-abcdefghij"

    @Test("a cookie older than a day is renewed on use, keeping the session and its sign-in time; a younger one is not", arguments: TestDatabase.kinds)
    func renewedAfterADay(kind: DatabaseKind) async throws {
        try await TestApp.with(kind) { client, _ in
            let codec = SessionCodec(secret: Self.secret)
            let guest = try await Browser.guest(client)
            let value = try #require(guest.cookie?.split(separator: "=", maxSplits: 1).last.map(String.init))
            let signedIn = try #require(codec.decode(value, now: Date()))

            func use(issuedHoursAgo hours: Double) async throws -> (status: HTTPResponse.Status, renewed: SessionToken?, before: Date, after: Date) {
                let issued = Date().addingTimeInterval(-hours * 3600)
                let old = SessionToken(
                    user: signedIn.user, sessionID: signedIn.sessionID, issuedAt: issued, lifetime: SessionCodec.idleLifetime, authenticatedAt: issued)
                let browser = Browser(cookie: "\(SessionCodec.cookieName)=\(codec.encode(old))")
                let before = Date()
                let response = try await browser.send(client, .get, "/api/history")
                let after = Date()
                let renewed = response.headers[.setCookie].flatMap { header -> SessionToken? in
                    let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                    guard pair.count == 2, pair[0] == SessionCodec.cookieName else { return nil }
                    return codec.decode(String(pair[1]), now: after)
                }
                return (response.status, renewed, before, after)
            }

            let young = try await use(issuedHoursAgo: 23)
            #expect(young.status == .ok)
            #expect(young.renewed == nil, "a cookie younger than a day is not reissued")

            let day = try await use(issuedHoursAgo: 25)
            #expect(day.status == .ok)
            let renewed = try #require(day.renewed, "a cookie older than a day is reissued")
            #expect(renewed.sessionID == signedIn.sessionID)
            #expect(renewed.user == signedIn.user)
            // The token stores whole seconds' worth of precision loosely: allow one second either side.
            #expect(renewed.issuedAt >= day.before.addingTimeInterval(-1) && renewed.issuedAt <= day.after.addingTimeInterval(1))
            #expect(abs(renewed.authenticatedAt.timeIntervalSince(day.before.addingTimeInterval(-25 * 3600))) < 2, "renewal keeps the sign-in time")
            #expect(abs(renewed.expiresAt.timeIntervalSince(renewed.issuedAt) - SessionCodec.idleLifetime) < 1)

            // Idle longer than the idle lifetime: the cookie has expired, so the request has no session.
            let idle = try await use(issuedHoursAgo: SessionCodec.idleLifetime / 3600 + 1)
            #expect(idle.status == .unauthorized)
        }
    }
}
