import Accounts
import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// Registration does not prove an address is the registrant's, so a password someone chose must never carry
/// privileges or an identity the address's owner proves later: administrators' addresses cannot register, and
/// single sign-on taking over an account removes the password it had.
@Suite("Claimed addresses") struct AddressClaimTests {
    static let admin = "boss@example.com"

    @Test("an administrator's address cannot register with a password; the operator's set-password makes the account",
          arguments: TestDatabase.kinds)
    func administratorAddressIsReserved(kind: DatabaseKind) async throws {
        try await TestApp.with(kind, environment: ["ADMIN_EMAILS": "Boss@Example.com"]) { client, services in
            let claimant = try await Browser.guest(client)
            let refused = try await claimant.send(client, .post, "/api/auth/register", body: Self.credentials("BOSS@example.com", "claimed it first"))
            #expect(refused.status == .forbidden)
            #expect(refused.json["cause"] as? String == "address reserved")
            #expect(try await UserRepository(database: services.database).find(email: Self.admin) == nil)
            // Other addresses still register.
            #expect(try await claimant.send(client, .post, "/api/auth/register", body: Self.credentials("ann@example.com", "password123")).status == .ok)

            #expect(try await services.accounts.setPassword(email: "Boss@example.com", password: "first password") == true)
            var admin = try await Browser.guest(client)
            let signedIn = try await admin.send(client, .post, "/api/auth/login", body: Self.credentials(Self.admin, "first password"))
            #expect(signedIn.status == .ok)
            admin.cookie = try #require(signedIn.headers[.setCookie].map { String($0.split(separator: ";")[0]) })
            #expect(try await admin.send(client, .get, "/api/admin/users").status == .ok)

            // Run again, it replaces the password and ends the sessions the old one opened.
            #expect(try await services.accounts.setPassword(email: Self.admin, password: "second password") == false)
            #expect(try await admin.send(client, .get, "/api/admin/users").status != .ok)
            let old = try await Browser.guest(client).send(client, .post, "/api/auth/login", body: Self.credentials(Self.admin, "first password"))
            #expect(old.status == .unauthorized)
            let new = try await Browser.guest(client).send(client, .post, "/api/auth/login", body: Self.credentials(Self.admin, "second password"))
            #expect(new.status == .ok)
        }
    }

    @Test("single sign-on into an account someone registered with that address removes the password and its sessions",
          arguments: TestDatabase.kinds)
    func singleSignOnEvictsTheRegistrant(kind: DatabaseKind) async throws {
        try await TestApp.with(kind) { client, services in
            var squatter = try await Browser.guest(client)
            let registered = try await squatter.send(client, .post, "/api/auth/register", body: Self.credentials("dana@example.com", "squatters pass"))
            try #require(registered.status == .ok)
            squatter.cookie = try #require(registered.headers[.setCookie].map { String($0.split(separator: ";")[0]) })
            #expect(try await squatter.send(client, .get, "/api/history").status == .ok)

            let sso = SSOAccounts(database: services.database, policy: AccessPolicy(), logger: services.logger)
            let claims = IDTokenClaims(issuer: "https://idp.example.com", subject: "dana-1", email: "Dana@example.com", emailVerified: true)
            let owner = try await sso.signIn(claims, currentUser: nil)
            #expect(owner.email == "dana@example.com")

            #expect(try await squatter.send(client, .get, "/api/history").status == .unauthorized)
            let retry = try await Browser.guest(client).send(client, .post, "/api/auth/login", body: Self.credentials("dana@example.com", "squatters pass"))
            #expect(retry.status == .unauthorized)
            #expect(try await UserRepository(database: services.database).find(email: "dana@example.com")?.passwordHash == nil)
            // The owner's next sign-in finds the same account through the link.
            #expect(try await sso.signIn(claims, currentUser: nil).id == owner.id)
        }
    }

    static func credentials(_ email: String, _ password: String) -> ByteBuffer {
        ByteBuffer(string: #"{"email": "\#(email)", "password": "\#(password)"}"#)
    }
}
