import Accounts
@testable import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

@Suite("Access policy") struct AccessPolicyTests {
    struct Credentials: Encodable { let email: String; let password: String }

    @Test("the access variables are validated at start, naming the variable", arguments: [
        ("REGISTRATION", "maybe"), ("GUESTS_ENABLED", "sometimes"), ("ALLOWED_EMAIL_DOMAINS", "example.com, not a domain"),
        ("ADMIN_EMAILS", "root"), ("OIDC_CLIENT_ID", "client-without-issuer"),
    ])
    func invalidValues(name: String, value: String) {
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: [name: value]) }
        do {
            _ = try AppConfiguration(environment: [name: value])
        } catch {
            #expect(error.variable == name || (name == "OIDC_CLIENT_ID" && error.variable == "OIDC_ISSUER"))
        }
    }

    @Test("defaults: guests on, registration open, every domain, no administrators, no SSO")
    func defaults() throws {
        let access = try AppConfiguration(environment: [:]).access
        #expect(access.policy == AccessPolicy())
        #expect(access.oidc == nil)
        let set = try AppConfiguration(environment: [
            "GUESTS_ENABLED": "false", "REGISTRATION": "closed", "ALLOWED_EMAIL_DOMAINS": "Example.com, @corp.example.org",
            "ADMIN_EMAILS": "Boss@Example.com",
        ]).access.policy
        #expect(!set.guestsEnabled && !set.registrationOpen)
        #expect(set.allowedEmailDomains == ["example.com", "corp.example.org"])
        #expect(set.allowsDomain(of: "a@corp.example.org") && !set.allowsDomain(of: "a@evil-example.com") && !set.allowsDomain(of: "a@mail.example.com"))
        #expect(set.isAdmin(SessionUser(id: UUID(), email: "boss@example.com", kind: .regular)))
    }

    @Test("an http issuer other than this machine is refused; OIDC scopes need openid")
    func oidcSettings() throws {
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["OIDC_ISSUER": "http://idp.example.com", "OIDC_CLIENT_ID": "c"]) }
        #expect(throws: ConfigurationError.self) {
            try AppConfiguration(environment: ["OIDC_ISSUER": "https://idp.example.com", "OIDC_CLIENT_ID": "c", "OIDC_SCOPES": "email"])
        }
        let oidc = try #require(try AppConfiguration(environment: ["OIDC_ISSUER": "http://localhost:9400", "OIDC_CLIENT_ID": "c"]).access.oidc)
        #expect(oidc.scopes == ["openid", "email", "profile"])
    }

    @Test("with guests off, pages send signed-out visitors to sign in, the API answers 401 and no guest is created")
    func guestsOff() async throws {
        try await TestApp.with(environment: ["GUESTS_ENABLED": "false"]) { client, _ in
            let anonymous = Browser()
            let page = try await anonymous.send(client, .get, "/?q=1")
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/login?redirectUrl=/%3Fq%3D1")
            let api = try await anonymous.send(client, .get, "/api/history")
            #expect(api.status == .unauthorized)
            let guest = try await anonymous.send(client, .get, "/api/auth/guest?redirectUrl=/chat/x")
            #expect(guest.status == .seeOther)
            #expect(guest.headers[.location] == "/login?redirectUrl=/chat/x")
            #expect(guest.headers[.setCookie] == nil)
            let login = try await anonymous.send(client, .get, "/login?redirectUrl=/chat/x")
            #expect(login.status == .ok)
            #expect(!login.text.contains("Continue as guest"))
            #expect(login.text.contains("data-redirect=\"/chat/x\""))
        }
    }

    @Test("with registration closed, sign-up is refused but an existing account signs in", arguments: TestDatabase.kinds)
    func registrationClosed(kind: DatabaseKind) async throws {
        try await TestApp.with(kind, environment: ["REGISTRATION": "closed"]) { client, services in
            let browser = Browser()
            let refused = try await browser.send(client, .post, "/api/auth/register", body: browser.json(Credentials(email: "new@example.com", password: "correct horse")))
            #expect(refused.status == .forbidden)
            #expect(refused.json["cause"] as? String == "registration closed" || (refused.json["message"] as? String)?.contains("cannot be created") == true)
            let page = try await browser.send(client, .get, "/register")
            #expect(page.status == .seeOther)
            let login = try await browser.send(client, .get, "/login")
            #expect(!login.text.contains("href=\"/register\""))

            let hash = try await PasswordHasher(cost: 4).hash("correct horse")
            try await UserRepository(database: services.database).create(UserRecord(email: "old@example.com", passwordHash: hash, kind: .regular))
            let signedIn = try await browser.send(client, .post, "/api/auth/login", body: browser.json(Credentials(email: "old@example.com", password: "correct horse")))
            #expect(signedIn.status == .ok)
        }
    }

    @Test("registration accepts only the allowed e-mail domains")
    func allowedDomains() async throws {
        try await TestApp.with(environment: ["ALLOWED_EMAIL_DOMAINS": "example.com"]) { client, _ in
            let browser = Browser()
            let other = try await browser.send(client, .post, "/api/auth/register", body: browser.json(Credentials(email: "eve@example.org", password: "correct horse")))
            #expect(other.status == .forbidden)
            #expect((other.json["message"] as? String)?.contains("domain is not allowed") == true)
            let allowed = try await browser.send(client, .post, "/api/auth/register", body: browser.json(Credentials(email: "ann@Example.com", password: "correct horse")))
            #expect(allowed.status == .ok)
        }
    }

    @Test("a browser that drops the cookie gets a page saying cookies are needed, not a redirect loop")
    func cookiesNeeded() async throws {
        try await TestApp.with { client, _ in
            let anonymous = Browser()
            let first = try await anonymous.send(client, .get, "/")
            #expect(first.headers[.location] == "/api/auth/guest?redirectUrl=/")
            let guest = try await anonymous.send(client, .get, "/api/auth/guest?redirectUrl=/")
            #expect(guest.headers[.location] == "/?cookie-check=1")
            // Back without the cookie: the marker says a cookie was set on the way.
            let back = try await anonymous.send(client, .get, "/?cookie-check=1")
            #expect(back.status == .badRequest)
            #expect(back.text.contains("Cookies are needed"))
            // With the cookie, the marker is dropped from the address.
            var browser = anonymous
            browser.cookie = guest.headers[.setCookie].map { String($0.split(separator: ";")[0]) }
            let kept = try await browser.send(client, .get, "/?cookie-check=1")
            #expect(kept.status == .seeOther)
            #expect(kept.headers[.location] == "/")
            let chat = try await browser.send(client, .get, "/chat/\(UUID())?a=b&cookie-check=1")
            #expect(chat.status == .seeOther)
            #expect(chat.headers[.location]?.hasSuffix("?a=b") == true)
        }
    }
}
