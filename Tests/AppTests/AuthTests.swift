import Accounts
import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

@Suite("Accounts over HTTP") struct AuthTests {
    struct Credentials: Encodable { let email: String; let password: String }

    @Test("API calls without a session get 401 JSON; pages redirect through guest sign-in and back")
    func guestFlow() async throws {
        try await TestApp.with { client, _ in
            let anonymous = Browser()
            let api = try await anonymous.send(client, .get, "/api/history")
            #expect(api.status == .unauthorized)
            #expect(api.json["code"] as? String == "unauthorized:auth")
            let guest = try await client.execute(uri: "/api/auth/guest?redirectUrl=%2Fchat%2Fabc", method: .get, headers: anonymous.headers)
            #expect(guest.status == .seeOther)
            #expect(guest.headers[.location] == "/chat/abc?cookie-check=1")
            let cookie = try #require(guest.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
            var browser = anonymous
            browser.cookie = String(cookie.split(separator: ";")[0])
            let session = try await browser.send(client, .get, "/api/auth/session")
            let user = try #require(session.json["user"] as? [String: Any])
            #expect(user["type"] as? String == "guest")
            #expect(user["email"] is NSNull)
        }
    }

    @Test("an open redirect through guest sign-in is refused")
    func noOpenRedirect() async throws {
        try await TestApp.with { client, _ in
            let response = try await client.execute(uri: "/api/auth/guest?redirectUrl=https://evil.example/", method: .get, headers: [.hostHeader: "localhost:3000"])
            #expect(response.headers[.location] == "/?cookie-check=1")
        }
    }

    @Test("register from a guest keeps the same user; logout then login returns to it", arguments: TestDatabase.kinds)
    func registerLogoutLogin(kind: DatabaseKind) async throws {
        try await TestApp.with(kind) { client, services in
            var browser = try await Browser.guest(client)
            let guestID = try #require((try await browser.send(client, .get, "/api/auth/session").json["user"] as? [String: Any])?["id"] as? String)
            let registered = try await browser.send(client, .post, "/api/auth/register", body: browser.json(Credentials(email: " Alice@Example.COM ", password: "correct horse")))
            #expect(registered.status == .ok)
            let user = try #require(registered.json["user"] as? [String: Any])
            #expect(user["id"] as? String == guestID)
            #expect(user["email"] as? String == "alice@example.com")
            #expect(user["type"] as? String == "regular")
            let newCookie = try #require(registered.headers[.setCookie]).split(separator: ";")[0]
            #expect(String(newCookie) != browser.cookie)
            browser.cookie = String(newCookie)

            let logout = try await browser.send(client, .post, "/api/auth/logout")
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
            var fresh = try await Browser.guest(client)
            let login = try await fresh.send(client, .post, "/api/auth/login", body: fresh.json(Credentials(email: "alice@example.com", password: "correct horse")))
            #expect(login.status == .ok)
            #expect((login.json["user"] as? [String: Any])?["id"] as? String == guestID)
            fresh.cookie = try #require(login.headers[.setCookie]).split(separator: ";").first.map(String.init)
            #expect((try await fresh.send(client, .get, "/api/auth/session").json["user"] as? [String: Any])?["type"] as? String == "regular")
            #expect(try await UserRepository(database: services.database).find(email: "alice@example.com") != nil)
        }
    }

    @Test("wrong password, unknown email, duplicate email and short password are refused clearly", arguments: TestDatabase.kinds)
    func refusals(kind: DatabaseKind) async throws {
        try await TestApp.with(kind) { client, _ in
            let browser = try await Browser.guest(client)
            let registered = try await browser.send(client, .post, "/api/auth/register", body: browser.json(Credentials(email: "bob@example.com", password: "password123")))
            #expect(registered.status == .ok)
            let other = try await Browser.guest(client)
            let duplicate = try await other.send(client, .post, "/api/auth/register", body: other.json(Credentials(email: "BOB@example.com", password: "password123")))
            #expect(duplicate.status == .badRequest)
            #expect((duplicate.json["message"] as? String)?.contains("cannot be registered") == true)
            let short = try await other.send(client, .post, "/api/auth/register", body: other.json(Credentials(email: "c@example.com", password: "short")))
            #expect((short.json["message"] as? String)?.contains("8 characters") == true)
            let wrong = try await other.send(client, .post, "/api/auth/login", body: other.json(Credentials(email: "bob@example.com", password: "wrong-password")))
            #expect(wrong.status == .unauthorized)
            let unknown = try await other.send(client, .post, "/api/auth/login", body: other.json(Credentials(email: "nobody@example.com", password: "wrong-password")))
            #expect(unknown.status == .unauthorized)
            #expect(unknown.json["message"] as? String == wrong.json["message"] as? String)
        }
    }

