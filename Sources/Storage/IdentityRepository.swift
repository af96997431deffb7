import Foundation
import SQLKit

/// Single sign-on: sign-ins in progress and the provider accounts linked to users.
public struct IdentityRepository: Sendable {
    /// What the start of a sign-in left for its callback.
    public struct PendingLogin: Sendable, Equatable {
        public var state: String
        public var nonce: String
        public var codeVerifier: String
        public var redirectPath: String
        public var createdAt: Date
        public init(state: String, nonce: String, codeVerifier: String, redirectPath: String, createdAt: Date) {
            self.state = state
            self.nonce = nonce
            self.codeVerifier = codeVerifier
            self.redirectPath = redirectPath
            self.createdAt = createdAt
        }
    }

    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    public func savePending(_ login: PendingLogin) async throws {
        try await self.database.withSQL { sql in
            try await sql.raw(
                """
                INSERT INTO oidc_logins (state, nonce, code_verifier, redirect_path, created_at)
                VALUES (\(bind: login.state), \(bind: login.nonce), \(bind: login.codeVerifier), \(bind: login.redirectPath), \(bind: login.createdAt))
                """
            ).run()
        }
    }

    /// Removes and returns the sign-in named by `state`: a second callback with the same state finds nothing.
    public func takePending(state: String) async throws -> PendingLogin? {
        try await self.database.withSQL { sql in
            guard let row = try await sql.raw("DELETE FROM oidc_logins WHERE state = \(bind: state) RETURNING *").first() else { return nil }
            return PendingLogin(
                state: try row.decode(column: "state", as: String.self), nonce: try row.decode(column: "nonce", as: String.self),
                codeVerifier: try row.decode(column: "code_verifier", as: String.self),
                redirectPath: try row.decode(column: "redirect_path", as: String.self), createdAt: try row.decode(column: "created_at", as: Date.self))
        }
    }

    public func deletePending(olderThan date: Date) async throws -> Int {
        try await self.database.withSQL { sql in
            try await sql.raw("DELETE FROM oidc_logins WHERE created_at < \(bind: date) RETURNING state").all().count
        }
    }

    public func user(issuer: String, subject: String) async throws -> UserRecord? {
        try await self.database.withSQL { sql in
            try await sql.raw(
                "SELECT u.* FROM user_identities i JOIN users u ON u.id = i.user_id WHERE i.issuer = \(bind: issuer) AND i.subject = \(bind: subject)"
            ).first().map(UserRepository.decode)
        }
    }

    public func link(issuer: String, subject: String, userID: UUID, at date: Date = Date()) async throws {
        try await self.database.withSQL { sql in
            try await sql.raw(
                """
                INSERT INTO user_identities (issuer, subject, user_id, created_at)
                VALUES (\(bind: issuer), \(bind: subject), \(bind: userID), \(bind: date))
                """
            ).run()
        }
    }

    /// Turns a guest into an account signed in through a provider, in place, so its chats stay its own.
    public func upgradeGuest(id: UUID, email: String) async throws -> Bool {
        try await self.database.withSQL { sql in
            !(try await sql.raw(
                "UPDATE users SET email = \(bind: email), type = 'regular' WHERE id = \(bind: id) AND type = 'guest' RETURNING id"
            ).all().isEmpty)
        }
    }
}
