import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// Findings 2, 6, 7 and 10 of the hardening review, over HTTP.
@Suite("Session security over HTTP") struct SessionSecurityTests {
    struct Credentials: Encodable { let email: String; let password: String }
    struct PasswordChange: Encodable { let currentPassword: String; let newPassword: String }

    static func user(_ response: TestResponse) -> [String: Any]? { response.json["user"] as? [String: Any] }

    static func cookie(_ response: TestResponse) -> String? {
        response.headers[.setCookie].map { String($0.split(separator: ";")[0]) }
    }

    @Test("after logout the old cookie no longer works, on any copy of it", arguments: TestDatabase.kinds)
    func logoutRevokes(kind: DatabaseKind) async throws {
        try await TestApp.with(kind) { client, _ in
            var browser = try await Browser.guest(client)
            let registered = try await browser.send(client, .post, "/api/auth/register", body: browser.json(Credentials(email: "a@example.com", password: "correct horse")))
            browser.cookie = try #require(Self.cookie(registered))
            let stolen = browser
            #expect(Self.user(try await stolen.send(client, .get, "/api/auth/session"))?["type"] as? String == "regular")
            let logout = try await browser.send(client, .post, "/api/auth/logout")
            #expect(logout.status == .ok)
            let after = try await stolen.send(client, .get, "/api/auth/session")
            #expect(after.json["user"] is NSNull)
            #expect(after.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await stolen.send(client, .get, "/api/history").status == .unauthorized)
        }
    }

    @Test("log out everywhere and a password change end the other sessions; the changing browser stays in")
    func everywhereAndPassword() async throws {
        try await TestApp.with { client, _ in
            var laptop = try await Browser.guest(client)
            let registered = try await laptop.send(client, .post, "/api/auth/register", body: laptop.json(Credentials(email: "b@example.com", password: "correct horse")))
            laptop.cookie = try #require(Self.cookie(registered))
            var phone = Browser()
            let login = try await phone.send(client, .post, "/api/auth/login", body: phone.json(Credentials(email: "b@example.com", password: "correct horse")))
            phone.cookie = try #require(Self.cookie(login))

            let change = try await laptop.send(
                client, .post, "/api/auth/password", body: laptop.json(PasswordChange(currentPassword: "correct horse", newPassword: "battery staple")))
            #expect(change.status == .ok)
            laptop.cookie = try #require(Self.cookie(change))
            #expect(try await phone.send(client, .get, "/api/auth/session").json["user"] is NSNull)
            #expect(Self.user(try await laptop.send(client, .get, "/api/auth/session"))?["email"] as? String == "b@example.com")

            let wrong = try await laptop.send(
                client, .post, "/api/auth/password", body: laptop.json(PasswordChange(currentPassword: "nope nope", newPassword: "whatever123")))
            #expect(wrong.status == .unauthorized)

            let all = try await laptop.send(client, .post, "/api/auth/logout-all")
            #expect(all.json["ended"] as? Int == 1)
            #expect(try await laptop.send(client, .get, "/api/auth/session").json["user"] is NSNull)
        }
    }

    @Test("a forged X-Forwarded-Host is never reflected into a redirect")
    func forgedForwardedHost() async throws {
        try await TestApp.with(environment: ["AUTH_TRUST_HOST": "true"]) { client, _ in
            let forged: HTTPFields = [.hostHeader: "10.0.0.5:8080", HTTPField.Name("X-Forwarded-Host")!: "evil.example", HTTPField.Name("X-Forwarded-Proto")!: "https"]
            var locations: [String] = []
            // Guest sign-in, the page that sends a visitor through it, and a signed-in user's visit to /login.
            let guest = try await client.execute(uri: "/api/auth/guest?redirectUrl=/chat/x", method: .get, headers: forged)
            locations.append(guest.headers[.location] ?? "")
            locations.append(try await client.execute(uri: "/", method: .get, headers: forged).headers[.location] ?? "")
            var browser = Browser()
            browser.cookie = Self.cookie(guest)
            var headers = forged
            headers[.cookie] = browser.cookie
            headers[.contentType] = "application/json"
            let body = browser.json(Credentials(email: "c@example.com", password: "correct horse"))
            let registered = try await client.execute(uri: "/api/auth/register", method: .post, headers: headers, body: body)
            headers[.cookie] = Self.cookie(registered)
            locations.append(try await client.execute(uri: "/login", method: .get, headers: headers).headers[.location] ?? "")
            #expect(locations == ["/chat/x?cookie-check=1", "/api/auth/guest?redirectUrl=/", "/"])
            #expect(!locations.contains { $0.contains("evil") })
        }
    }

