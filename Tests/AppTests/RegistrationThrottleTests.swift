import Accounts
import App
import Foundation
import HTTPTypes
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// Registering tells whether an e-mail has an account, so attempts are limited per address, and a taken e-mail is
/// refused in words that do not confirm it.
@Suite("Registration throttle") struct RegistrationThrottleTests {
    struct Credentials: Encodable { let email: String; let password: String }

    @Test("registrations past the per-address limit get 429 with Retry-After, taken e-mails counted too", arguments: TestDatabase.kinds)
    func perAddressLimit(kind: DatabaseKind) async throws {
        try await TestApp.with(kind, environment: ["REGISTER_LIMIT_PER_ADDRESS": "3"]) { client, _ in
            var statuses: [HTTPResponse.Status] = []
            for email in ["one@example.com", "one@example.com", "two@example.com", "three@example.com"] {
                let browser = try await Browser.guest(client)
                let response = try await browser.send(
                    client, .post, "/api/auth/register", body: browser.json(Credentials(email: email, password: "password123")))
                statuses.append(response.status)
                if response.status == .tooManyRequests {
                    #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
                    #expect((response.json["message"] as? String)?.contains("registered from your network") == true)
                }
            }
            #expect(statuses == [.ok, .badRequest, .ok, .tooManyRequests])
        }
    }

    @Test("a taken e-mail is refused without saying that an account exists")
    func takenEmailWording() async throws {
        try await TestApp.with { client, _ in
            let first = try await Browser.guest(client)
            _ = try await first.send(client, .post, "/api/auth/register", body: first.json(Credentials(email: "taken@example.com", password: "password123")))
            let second = try await Browser.guest(client)
            let response = try await second.send(
                client, .post, "/api/auth/register", body: second.json(Credentials(email: "taken@example.com", password: "other-password")))
            #expect(response.status == .badRequest)
            let text = response.text.lowercased()
            #expect(!text.contains("exists") && !text.contains("taken") && !text.contains("already"), "\(response.text)")
        }
    }
}
