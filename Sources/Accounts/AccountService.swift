import Foundation
import Logging
import Storage

/// Guests, registration and sign-in. Owns the rules; the HTTP layer only parses and sets cookies.
public struct AccountService: Sendable {
    public static let minimumPasswordLength = 8
    /// bcrypt reads at most 72 bytes; longer passwords would be silently truncated, so refuse them.
    public static let maximumPasswordBytes = 72

    let users: UserRepository
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let logger: Logger

    public init(users: UserRepository, hasher: PasswordHasher, throttle: LoginThrottle, logger: Logger) {
        self.users = users
        self.hasher = hasher
        self.throttle = throttle
        self.logger = logger
    }

    public func createGuest() async throws -> SessionUser {
        let record = UserRecord(kind: .guest)
        try await self.users.create(record)
        return SessionUser(record)
    }

    /// Creates an account. From a guest session the guest itself becomes the account, keeping its chats.
    public func register(email rawEmail: String, password: String, currentUser: SessionUser?) async throws -> SessionUser {
        let email = try Self.normalise(email: rawEmail)
        try Self.validate(password: password)
        if currentUser?.kind == .regular { throw AccountError.alreadyRegistered }
        if try await self.users.find(email: email) != nil { throw AccountError.emailTaken }
        let hash = try await self.hasher.hash(password)
        if let guest = currentUser, guest.isGuest, try await self.users.find(id: guest.id) != nil {
            do {
                if try await self.users.upgradeGuest(id: guest.id, email: email, passwordHash: hash) {
                    return SessionUser(id: guest.id, email: email, kind: .regular)
                }
            } catch {
                // The unique index decides races between two registrations of one email.
                if try await self.users.find(email: email) != nil { throw AccountError.emailTaken }
                throw error
            }
        }
        let record = UserRecord(email: email, passwordHash: hash, kind: .regular)
        do {
            try await self.users.create(record)
        } catch {
            if try await self.users.find(email: email) != nil { throw AccountError.emailTaken }
            throw error
        }
        return SessionUser(record)
    }

    /// Checks the password (in constant time whether or not the email exists), throttled per account and
    /// per client address. A guest signing in brings its chats along.
    public func login(email rawEmail: String, password: String, clientAddress: String, currentUser: SessionUser?) async throws -> SessionUser {
        let email = (try? Self.normalise(email: rawEmail)) ?? rawEmail.lowercased()
        let keys = ["account:\(email)", "address:\(clientAddress)"]
        try await self.throttle.check(keys: keys)
        let record = try await self.users.find(email: email)
        guard try await self.hasher.verify(password, against: record?.passwordHash), let record else {
            try await self.throttle.recordFailure(keys: keys)
            self.logger.notice("failed login", metadata: ["client": "\(clientAddress)"])
            throw AccountError.invalidCredentials
        }
        try await self.throttle.reset(key: keys[0])
        if let guest = currentUser, guest.isGuest, guest.id != record.id {
            try await self.users.mergeGuest(guest.id, into: record.id)
        }
        return SessionUser(record)
    }

    static func normalise(email: String) throws(AccountError) -> String {
        let trimmed = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !trimmed.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
        else { throw .invalidEmail }
        return trimmed
    }

    static func validate(password: String) throws(AccountError) {
        guard password.count >= Self.minimumPasswordLength else { throw .passwordTooShort(minimum: Self.minimumPasswordLength) }
        guard password.utf8.count <= Self.maximumPasswordBytes else { throw .passwordTooLong(maximum: Self.maximumPasswordBytes) }
    }
}