    @Test("with a trusted proxy, rotating the leftmost X-Forwarded-For does not escape the per-address login limit")
    func forwardedForRotation() async throws {
        try await TestApp.with(environment: ["AUTH_TRUST_HOST": "true"]) { client, _ in
            // A different account each time, so only the per-address limit (50) can stop it; the client
            // rotates the part of X-Forwarded-For it controls, the proxy appends the same real address.
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<51 {
                let forwarded: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "10.9.\(index / 256).\(index % 256), 203.0.113.50"]
                let browser = Browser()
                let body = browser.json(Credentials(email: "user\(index)@example.com", password: "wrong guess"))
                statuses.append(try await browser.send(client, .post, "/api/auth/login", body: body, headers: forwarded).status)
            }
            #expect(statuses == Array(repeating: .unauthorized, count: 50) + [.tooManyRequests])
        }
    }

    @Test("guest creation is limited per client address", arguments: TestDatabase.kinds)
    func guestLimit(kind: DatabaseKind) async throws {
        try await TestApp.with(kind, environment: ["AUTH_TRUST_HOST": "true", "GUEST_LIMIT_PER_ADDRESS": "3"]) { client, _ in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<5 {
                let headers: HTTPFields = [.hostHeader: "localhost:3000", HTTPField.Name("X-Forwarded-For")!: "10.0.0.\(index), 198.51.100.3"]
                statuses.append(try await client.execute(uri: "/api/auth/guest?redirectUrl=/", method: .get, headers: headers).status)
            }
            #expect(statuses == [.seeOther, .seeOther, .seeOther, .tooManyRequests, .tooManyRequests])
            let other: HTTPFields = [.hostHeader: "localhost:3000", HTTPField.Name("X-Forwarded-For")!: "198.51.100.4"]
            #expect(try await client.execute(uri: "/api/auth/guest?redirectUrl=/", method: .get, headers: other).status == .seeOther)
        }
    }

    @Test("the no-JavaScript forms sign up and in with a 303, show errors on the page, and are CSRF-checked")
    func forms() async throws {
        try await TestApp.with { client, _ in
            func post(_ path: String, _ form: String, origin: String = "http://localhost:3000", cookie: String? = nil) async throws -> TestResponse {
                var headers: HTTPFields = [.hostHeader: "localhost:3000", .contentType: "application/x-www-form-urlencoded", HTTPField.Name("Origin")!: origin]
                if let cookie { headers[.cookie] = cookie }
                return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: form))
            }
            let registered = try await post("/register", "email=form%40example.com&password=correct+horse")
            #expect(registered.status == .seeOther)
            #expect(registered.headers[.location] == "/")
            var browser = Browser()
            browser.cookie = try #require(Self.cookie(registered))
            #expect(Self.user(try await browser.send(client, .get, "/api/auth/session"))?["email"] as? String == "form@example.com")

            let short = try await post("/register", "email=other%40example.com&password=short")
            #expect(short.status == .badRequest)
            #expect(short.text.contains("at least 8 characters"))
            #expect(short.text.contains("value=\"other@example.com\""))

            let wrong = try await post("/login", "email=form%40example.com&password=wrong+guess")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(wrong.text.contains("Invalid email or password."))

            let login = try await post("/login", "email=form%40example.com&password=correct+horse")
            #expect(login.status == .seeOther)
            #expect(Self.cookie(login) != nil)

            let crossSite = try await post("/login", "email=form%40example.com&password=correct+horse", origin: "https://evil.example")
            #expect(crossSite.status == .forbidden)
            #expect(crossSite.headers[.setCookie] == nil)
        }
    }

    @Test("development binds loopback by default; production keeps every interface")
    func bindAddress() throws {
        #expect(try AppConfiguration(environment: [:]).host == "127.0.0.1")
        #expect(try AppConfiguration(environment: ["CHATBOT_ENV": "production"]).host == "0.0.0.0")
        #expect(try AppConfiguration(environment: ["HOST": "0.0.0.0"]).host == "0.0.0.0")
        #expect(try AppConfiguration(environment: ["AUTH_TRUST_HOST": "true"]).trustedProxyHops == 1)
        #expect(try AppConfiguration(environment: [:]).trustedProxyHops == 0)
        #expect(try AppConfiguration(environment: ["AUTH_TRUST_HOST": "true", "TRUSTED_PROXY_HOPS": "2"]).trustedProxyHops == 2)
    }
}
