import Foundation
import Storage

extension AccountService {
    /// Starts a session for `user`: a new row (so it can be revoked) and the token that names it.
    public func startSession(for user: SessionUser, now: Date = Date()) async throws -> SessionToken {
        let token = SessionToken(user: user, issuedAt: now, lifetime: SessionCodec.idleLifetime)
        try await self.sessions.create(
            id: token.sessionID, userID: user.id, createdAt: now, expiresAt: now.addingTimeInterval(SessionCodec.absoluteLifetime))
        return token
    }

    /// The user a (correctly signed) token acts for now, or nil when its session was revoked, expired
    /// or its user deleted. One primary-key read; no cache, so a revocation applies to the next request.
    public func resolve(_ token: SessionToken, now: Date = Date()) async throws -> SessionUser? {
        guard let live = try await self.sessions.find(id: token.sessionID, now: now), live.user.id == token.user.id else { return nil }
        return SessionUser(live.user)
    }

    public func endSession(_ token: SessionToken) async throws {
        try await self.sessions.delete(id: token.sessionID)
    }

    /// Logs every browser of the user out; returns how many sessions ended.
    @discardableResult
    public func endAllSessions(userID: UUID) async throws -> Int {
        try await self.sessions.deleteAll(userID: userID)
    }
}

/// Deletes what no one can use any more: guests that never chatted, expired sessions, old throttle events.
public struct AccountSweeper: Sendable {
    let users: UserRepository
    let sessions: SessionRepository
    let events: ThrottleRepository
    /// Guests younger than this are kept: they may be about to send their first message.
    public let idleGuestAge: TimeInterval

    public init(database: any DatabaseClient, idleGuestAge: TimeInterval = 24 * 3600) {
        self.users = UserRepository(database: database)
        self.sessions = SessionRepository(database: database)
        self.events = ThrottleRepository(database: database)
        self.idleGuestAge = idleGuestAge
    }

    public struct Result: Sendable, Equatable {
        public var guests: Int
        public var sessions: Int
        public var events: Int
    }

    public func sweep(now: Date = Date()) async throws -> Result {
        let guests = try await self.users.deleteIdleGuests(createdBefore: now.addingTimeInterval(-self.idleGuestAge))
        let sessions = try await self.sessions.deleteExpired(now: now)
        // No throttle window looks back more than a day.
        let events = try await self.events.deleteOlder(than: now.addingTimeInterval(-24 * 3600))
        return Result(guests: guests, sessions: sessions, events: events)
    }
}
