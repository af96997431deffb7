import Foundation
import Logging
import Storage

/// Turns a verified ID token into a user: the linked account, an existing account with the same verified
/// e-mail (then linked), or a new one (a guest signing in becomes it, keeping its chats).
public struct SSOAccounts: Sendable {
    let users: UserRepository
    let identities: IdentityRepository
    let sessions: SessionRepository
    let policy: AccessPolicy
    let logger: Logger

    public init(database: any DatabaseClient, policy: AccessPolicy, logger: Logger) {
        self.users = UserRepository(database: database)
        self.identities = IdentityRepository(database: database)
        self.sessions = SessionRepository(database: database)
        self.policy = policy
        self.logger = logger
    }

    public func signIn(_ claims: IDTokenClaims, currentUser: SessionUser?) async throws -> SessionUser {
        guard let raw = claims.email else { throw SSOError.emailMissing }
        let email: String
        do {
            email = try AccountService.normalise(email: raw)
        } catch {
            throw SSOError.emailMissing
        }
        guard self.policy.allowsDomain(of: email) else { throw AccountError.emailDomainNotAllowed }
        if let linked = try await self.identities.user(issuer: claims.issuer, subject: claims.subject) {
            return try await self.enter(linked, from: currentUser)
        }
        // Only the provider's word that the address is the user's may tie it to an account someone else made.
        guard claims.emailVerified else { throw SSOError.emailNotVerified }
        if let existing = try await self.users.find(email: email) {
            guard existing.disabledAt == nil else { throw AccountError.accountDisabled }
            try await self.identities.link(issuer: claims.issuer, subject: claims.subject, userID: existing.id)
            if existing.passwordHash != nil {
                // Registering never proved the address was the registrant's: whoever chose that password (maybe
                // someone who claimed the address before its owner came) loses it and every session it opened.
                try await self.users.updatePassword(id: existing.id, passwordHash: nil)
                try await self.sessions.deleteAll(userID: existing.id)
            }
            self.logger.info("single sign-on linked to an existing account", metadata: ["user": "\(existing.id)"])
            return try await self.enter(existing, from: currentUser)
        }
        if let guest = currentUser, guest.isGuest, try await self.identities.upgradeGuest(id: guest.id, email: email) {
            try await self.identities.link(issuer: claims.issuer, subject: claims.subject, userID: guest.id)
            try await self.sessions.deleteAll(userID: guest.id)
            self.logger.info("single sign-on turned a guest into an account", metadata: ["user": "\(guest.id)"])
            return SessionUser(id: guest.id, email: email, kind: .regular)
        }
        let record = UserRecord(email: email, kind: .regular)
        try await self.users.create(record)
        try await self.identities.link(issuer: claims.issuer, subject: claims.subject, userID: record.id)
        self.logger.info("single sign-on provisioned an account", metadata: ["user": "\(record.id)"])
        return SessionUser(record)
    }

    private func enter(_ record: UserRecord, from currentUser: SessionUser?) async throws -> SessionUser {
        guard record.disabledAt == nil else { throw AccountError.accountDisabled }
        if let guest = currentUser, guest.isGuest, guest.id != record.id {
            try await self.users.mergeGuest(guest.id, into: record.id)
        }
        return SessionUser(record)
    }
}
