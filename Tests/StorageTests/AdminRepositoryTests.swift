import Foundation
import Storage
import TestSupport
import Testing

@Suite("Admin and single sign-on repositories") struct AdminRepositoryTests {
    @Test("a disabled user's session stops resolving at once and comes back when re-enabled; usage is summed per model",
          arguments: TestDatabase.kinds)
    func disableAndUsage(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let users = UserRepository(database: db)
            let sessions = SessionRepository(database: db)
            let admin = AdminRepository(database: db)
            let user = UserRecord(email: "ann@example.com", kind: .regular)
            try await users.create(user)
            let session = UUID()
            let now = Date()
            try await sessions.create(id: session, userID: user.id, createdAt: now, expiresAt: now.addingTimeInterval(3600))
            #expect(try await sessions.find(id: session, now: now) != nil)
            #expect(try await admin.setDisabled(userID: user.id, at: now))
            #expect(try await sessions.find(id: session, now: now) == nil)
            #expect(try await admin.setDisabled(userID: user.id, at: nil))
            #expect(try await sessions.find(id: session, now: now) != nil)

            #expect(try await admin.setMessageLimit(userID: user.id, limit: 5))
            #expect(try await users.find(id: user.id)?.messageLimit == 5)

            let quota = QuotaRepository(database: db)
            for tokens in [10, 20] {
                try await quota.recordUsage(userID: user.id, chatID: nil, messageID: nil, model: "m1", usage: StoredUsage(inputTokens: tokens, outputTokens: 1))
            }
            let usage = try await admin.usage(since: now.addingTimeInterval(-60))
            #expect(usage.count == 1)
            #expect(usage.first.map { [$0.messages, $0.inputTokens, $0.outputTokens] } == [2, 30, 2])
            #expect(usage.first?.userID == user.id && usage.first?.model == "m1")
            let listed = try await admin.users()
            #expect(listed.first?.signInMethod == "password")

            let entry = AdminRepository.AuditEntry(id: UUID(), adminEmail: "boss@example.com", action: "disable", targetUserID: user.id, detail: "", createdAt: now)
            try await admin.audit(entry, adminID: nil)
            #expect(try await admin.auditLog().map(\.action) == ["disable"])
        }
    }

    @Test("a pending sign-in can be taken once; an identity names its user", arguments: TestDatabase.kinds)
    func pendingAndIdentity(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let identities = IdentityRepository(database: db)
            let pending = IdentityRepository.PendingLogin(state: "s1", nonce: "n1", codeVerifier: "v1", redirectPath: "/", createdAt: Date())
            try await identities.savePending(pending)
            #expect(try await identities.takePending(state: "s1")?.nonce == "n1")
            #expect(try await identities.takePending(state: "s1") == nil)
            let user = UserRecord(email: "sso@example.com", kind: .regular)
            try await UserRepository(database: db).create(user)
            try await identities.link(issuer: "https://idp", subject: "abc", userID: user.id)
            #expect(try await identities.user(issuer: "https://idp", subject: "abc")?.id == user.id)
            #expect(try await AdminRepository(database: db).users().first?.signInMethod == "sso")
        }
    }
}
