import Foundation
import SQLKit

/// Users: guests and registered accounts.
public struct UserRepository: Sendable {
    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    public func create(_ user: UserRecord) async throws {
        try await self.database.withSQL { sql in
            try await sql.raw(
                """
                INSERT INTO users (id, email, password_hash, type, created_at)
                VALUES (\(bind: user.id), \(bind: user.email), \(bind: user.passwordHash), \(bind: user.kind.rawValue), \(bind: user.createdAt))
                """
            ).run()
        }
    }

    public func find(id: UUID) async throws -> UserRecord? {
        try await self.database.withSQL { sql in
            try await sql.raw("SELECT * FROM users WHERE id = \(bind: id)").first().map(Self.decode)
        }
    }

    /// Looks an account up by its normalised email.
    public func find(email: String) async throws -> UserRecord? {
        try await self.database.withSQL { sql in
            try await sql.raw("SELECT * FROM users WHERE email = \(bind: email)").first().map(Self.decode)
        }
    }

    /// Turns a guest into a registered account in place, so everything the guest owns stays theirs.
    /// Returns false when the user is not a guest any more (two tabs registering at once).
    public func upgradeGuest(id: UUID, email: String, passwordHash: String) async throws -> Bool {
        try await self.database.withSQL { sql in
            let rows = try await sql.raw(
                """
                UPDATE users SET email = \(bind: email), password_hash = \(bind: passwordHash), type = 'regular'
                WHERE id = \(bind: id) AND type = 'guest' RETURNING id
                """
            ).all()
            return !rows.isEmpty
        }
    }

    /// Gives a guest's chats, documents and quota to an account the guest signed in to, then removes the guest.
    public func mergeGuest(_ guestID: UUID, into userID: UUID) async throws {
        try await self.database.transaction { sql in
            guard let row = try await sql.raw("SELECT type FROM users WHERE id = \(bind: guestID)").first(),
                try row.decode(column: "type", as: String.self) == UserRecord.Kind.guest.rawValue
            else { return }
            for table in ["chats", "documents", "suggestions", "message_quota", "usage_events", "generation_runs", "files"] {
                try await sql.raw("UPDATE \(ident: table) SET user_id = \(bind: userID) WHERE user_id = \(bind: guestID)").run()
            }
            try await sql.raw("DELETE FROM users WHERE id = \(bind: guestID)").run()
        }
    }

    /// `nil` removes the password: the account then signs in only through single sign-on.
    public func updatePassword(id: UUID, passwordHash: String?) async throws {
        try await self.database.withSQL { sql in
            try await sql.raw("UPDATE users SET password_hash = \(bind: passwordHash) WHERE id = \(bind: id)").run()
        }
    }

    /// Deletes guests created before `date` that never sent a message and own no chat; returns how many.
    /// A guest with files is kept until the file sweep has removed them: a cascade would drop the rows but leave
    /// the bytes in an external blob store (S3).
    public func deleteIdleGuests(createdBefore date: Date) async throws -> Int {
        try await self.database.withSQL { sql in
            try await sql.raw(
                """
                DELETE FROM users WHERE type = 'guest' AND created_at < \(bind: date)
                AND NOT EXISTS (SELECT 1 FROM chats WHERE chats.user_id = users.id)
                AND NOT EXISTS (SELECT 1 FROM message_quota WHERE message_quota.user_id = users.id)
                AND NOT EXISTS (SELECT 1 FROM files WHERE files.user_id = users.id)
                RETURNING id
                """
            ).all().count
        }
    }

    static func decode(_ row: any SQLRow) throws -> UserRecord {
        UserRecord(
            id: try row.decode(column: "id", as: UUID.self),
            email: try row.decode(column: "email", as: String?.self),
            passwordHash: try row.decode(column: "password_hash", as: String?.self),
            kind: UserRecord.Kind(rawValue: try row.decode(column: "type", as: String.self)) ?? .guest,
            createdAt: try row.decode(column: "created_at", as: Date.self),
            disabledAt: try row.decode(column: "disabled_at", as: Date?.self),
            messageLimit: try row.decode(column: "message_limit", as: Int?.self)
        )
    }
}
