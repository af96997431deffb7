import Foundation
import SQLKit

/// What the admin view reads and changes: users with their usage, disabling, allowance overrides, the audit log.
public struct AdminRepository: Sendable {
    public struct UserSummary: Sendable, Equatable {
        public var user: UserRecord
        /// `guest`, `password` or `sso`.
        public var signInMethod: String
        public var lastActiveAt: Date?
    }

    public struct ModelUsage: Sendable, Equatable {
        public var userID: UUID
        public var model: String
        public var messages: Int
        public var inputTokens: Int
        public var outputTokens: Int
    }

    public struct AuditEntry: Sendable, Equatable {
        public var id: UUID
        public var adminEmail: String
        public var action: String
        public var targetUserID: UUID?
        public var detail: String
        public var createdAt: Date
        public init(id: UUID = UUID(), adminEmail: String, action: String, targetUserID: UUID?, detail: String, createdAt: Date = Date()) {
            self.id = id
            self.adminEmail = adminEmail
            self.action = action
            self.targetUserID = targetUserID
            self.detail = detail
            self.createdAt = createdAt
        }
    }

    let database: any DatabaseClient
    public init(database: any DatabaseClient) { self.database = database }

    /// Accounts and guests, newest first. Last active is the last message sent (the quota rows survive chat deletion).
    public func users(limit: Int = 500) async throws -> [UserSummary] {
        try await self.database.withSQL { sql in
            try await sql.raw(
                """
                SELECT u.*, (SELECT MAX(q.created_at) FROM message_quota q WHERE q.user_id = u.id) AS last_active_at,
                       EXISTS (SELECT 1 FROM user_identities i WHERE i.user_id = u.id) AS has_identity
                FROM users u ORDER BY u.created_at DESC LIMIT \(bind: limit)
                """
            ).all().map { row in
                let user = try UserRepository.decode(row)
                let sso = try row.decode(column: "has_identity", as: Bool.self)
                let method = user.kind == .guest ? "guest" : (sso ? "sso" : "password")
                return UserSummary(user: user, signInMethod: method, lastActiveAt: try row.decode(column: "last_active_at", as: Date?.self))
            }
        }
    }

    /// Answers and tokens per user and model since `since` (the start of the month).
    public func usage(since: Date) async throws -> [ModelUsage] {
        try await self.database.withSQL { sql in
            try await sql.raw(
                """
                SELECT user_id, model, COUNT(*) AS messages, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens
                FROM usage_events WHERE created_at >= \(bind: since) GROUP BY user_id, model ORDER BY user_id, model
                """
            ).all().map { row in
                ModelUsage(
                    userID: try row.decode(column: "user_id", as: UUID.self), model: try row.decode(column: "model", as: String.self),
                    messages: try row.decode(column: "messages", as: Int.self), inputTokens: try row.decode(column: "input_tokens", as: Int.self),
                    outputTokens: try row.decode(column: "output_tokens", as: Int.self))
            }
        }
    }

    /// Messages each user was charged for since `since` (the start of the month), by user id.
    public func messageCounts(since: Date) async throws -> [UUID: Int] {
        try await self.database.withSQL { sql in
            var counts: [UUID: Int] = [:]
            for row in try await sql.raw("SELECT user_id, COUNT(*) AS messages FROM message_quota WHERE created_at >= \(bind: since) GROUP BY user_id").all() {
                counts[try row.decode(column: "user_id", as: UUID.self)] = try row.decode(column: "messages", as: Int.self)
            }
            return counts
        }
    }

    /// What an administrator changes about a user.
    public enum Change: Sendable, Equatable {
        /// Disabled since the date (its sessions are deleted too, so re-enabling does not bring them back), or re-enabled with nil.
        case disabled(Date?)
        /// The daily message allowance override, or nil for the kind's default.
        case messageLimit(Int?)
    }

    /// Applies `change` and writes its audit entry in one transaction: either both happen or neither.
    /// Returns the user as changed, or nil (and writes nothing) when there is no such user.
    public func apply(_ change: Change, to userID: UUID, audit entry: AuditEntry, adminID: UUID?) async throws -> UserRecord? {
        try await self.database.transaction { sql in
            let row: (any SQLRow)?
            switch change {
            case .disabled(let date?):
                // Disabling twice keeps the first date: it says since when.
                row = try await sql.raw("UPDATE users SET disabled_at = COALESCE(disabled_at, \(bind: date)) WHERE id = \(bind: userID) RETURNING *").first()
                if row != nil {
                    try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
                }
            case .disabled(nil):
                row = try await sql.raw("UPDATE users SET disabled_at = NULL WHERE id = \(bind: userID) RETURNING *").first()
            case .messageLimit(let limit):
                row = try await sql.raw("UPDATE users SET message_limit = \(bind: limit) WHERE id = \(bind: userID) RETURNING *").first()
            }
            guard let row else { return nil }
            try await Self.insert(entry, adminID: adminID, sql)
            return try UserRepository.decode(row)
        }
    }

    /// Disables (with a date) or re-enables (nil) a user. Their sessions stop resolving at the next request.
    public func setDisabled(userID: UUID, at date: Date?) async throws -> Bool {
        try await self.database.withSQL { sql in
            !(try await sql.raw("UPDATE users SET disabled_at = \(bind: date) WHERE id = \(bind: userID) RETURNING id").all().isEmpty)
        }
    }

    /// Sets (or, with nil, removes) a user's daily message allowance override.
    public func setMessageLimit(userID: UUID, limit: Int?) async throws -> Bool {
        try await self.database.withSQL { sql in
            !(try await sql.raw("UPDATE users SET message_limit = \(bind: limit) WHERE id = \(bind: userID) RETURNING id").all().isEmpty)
        }
    }

    public func audit(_ entry: AuditEntry, adminID: UUID?) async throws {
        try await self.database.withSQL { sql in try await Self.insert(entry, adminID: adminID, sql) }
    }

    static func insert(_ entry: AuditEntry, adminID: UUID?, _ sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            INSERT INTO admin_audit (id, admin_id, admin_email, action, target_user_id, detail, created_at)
            VALUES (\(bind: entry.id), \(bind: adminID), \(bind: entry.adminEmail), \(bind: entry.action), \(bind: entry.targetUserID),
                    \(bind: entry.detail), \(bind: entry.createdAt))
            """
        ).run()
    }

    public func auditLog(limit: Int = 200) async throws -> [AuditEntry] {
        try await self.database.withSQL { sql in
            try await sql.raw("SELECT * FROM admin_audit ORDER BY created_at DESC LIMIT \(bind: limit)").all().map { row in
                AuditEntry(
                    id: try row.decode(column: "id", as: UUID.self), adminEmail: try row.decode(column: "admin_email", as: String.self),
                    action: try row.decode(column: "action", as: String.self), targetUserID: try row.decode(column: "target_user_id", as: UUID?.self),
                    detail: try row.decode(column: "detail", as: String.self), createdAt: try row.decode(column: "created_at", as: Date.self))
            }
        }
    }
}
