import Accounts
import Foundation
import Logging
import Storage
import Synchronization
import TestSupport
import Testing

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { self.current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { self.current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// AccountService over a real database, with a cheap bcrypt cost and an injected clock.
struct AccountsHarness {
    let database: any DatabaseClient
    let clock = TestClock()
    var guestLimit = 50

    var service: AccountService {
        let events = ThrottleRepository(database: self.database)
        let clock = self.clock
        return AccountService(
            users: UserRepository(database: self.database), sessions: SessionRepository(database: self.database),
            hasher: PasswordHasher(cost: 4), throttle: LoginThrottle(events: events, clock: { clock.now }),
            guests: .guests(events: events, limit: self.guestLimit, clock: { clock.now }), logger: TestDatabase.logger)
    }

    static func with(_ kind: DatabaseKind, guestLimit: Int = 50, _ body: (AccountsHarness) async throws -> Void) async throws {
        try await TestDatabase.withMigrated(kind) { database in
            var harness = AccountsHarness(database: database)
            harness.guestLimit = guestLimit
            try await body(harness)
        }
    }
}

enum LoginOutcome: Equatable {
    case ok, wrong, throttled
    /// Anything else, described, so a failure says what it was.
    case other(String)

    var isOther: Bool { if case .other = self { true } else { false } }
}

func attempt(_ accounts: AccountService, _ email: String, _ password: String, from address: String) async -> LoginOutcome {
    do {
        _ = try await accounts.login(email: email, password: password, clientAddress: address, currentUser: nil)
        return .ok
    } catch AccountError.invalidCredentials {
        return .wrong
    } catch AccountError.tooManyAttempts {
        return .throttled
    } catch {
        return .other(String(describing: error))
    }
}

@Suite("Login throttle") struct LoginThrottleTests {
    @Test("40 concurrent wrong passwords for one account: only the per-account-and-address limit gets through", arguments: TestDatabase.kinds)
    func concurrentGuesses(kind: DatabaseKind) async throws {
        try await AccountsHarness.with(kind) { harness in
            let accounts = harness.service
            _ = try await accounts.register(email: "owner@example.com", password: "correct horse", currentUser: nil)
            let outcomes = await withTaskGroup(of: LoginOutcome.self) { group in
                for _ in 0..<40 {
                    group.addTask { await attempt(accounts, "owner@example.com", "wrong guess", from: "203.0.113.5") }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .wrong }.count == LoginThrottle.Policy().perAccountAndAddress)
            #expect(outcomes.filter { $0 == .throttled }.count == 40 - LoginThrottle.Policy().perAccountAndAddress)
            let others = outcomes.filter { $0.isOther }
            #expect(others.isEmpty, "\(others)")
        }
    }

    @Test("guesses from many addresses slow the account down but never lock out the owner's new address", arguments: TestDatabase.kinds)
    func noLockout(kind: DatabaseKind) async throws {
        try await AccountsHarness.with(kind) { harness in
            let accounts = harness.service
            let policy = LoginThrottle.Policy()
            _ = try await accounts.register(email: "owner@example.com", password: "correct horse", currentUser: nil)
            // An attacker spreads guesses over many addresses until the account is past its ceiling.
            for index in 0..<(policy.perAccount + 5) {
                #expect(await attempt(accounts, "owner@example.com", "wrong guess", from: "198.51.100.\(index)") == .wrong)
            }
            // An address that already failed for this account gets no more tries while it is under attack…
            #expect(await attempt(accounts, "owner@example.com", "correct horse", from: "198.51.100.0") == .throttled)
            // …but the owner, from an address that has not failed, gets in with the right password.
            #expect(await attempt(accounts, "owner@example.com", "correct horse", from: "192.0.2.44") == .ok)
            // Past the window everything is forgiven.
            harness.clock.advance(policy.window + 1)
            #expect(await attempt(accounts, "owner@example.com", "correct horse", from: "198.51.100.0") == .ok)
        }
    }

    @Test("one address spraying many accounts is stopped by the per-address limit", arguments: TestDatabase.kinds)
    func spraying(kind: DatabaseKind) async throws {
        try await AccountsHarness.with(kind) { harness in
            let accounts = harness.service
            let policy = LoginThrottle.Policy()
            for index in 0..<policy.perAddress {
                #expect(await attempt(accounts, "user\(index)@example.com", "password1", from: "203.0.113.77") == .wrong)
            }
            #expect(await attempt(accounts, "another@example.com", "password1", from: "203.0.113.77") == .throttled)
            #expect(await attempt(accounts, "another@example.com", "password1", from: "203.0.113.78") == .wrong)
        }
    }

    @Test("a correct password does not count as a failure and forgives that address's earlier ones", arguments: TestDatabase.kinds)
    func successForgives(kind: DatabaseKind) async throws {
        try await AccountsHarness.with(kind) { harness in
            let accounts = harness.service
            _ = try await accounts.register(email: "owner@example.com", password: "correct horse", currentUser: nil)
            for _ in 0..<4 { #expect(await attempt(accounts, "owner@example.com", "typo typo", from: "192.0.2.1") == .wrong) }
            #expect(await attempt(accounts, "owner@example.com", "correct horse", from: "192.0.2.1") == .ok)
            for _ in 0..<5 { #expect(await attempt(accounts, "owner@example.com", "typo typo", from: "192.0.2.1") == .wrong) }
            #expect(await attempt(accounts, "owner@example.com", "correct horse", from: "192.0.2.1") == .throttled)
        }
    }
}

@Suite("Guests") struct GuestTests {
    @Test("guest creation is limited per address, atomically", arguments: TestDatabase.kinds)
    func limitPerAddress(kind: DatabaseKind) async throws {
        try await AccountsHarness.with(kind, guestLimit: 3) { harness in
            let accounts = harness.service
            let created = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<10 {
                    group.addTask { (try? await accounts.createGuest(clientAddress: "203.0.113.9")) != nil }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(created == 3)
            await #expect(throws: AccountError.self) { try await accounts.createGuest(clientAddress: "203.0.113.9") }
            _ = try await accounts.createGuest(clientAddress: "203.0.113.10")
            harness.clock.advance(3601)
            _ = try await accounts.createGuest(clientAddress: "203.0.113.9")
        }
    }

    @Test("the sweep deletes old guests that never chatted and keeps the rest", arguments: TestDatabase.kinds)
    func sweep(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { database in
            let users = UserRepository(database: database)
            let now = Date()
            let idleOld = UserRecord(kind: .guest, createdAt: now.addingTimeInterval(-2 * 86_400))
            let idleNew = UserRecord(kind: .guest, createdAt: now.addingTimeInterval(-600))
            let chattedOld = UserRecord(kind: .guest, createdAt: now.addingTimeInterval(-2 * 86_400))
            let accountOld = UserRecord(email: "a@example.com", passwordHash: "x", kind: .regular, createdAt: now.addingTimeInterval(-9 * 86_400))
            for user in [idleOld, idleNew, chattedOld, accountOld] { try await users.create(user) }
            _ = try await QuotaRepository(database: database).takeMessage(userID: chattedOld.id, limit: 20, since: now.addingTimeInterval(-86_400))
            let result = try await AccountSweeper(database: database).sweep(now: now)
            #expect(result.guests == 1)
            #expect(try await users.find(id: idleOld.id) == nil)
            for kept in [idleNew, chattedOld, accountOld] { #expect(try await users.find(id: kept.id) != nil) }
        }
    }
}

@Suite("Sessions") struct SessionTests {
    @Test("logout, log out everywhere and a password change revoke sessions", arguments: TestDatabase.kinds)
    func revocation(kind: DatabaseKind) async throws {
        try await AccountsHarness.with(kind) { harness in
            let accounts = harness.service
            let user = try await accounts.register(email: "owner@example.com", password: "correct horse", currentUser: nil)
            let laptop = try await accounts.startSession(for: user)
            let phone = try await accounts.startSession(for: user)
            #expect(try await accounts.resolve(laptop) == user)
            try await accounts.endSession(laptop)
            #expect(try await accounts.resolve(laptop) == nil)
            #expect(try await accounts.resolve(phone) == user)
            try await accounts.changePassword(user: user, currentPassword: "correct horse", newPassword: "battery staple", clientAddress: "192.0.2.1")
            #expect(try await accounts.resolve(phone) == nil)
            let tablet = try await accounts.startSession(for: user)
            #expect(try await accounts.endAllSessions(userID: user.id) == 1)
            #expect(try await accounts.resolve(tablet) == nil)
            #expect(await attempt(accounts, "owner@example.com", "battery staple", from: "192.0.2.1") == .ok)
        }
    }

    @Test("a guest that registers loses its guest sessions (whoever held the guest cookie does not get the account)", arguments: TestDatabase.kinds)
    func upgradeEndsGuestSessions(kind: DatabaseKind) async throws {
        try await AccountsHarness.with(kind) { harness in
            let accounts = harness.service
            let guest = try await accounts.createGuest(clientAddress: "192.0.2.1")
            let guestSession = try await accounts.startSession(for: guest)
            _ = try await accounts.register(email: "new@example.com", password: "correct horse", currentUser: guest)
            #expect(try await accounts.resolve(guestSession) == nil)
        }
    }
}

@Suite("Lengths") struct LengthTests {
    @Test("limits count Unicode scalars or bytes, never grapheme clusters")
    func combiningMarks() async throws {
        try await AccountsHarness.with(.sqlite) { harness in
            let accounts = harness.service
            // One Character, 10,001 scalars: under a Character count it is "1 character long".
            let flood = "a" + String(repeating: "\u{0301}", count: 10_000)
            await #expect(throws: AccountError.invalidEmail) {
                _ = try await accounts.register(email: flood + "@example.com", password: "correct horse", currentUser: nil)
            }
            // Eight scalars that render as two Characters still make an 8-character password…
            _ = try await accounts.register(email: "marks@example.com", password: "e\u{0301}\u{0301}\u{0301}o\u{0301}\u{0301}\u{0301}", currentUser: nil)
            // …and a long email in a login is a wrong credential, not a database key.
            #expect(await attempt(accounts, flood + "@example.com", "whatever1", from: "192.0.2.1") == .wrong)
        }
        #expect(TextLimit.fits("a" + String(repeating: "\u{0301}", count: 2000), scalars: 2000) == false)
        #expect(TextLimit.truncate("ab\u{0301}c", scalars: 2) == "ab")
        #expect(TextLimit.scalarCount("😀x", upTo: 10) == 2)
    }
}
