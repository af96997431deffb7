import Accounts
import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// The admin page and API over HTTP: invisible to everyone but ADMIN_EMAILS, the listing's figures, disabling,
/// allowance overrides and the audit log.
@Suite("Admin API and page") struct AdminTests {
    static let adminEmail = "boss@example.com"
    static let environment = ["ADMIN_EMAILS": "Boss@Example.com"]

    /// Every admin route with a body that would be valid for an administrator.
    static let routes: [(HTTPRequest.Method, String, String?)] = [
        (.get, "/api/admin/users", nil),
        (.get, "/api/admin/users?limit=5", nil),
        (.get, "/api/admin/audit", nil),
        (.post, "/api/admin/users/\(UUID().lowercasedForTest)/disable", nil),
        (.post, "/api/admin/users/\(UUID().lowercasedForTest)/enable", nil),
        (.put, "/api/admin/users/\(UUID().lowercasedForTest)/allowance", #"{"messagesPerDay": 5}"#),
        (.put, "/api/admin/users/not-a-uuid/allowance", #"{"messagesPerDay": -1}"#),
        (.delete, "/api/admin/users", nil),
    ]

    @Test("to the signed-out, guests and other users every admin route and the page answer exactly like a missing route")
    func invisibleToOthers() async throws {
        try await TestApp.with(environment: Self.environment) { client, services in
            let (admin, _) = try await Self.administrator(client, services)
            let (other, _) = try await Self.account(client, "ann@example.com")
            let callers = [("signed out", Browser()), ("guest", try await Browser.guest(client)), ("user", other)]
            for (who, caller) in callers {
                for (method, path, body) in Self.routes {
                    let answer = try await caller.send(client, method, path, body: body.map { ByteBuffer(string: $0) })
                    let missing = try await caller.send(client, method, "/api/no-such-route", body: body.map { ByteBuffer(string: $0) })
                    #expect(answer.status == .notFound, "\(who) \(method) \(path)")
                    // The envelope's key order varies from one answer to the next: compare what it says.
                    #expect(answer.json as NSDictionary == missing.json as NSDictionary, "\(who) \(method) \(path): \(answer.text)")
                }
                let page = try await caller.send(client, .get, "/admin", headers: [.accept: "text/html"])
                let missingPage = try await caller.send(client, .get, "/no-such-page", headers: [.accept: "text/html"])
                #expect(page.status == .notFound && page.text == missingPage.text, "\(who) /admin")
            }
            // The same requests do reach an administrator, so the 404s above are the gate's doing.
            #expect(try await admin.send(client, .get, "/api/admin/users").status == .ok)
            let page = try await admin.send(client, .get, "/admin", headers: [.accept: "text/html"])
            #expect(page.status == .ok && page.text.contains("/public/js/admin.js"))
            // Only an administrator's chat page links to it (the user menu reads data-admin).
            #expect(try await admin.send(client, .get, "/").text.contains("data-admin=\"true\""))
            #expect(!(try await other.send(client, .get, "/").text.contains("data-admin")))
        }
    }

    @Test("the listing shows kind, sign-in method, last activity, this month's messages and tokens by model", arguments: TestDatabase.kinds)
    func listing(kind: DatabaseKind) async throws {
        try await TestApp.with(kind, environment: Self.environment.merging(["RATE_LIMIT_REGULAR": "7"]) { $1 }) { client, services in
            let (admin, _) = try await Self.administrator(client, services)
            let (_, ann) = try await Self.account(client, "ann@example.com")
            let (_, sso) = try await Self.account(client, "sso@example.com")
            try await IdentityRepository(database: services.database).link(issuer: "https://idp.example.com", subject: "s1", userID: sso.id)
            let guest = try await AuthTests().sessionUser(try await Browser.guest(client), client)

            let monthStart = AdminService.monthStart(of: Date())
            let quota = QuotaRepository(database: services.database)
            // Two messages this month (one at its very first instant) and one the month before, which does not count.
            for date in [monthStart.addingTimeInterval(-1), monthStart, monthStart.addingTimeInterval(0.5)] {
                #expect(try await quota.takeMessage(userID: ann.id, limit: 100, since: .distantPast, at: date) == nil)
            }
            for (model, tokens, date) in [("m1", 10, monthStart), ("m1", 20, monthStart), ("m2", 5, monthStart), ("m2", 1000, monthStart.addingTimeInterval(-1))] {
                try await quota.recordUsage(
                    userID: ann.id, chatID: nil, messageID: nil, model: model, usage: StoredUsage(inputTokens: tokens, outputTokens: 1), at: date)
            }

            let listing = try await admin.send(client, .get, "/api/admin/users")
            #expect(listing.status == .ok)
            let users = try #require(listing.json["users"] as? [[String: Any]])
            #expect(users.count == 4)
            #expect(users.first?["id"] as? String == guest.id.lowercasedForTest, "newest first")
            let byID = Dictionary(uniqueKeysWithValues: users.map { ($0["id"] as? String ?? "", $0) })
            let annRow = try #require(byID[ann.id.lowercasedForTest])
            #expect(annRow["email"] as? String == "ann@example.com")
            #expect(annRow["kind"] as? String == "regular" && annRow["signInMethod"] as? String == "password")
            #expect(annRow["messagesThisMonth"] as? Int == 2)
            #expect(Self.date(annRow["lastActiveAt"]).map { abs($0.timeIntervalSince(monthStart.addingTimeInterval(0.5))) < 0.01 } == true, "\(annRow)")
            let usage = try #require(annRow["usageThisMonth"] as? [[String: Any]])
            #expect(usage.map { [$0["model"] as? String ?? "", "\($0["answers"] ?? "")", "\($0["inputTokens"] ?? "")", "\($0["outputTokens"] ?? "")"] }
                == [["m1", "2", "30", "2"], ["m2", "1", "5", "1"]])
            #expect(annRow["messagesPerDayOverride"] is NSNull && annRow["defaultMessagesPerDay"] as? Int == 7)
            #expect(annRow["disabledAt"] is NSNull)
            #expect(byID[sso.id.lowercasedForTest]?["signInMethod"] as? String == "sso")
            let guestRow = try #require(byID[guest.id.lowercasedForTest])
            #expect(guestRow["kind"] as? String == "guest" && guestRow["signInMethod"] as? String == "guest" && guestRow["email"] is NSNull)
            #expect(guestRow["lastActiveAt"] is NSNull && guestRow["messagesThisMonth"] as? Int == 0)
            #expect(Self.date(listing.json["monthStart"]) == monthStart)

            #expect((try await admin.send(client, .get, "/api/admin/users?limit=2").json["users"] as? [Any])?.count == 2)
            for bad in ["0", "1001", "two"] {
                let refused = try await admin.send(client, .get, "/api/admin/users?limit=\(bad)")
                #expect(refused.status == .badRequest && refused.json["code"] as? String == "bad_request:admin", "\(bad): \(refused.text)")
            }
        }
    }

    @Test("disabling ends the user's sessions at once and refuses their sign-in; an admin cannot disable themselves; audited",
          arguments: TestDatabase.kinds)
    func disable(kind: DatabaseKind) async throws {
        try await TestApp.with(kind, environment: Self.environment) { client, services in
            let (admin, boss) = try await Self.administrator(client, services)
            let (ann, annUser) = try await Self.account(client, "ann@example.com")
            let annID = annUser.id.lowercasedForTest
            #expect(try await ann.send(client, .get, "/api/history").status == .ok)

            // A cross-site request from the admin's browser changes nothing.
            var fromElsewhere = admin
            fromElsewhere.origin = "https://evil.example"
            let crossSite = try await fromElsewhere.send(client, .post, "/api/admin/users/\(annID)/disable")
            #expect(crossSite.status == .forbidden)
            #expect(try await ann.send(client, .get, "/api/history").status == .ok)

            let disabled = try await admin.send(client, .post, "/api/admin/users/\(annID)/disable")
            #expect(disabled.status == .ok)
            #expect(disabled.json["id"] as? String == annID && disabled.json["disabledAt"] is String)
            let again = try await admin.send(client, .post, "/api/admin/users/\(annID)/disable")
            #expect(again.json["disabledAt"] as? String == disabled.json["disabledAt"] as? String, "disabled since the first time")
            let after = try await ann.send(client, .get, "/api/history")
            #expect(after.status == .unauthorized)
            let login = try await AuthTests().login(Browser(), client, "ann@example.com", "password123")
            #expect(login.status == .forbidden && login.json["cause"] as? String == "account disabled", "\(login.text)")

            let own = try await admin.send(client, .post, "/api/admin/users/\(boss.id.lowercasedForTest)/disable")
            #expect(own.status == .badRequest && (own.json["message"] as? String)?.contains("your own account") == true, "\(own.text)")
            #expect(try await admin.send(client, .get, "/api/admin/users").status == .ok)
            let unknown = try await admin.send(client, .post, "/api/admin/users/\(UUID().lowercasedForTest)/disable")
            #expect(unknown.status == .notFound && unknown.json["code"] as? String == "not_found:admin")
            let malformed = try await admin.send(client, .post, "/api/admin/users/12345/disable")
            #expect(malformed.status == .badRequest && malformed.json["code"] as? String == "bad_request:admin")

            let enabled = try await admin.send(client, .post, "/api/admin/users/\(annID)/enable")
            #expect(enabled.status == .ok && enabled.json["disabledAt"] is NSNull)
            // The old session was ended for good; signing in again works.
            #expect(try await ann.send(client, .get, "/api/history").status == .unauthorized)
            #expect(try await AuthTests().login(Browser(), client, "ann@example.com", "password123").status == .ok)

            let entries = try #require(try await admin.send(client, .get, "/api/admin/audit").json["entries"] as? [[String: Any]])
            #expect(entries.map { $0["action"] as? String } == ["enable_user", "disable_user", "disable_user"], "refusals are not audited; newest first")
            for entry in entries {
                #expect(entry["adminEmail"] as? String == Self.adminEmail && entry["targetUserId"] as? String == annID)
                #expect((entry["detail"] as? String)?.contains("ann@example.com") == true && entry["createdAt"] is String)
            }
        }
    }

    @Test("a user's allowance override replaces the default for their next message, and clearing it restores the default; audited",
          arguments: TestDatabase.kinds)
    func allowanceOverride(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind, environment: Self.environment.merging(["RATE_LIMIT_REGULAR": "1"]) { $1 }) { client, services, _ in
            let (admin, _) = try await Self.administrator(client, services)
            let (ann, annUser) = try await Self.account(client, "ann@example.com")
            let path = "/api/admin/users/\(annUser.id.lowercasedForTest)/allowance"
            #expect(try await ChatTestKit.post(ann, client, chatID: UUID(), text: "first").status == .ok)
            let refused = try await ChatTestKit.post(ann, client, chatID: UUID(), text: "second")
            #expect(refused.status == .tooManyRequests && (refused.json["message"] as? String)?.contains("limit of 1 messages") == true)

            let set = try await admin.send(client, .put, path, body: ByteBuffer(string: #"{"messagesPerDay": 3}"#))
            #expect(set.status == .ok && set.json["messagesPerDayOverride"] as? Int == 3, "\(set.text)")
            for text in ["second", "third"] {
                #expect(try await ChatTestKit.post(ann, client, chatID: UUID(), text: text).status == .ok, "\(text)")
            }
            let fourth = try await ChatTestKit.post(ann, client, chatID: UUID(), text: "fourth")
            #expect(fourth.status == .tooManyRequests && (fourth.json["message"] as? String)?.contains("limit of 3 messages") == true, "\(fourth.text)")

            let cleared = try await admin.send(client, .put, path, body: ByteBuffer(string: #"{"messagesPerDay": null}"#))
            #expect(cleared.status == .ok && cleared.json["messagesPerDayOverride"] is NSNull)
            let back = try await ChatTestKit.post(ann, client, chatID: UUID(), text: "fifth")
            #expect(back.status == .tooManyRequests && (back.json["message"] as? String)?.contains("limit of 1 messages") == true, "\(back.text)")

            for bad in [#"{"messagesPerDay": 0}"#, #"{"messagesPerDay": 100001}"#, #"{"messagesPerDay": "many"}"#, #"{"messagesPerDay": 1.5}"#, #"{"messagesPerDay": 1e300}"#, "{}", "[]"] {
                let answer = try await admin.send(client, .put, path, body: ByteBuffer(string: bad))
                #expect(answer.status == .badRequest && (answer.json["code"] as? String)?.hasPrefix("bad_request:") == true, "\(bad): \(answer.text)")
                #expect((answer.json["message"] as? String)?.contains("messagesPerDay") == true || bad == "[]", "\(bad): \(answer.text)")
            }
            let missing = try await admin.send(client, .put, "/api/admin/users/\(UUID().lowercasedForTest)/allowance", body: ByteBuffer(string: #"{"messagesPerDay": 2}"#))
            #expect(missing.status == .notFound)

            let entries = try #require(try await admin.send(client, .get, "/api/admin/audit").json["entries"] as? [[String: Any]])
            #expect(entries.map { $0["action"] as? String } == ["clear_allowance", "set_allowance"])
            #expect((entries.last?["detail"] as? String)?.contains("ann@example.com: 3 messages") == true, "\(entries)")
        }
    }

    // MARK: helpers

    /// Registers an account from a new guest session and keeps the session cookie registration set.
    static func account(_ client: some TestClientProtocol, _ email: String) async throws -> (Browser, SessionUser) {
        var browser = try await Browser.guest(client)
        let body = #"{"email": "\#(email)", "password": "password123"}"#
        let response = try await browser.send(client, .post, "/api/auth/register", body: ByteBuffer(string: body))
        try #require(response.status == .ok, "registering \(email): \(response.text)")
        browser.cookie = try #require(response.headers[.setCookie].map { String($0.split(separator: ";")[0]) })
        return (browser, try await AuthTests().sessionUser(browser, client))
    }

    /// The administrator as the operator makes them (`chatbot set-password`: their address cannot register), signed in.
    static func administrator(_ client: some TestClientProtocol, _ services: AppServices) async throws -> (Browser, SessionUser) {
        _ = try await services.accounts.setPassword(email: Self.adminEmail, password: "password123")
        var browser = try await Browser.guest(client)
        let body = #"{"email": "\#(Self.adminEmail)", "password": "password123"}"#
        let response = try await browser.send(client, .post, "/api/auth/login", body: ByteBuffer(string: body))
        try #require(response.status == .ok, "signing in \(Self.adminEmail): \(response.text)")
        browser.cookie = try #require(response.headers[.setCookie].map { String($0.split(separator: ";")[0]) })
        return (browser, try await AuthTests().sessionUser(browser, client))
    }

    static func date(_ value: Any?) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return (value as? String).flatMap(formatter.date(from:))
    }
}
