import Foundation
import SQLKit

/// Signed-in browsers. The cookie names a row here; a missing or expired row is a revoked session.
public struct SessionRepository: Sendable {
    /// What a live session resolves to: its user as the database knows it now.
    public struct Live: Sendable, Equatable {
        public let sessionID: UUID
        public let user: UserRecord
        public let expiresAt: Date
    }

    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    public func create(id: UUID, userID: UUID, createdAt: Date, expiresAt: Date) async throws {
        try await self.database.withSQL { sql in
            try await sql.raw(
                "INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (\(bind: id), \(bind: userID), \(bind: createdAt), \(bind: expiresAt))"
            ).run()
        }
    }

    /// One primary-key read joined to the user's row: the per-request check. A disabled user has no live session.
    public func find(id: UUID, now: Date) async throws -> Live? {
        try await self.database.withSQL { sql in
            guard
                let row = try await sql.raw(
                    """
                    SELECT s.expires_at AS session_expires_at, u.* FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.id = \(bind: id) AND s.expires_at > \(bind: now) AND u.disabled_at IS NULL
                    """
                ).first()
            else { return nil }
            return Live(sessionID: id, user: try UserRepository.decode(row), expiresAt: try row.decode(column: "session_expires_at", as: Date.self))
        }
    }

    public func delete(id: UUID) async throws {
        try await self.database.withSQL { sql in
            try await sql.raw("DELETE FROM sessions WHERE id = \(bind: id)").run()
        }
    }

    /// Ends every session of a user (log out everywhere, password change); returns how many ended.
    @discardableResult
    public func deleteAll(userID: UUID) async throws -> Int {
        try await self.database.withSQL { sql in
            try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: userID) RETURNING id").all().count
        }
    }

    public func deleteExpired(now: Date) async throws -> Int {
        try await self.database.withSQL { sql in
            try await sql.raw("DELETE FROM sessions WHERE expires_at <= \(bind: now) RETURNING id").all().count
        }
    }
}