    @Test("repeated failed logins for one account are throttled with Retry-After; other accounts are not", arguments: TestDatabase.kinds)
    func throttling(kind: DatabaseKind) async throws {
        try await TestApp.with(kind) { client, _ in
            try await self.register(client, "carol@example.com")
            try await self.register(client, "dave@example.com")
            let attacker = try await Browser.guest(client)
            let firstAttempt = Date()
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<6 {
                statuses.append(try await self.login(attacker, client, "carol@example.com", "guess-guess").status)
            }
            #expect(statuses == Array(repeating: .unauthorized, count: 5) + [.tooManyRequests])
            let blocked = try await self.login(attacker, client, "carol@example.com", "password123")
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.json["code"] as? String == "rate_limit:auth")
            // The oldest failure leaves the 15-minute window 15 minutes after it happened.
            let retryAfter = try #require(blocked.headers[.retryAfter].flatMap { Int($0) })
            let elapsed = Int(Date().timeIntervalSince(firstAttempt).rounded(.up))
            #expect((15 * 60 - elapsed - 1)...(15 * 60) ~= retryAfter, "Retry-After \(retryAfter) after \(elapsed) s")
            // Another account from the same address is not affected.
            #expect(try await self.login(attacker, client, "dave@example.com", "password123").status == .ok)
        }
    }

    @Test("cross-site state changes are refused; same-origin ones pass")
    func csrf() async throws {
        try await TestApp.with { client, _ in
            let browser = try await Browser.guest(client)
            let crossSite = try await browser.send(client, .post, "/api/auth/logout", headers: [HTTPField.Name("Origin")!: "https://evil.example"])
            #expect(crossSite.status == .forbidden)
            #expect(crossSite.json["code"] as? String == "forbidden:auth")
            var evilReferer = browser
            evilReferer.origin = "http://localhost:3000"
            var headers = evilReferer.headers
            headers[.referer] = "https://evil.example/page"
            headers[.contentType] = "application/json"
            let refererOnly = try await client.execute(uri: "/api/auth/logout", method: .post, headers: headers)
            #expect(refererOnly.status == .forbidden)
            let sameSite = try await browser.send(client, .post, "/api/auth/logout")
            #expect(sameSite.status == .ok)
        }
    }

    @Test("an unknown Host is refused with UntrustedHost unless AUTH_TRUST_HOST is on")
    func untrustedHost() async throws {
        try await TestApp.with { client, _ in
            let response = try await client.execute(uri: "/api/auth/session", method: .get, headers: [.hostHeader: "evil.example"])
            #expect(response.status == .badRequest)
            #expect((response.json["message"] as? String)?.contains("UntrustedHost") == true)
            #expect((response.json["message"] as? String)?.contains("AUTH_TRUST_HOST") == true)
        }
        try await TestApp.with(environment: ["AUTH_TRUST_HOST": "true"]) { client, _ in
            let headers: HTTPFields = [.hostHeader: "10.0.0.5:8080", HTTPField.Name("X-Forwarded-Host")!: "chat.example.com", HTTPField.Name("X-Forwarded-Proto")!: "https"]
            let response = try await client.execute(uri: "/api/auth/guest?redirectUrl=/", method: .get, headers: headers)
            #expect(response.headers[.location] == "/?cookie-check=1")
            #expect(response.headers[.setCookie]?.contains("Secure") == true)
        }
    }

    @Test("AUTH_URL decides the origin even when forwarded headers lie")
    func authURL() async throws {
        try await TestApp.with(environment: ["AUTH_URL": "https://chat.example.com", "AUTH_TRUST_HOST": "true"]) { client, _ in
            let headers: HTTPFields = [.hostHeader: "0.0.0.0:3000", HTTPField.Name("X-Forwarded-Host")!: "evil.example"]
            let response = try await client.execute(uri: "/api/auth/guest?redirectUrl=/x", method: .get, headers: headers)
            #expect(response.headers[.location] == "/x?cookie-check=1")
            #expect(response.headers[.setCookie]?.contains("Secure") == true)
        }
    }

    @Test("a session signed with an old AUTH_SECRET becomes no session, not an error")
    func rotatedSecret() async throws {
        try await TestApp.with { client, _ in
            let guest = try await Browser.guest(client)
            // The guest's own, live session, read back from its cookie: signed with today's secret it is a session...
            let value = try #require(guest.cookie?.split(separator: "=", maxSplits: 1).last.map(String.init))
            let token = try #require(SessionCodec(secret: Self.secret).decode(value))
            #expect(try await guest.send(client, .get, "/api/history").status == .ok)
            // ...signed with the secret before a rotation it is no session at all.
            let rotated = Browser(cookie: "\(SessionCodec.cookieName)=\(SessionCodec(secret: "the-old-secret-0123456789-abcdefghij").encode(token))")
            let response = try await rotated.send(client, .get, "/api/history")
            #expect(response.status == .unauthorized)
            #expect(response.json["code"] as? String == "unauthorized:auth")
        }
    }

    // MARK: helpers

    static let secret = "test-secret-0123456789-abcdefghij"

    func register(_ client: some TestClientProtocol, _ email: String, password: String = "password123") async throws {
        let browser = try await Browser.guest(client)
        let response = try await browser.send(client, .post, "/api/auth/register", body: browser.json(Credentials(email: email, password: password)))
        try #require(response.status == .ok, "registering \(email): \(response.text)")
    }

    func login(_ browser: Browser, _ client: some TestClientProtocol, _ email: String, _ password: String) async throws -> TestResponse {
        try await browser.send(client, .post, "/api/auth/login", body: browser.json(Credentials(email: email, password: password)))
    }

    func sessionUser(_ browser: Browser, _ client: some TestClientProtocol) async throws -> SessionUser {
        let user = try #require(try await browser.send(client, .get, "/api/auth/session").json["user"] as? [String: Any])
        return SessionUser(id: try #require(UUID(uuidString: user["id"] as? String ?? "")), email: user["email"] as? String,
                           kind: user["type"] as? String == "regular" ? .regular : .guest)
    }
}
