import Accounts
import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// Time-dependent account rules, seen over HTTP. Instead of waiting hours, the tests make the past:
/// cookies issued earlier (signed with the app's secret) and failures recorded earlier (in the database).
@Suite("Accounts over time") struct SessionTimeTests {
    let auth = AuthTests()

    func cookie(for user: SessionUser, issuedAt: Date, lifetime: TimeInterval = SessionCodec.lifetime) -> Browser {
        let token = SessionToken(user: user, issuedAt: issuedAt, lifetime: lifetime)
        return Browser(cookie: "\(SessionCodec.cookieName)=\(SessionCodec(secret: AuthTests.secret).encode(token))")
    }

    @Test("a session older than a day is renewed on the next request; a younger one is left alone; an expired one is no session")
    func cookieRenewal() async throws {
        try await TestApp.with { client, _ in
            let user = try await self.auth.sessionUser(try await Browser.guest(client), client)
            let young = try await self.cookie(for: user, issuedAt: Date().addingTimeInterval(-23 * 3600)).send(client, .get, "/api/history")
            #expect(young.status == .ok)
            #expect(young.headers[.setCookie] == nil)

            let before = Date()
            let old = try await self.cookie(for: user, issuedAt: Date().addingTimeInterval(-25 * 3600)).send(client, .get, "/api/history")
            #expect(old.status == .ok)
            let setCookie = try #require(old.headers[.setCookie])
            #expect(setCookie.contains("Max-Age=\(Int(SessionCodec.lifetime))"))
            #expect(setCookie.contains("HttpOnly"))
            let value = try #require(setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init))
            let renewed = try #require(SessionCodec(secret: AuthTests.secret).decode(value))
            #expect(renewed.user == user)
            #expect(renewed.issuedAt.timeIntervalSince(before) > -2)
            #expect(abs(renewed.expiresAt.timeIntervalSince(renewed.issuedAt) - SessionCodec.lifetime) < 1)

            // 30 days and one minute ago, with the 30-day lifetime: expired.
            let expired = try await self.cookie(for: user, issuedAt: Date().addingTimeInterval(-SessionCodec.lifetime - 60)).send(client, .get, "/api/history")
            #expect(expired.status == .unauthorized)
        }
    }

    @Test("failed logins older than the 15-minute window no longer count; younger ones do, until they age out", arguments: TestDatabase.kinds)
    func throttleWindow(kind: DatabaseKind) async throws {
        try await TestApp.with(kind) { client, services in
            try await self.auth.register(client, "erin@example.com")
            try await self.auth.register(client, "frank@example.com")
            let quota = QuotaRepository(database: services.database)
            let now = Date()
            for _ in 0..<5 { try await quota.recordFailure(key: "account:erin@example.com", at: now.addingTimeInterval(-16 * 60)) }
            for _ in 0..<5 { try await quota.recordFailure(key: "account:frank@example.com", at: now.addingTimeInterval(-14 * 60)) }
            let browser = try await Browser.guest(client)
            #expect(try await self.auth.login(browser, client, "erin@example.com", "password123").status == .ok)
            let asked = Date()
            let blocked = try await self.auth.login(browser, client, "frank@example.com", "password123")
            let answered = Date()
            #expect(blocked.status == .tooManyRequests)
            // The oldest of frank's failures leaves the window one minute after `now`; Retry-After counts down
            // to that instant from when the server answered.
            let leaves = now.addingTimeInterval(60)
            let retryAfter = try #require(blocked.headers[.retryAfter].flatMap { Int($0) })
            let bounds = max(1, Int(leaves.timeIntervalSince(answered)) - 1)...max(1, Int(leaves.timeIntervalSince(asked).rounded(.up)) + 1)
            #expect(bounds.contains(retryAfter), "Retry-After \(retryAfter), expected within \(bounds)")
        }
    }

    @Test("a successful login clears the account's failures", arguments: TestDatabase.kinds)
    func throttleResetOnSuccess(kind: DatabaseKind) async throws {
        try await TestApp.with(kind) { client, _ in
            try await self.auth.register(client, "gina@example.com")
            let browser = try await Browser.guest(client)
            for round in 0..<2 {
                for _ in 0..<4 { #expect(try await self.auth.login(browser, client, "gina@example.com", "wrong-password").status == .unauthorized) }
                // Without the reset, the second round's success would be the ninth attempt after eight failures.
                #expect(try await self.auth.login(browser, client, "gina@example.com", "password123").status == .ok, "round \(round)")
            }
        }
    }

    @Test("one address guessing across many accounts is throttled after 20 failures, even for a right password", arguments: TestDatabase.kinds)
    func throttlePerAddress(kind: DatabaseKind) async throws {
        try await TestApp.with(kind) { client, _ in
            try await self.auth.register(client, "hank@example.com")
            let browser = try await Browser.guest(client)
            // Every test request comes from the same (unknown) address; each account sees one failure.
            for index in 0..<20 {
                #expect(try await self.auth.login(browser, client, "nobody\(index)@example.com", "wrong-password").status == .unauthorized)
            }
            let blocked = try await self.auth.login(browser, client, "hank@example.com", "password123")
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.headers[.retryAfter] != nil)
        }
    }
}
