import CoreMetrics
import Foundation
import Logging
import Storage

/// Guests, registration, sign-in and sessions. Owns the rules; the HTTP layer only parses and sets cookies.
public struct AccountService: Sendable {
    public static let minimumPasswordLength = 8
    /// bcrypt reads at most 72 bytes; longer passwords would be silently truncated, so refuse them.
    public static let maximumPasswordBytes = 72
    /// RFC 5321's limit on an address, in bytes.
    public static let maximumEmailBytes = 254

    let users: UserRepository
    let sessions: SessionRepository
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let guests: AddressLimit
    let registrations: AddressLimit?
    public let policy: AccessPolicy
    let logger: Logger

    public init(
        users: UserRepository, sessions: SessionRepository, hasher: PasswordHasher, throttle: LoginThrottle, guests: AddressLimit,
        policy: AccessPolicy = AccessPolicy(), logger: Logger, registrations: AddressLimit? = nil
    ) {
        self.users = users
        self.sessions = sessions
        self.hasher = hasher
        self.throttle = throttle
        self.guests = guests
        self.registrations = registrations
        self.policy = policy
        self.logger = logger
    }

    /// A new guest, counted against the client address's guest allowance.
    public func createGuest(clientAddress: String) async throws -> SessionUser {
        guard self.policy.guestsEnabled else { throw AccountError.guestsDisabled }
        try await self.guests.take(address: clientAddress)
        let record = UserRecord(kind: .guest)
        try await self.users.create(record)
        Counter(label: "chatbot_guests_created_total").increment()
        return SessionUser(record)
    }

    /// Creates an account. From a guest session the guest itself becomes the account, keeping its chats;
    /// the guest's sessions end (whoever held the guest cookie must not hold the account).
    /// `clientAddress` counts the attempt against the address's registrations (see `AddressLimit.registrations`).
    public func register(email rawEmail: String, password: String, currentUser: SessionUser?, clientAddress: String? = nil) async throws -> SessionUser {
        guard self.policy.registrationOpen else { throw AccountError.registrationClosed }
        let email = try Self.normalise(email: rawEmail)
        try Self.validate(password: password)
        guard self.policy.allowsDomain(of: email) else { throw AccountError.emailDomainNotAllowed }
        guard !self.policy.adminEmails.contains(email) else { throw AccountError.addressReserved }
        if currentUser?.kind == .regular { throw AccountError.alreadyRegistered }
        if let registrations = self.registrations, let clientAddress { try await registrations.take(address: clientAddress) }
        // Hashed before the lookup, so a taken e-mail is not answered faster than a free one.
        let hash = try await self.hasher.hash(password)
        if try await self.users.find(email: email) != nil { throw AccountError.emailTaken }
        if let guest = currentUser, guest.isGuest, try await self.users.find(id: guest.id) != nil {
            do {
                if try await self.users.upgradeGuest(id: guest.id, email: email, passwordHash: hash) {
                    try await self.sessions.deleteAll(userID: guest.id)
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

    /// The operator's way in (`chatbot set-password`): creates the account with this password, or replaces the
    /// password of an existing one and ends its sessions. Not limited by the registration policy: whoever runs
    /// it holds the database. Returns whether the account was created.
    public func setPassword(email rawEmail: String, password: String) async throws -> Bool {
        let email = try Self.normalise(email: rawEmail)
        try Self.validate(password: password)
        let hash = try await self.hasher.hash(password)
        if let existing = try await self.users.find(email: email) {
            try await self.users.updatePassword(id: existing.id, passwordHash: hash)
            try await self.sessions.deleteAll(userID: existing.id)
            return false
        }
        try await self.users.create(UserRecord(email: email, passwordHash: hash, kind: .regular))
        return true
    }

    /// Checks the password (in constant time whether or not the email exists) under the login throttle.
    /// A guest signing in brings its chats along.
    public func login(email rawEmail: String, password: String, clientAddress: String, currentUser: SessionUser?) async throws -> SessionUser {
        let email = try Self.loginKey(rawEmail)
        let record = try await self.verify(email: email, password: password, clientAddress: clientAddress)
        if let guest = currentUser, guest.isGuest, guest.id != record.id {
            try await self.users.mergeGuest(guest.id, into: record.id)
        }
        return SessionUser(record)
    }

    /// Changes a signed-in user's password after checking the current one (throttled like a sign-in),
    /// and ends every session of the user: the caller starts a new one for this browser.
    public func changePassword(user: SessionUser, currentPassword: String, newPassword: String, clientAddress: String) async throws {
        guard let email = user.email, !user.isGuest else { throw AccountError.unauthenticated }
        try Self.validate(password: newPassword)
        let record = try await self.verify(email: email, password: currentPassword, clientAddress: clientAddress)
        try await self.users.updatePassword(id: record.id, passwordHash: try await self.hasher.hash(newPassword))
        try await self.sessions.deleteAll(userID: record.id)
    }

    private func verify(email: String, password: String, clientAddress: String) async throws -> UserRecord {
        let reservation = try await self.throttle.reserve(email: email, address: clientAddress)
        let record = try await self.users.find(email: email)
        guard try await self.hasher.verify(password, against: record?.passwordHash), let record else {
            self.logger.notice("failed login", metadata: ["client": "\(clientAddress)"])
            throw AccountError.invalidCredentials
        }
        try await self.throttle.succeeded(reservation)
        guard record.disabledAt == nil else { throw AccountError.accountDisabled }
        return record
    }

    /// The email as the throttle and the lookup know it. Anything that cannot be an address is a wrong
    /// credential, not a key: a megabyte of "email" must not become a database key.
    static func loginKey(_ rawEmail: String) throws(AccountError) -> String {
        do {
            return try Self.normalise(email: rawEmail)
        } catch {
            throw .invalidCredentials
        }
    }

    static func normalise(email: String) throws(AccountError) -> String {
        // Bound the input before any work proportional to it.
        guard email.utf8.count <= 4 * Self.maximumEmailBytes else { throw .invalidEmail }
        let trimmed = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.utf8.count <= Self.maximumEmailBytes, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !trimmed.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0 == "<" || $0 == ">" || $0.value < 0x20 || $0.value == 0x7F })
        else { throw .invalidEmail }
        return trimmed
    }

    static func validate(password: String) throws(AccountError) {
        // Both bounds in units that bound bytes: scalars for the minimum, bytes for bcrypt's maximum.
        guard password.utf8.count <= Self.maximumPasswordBytes else { throw .passwordTooLong(maximum: Self.maximumPasswordBytes) }
        guard TextLimit.scalarCount(password, upTo: Self.minimumPasswordLength) >= Self.minimumPasswordLength else {
            throw .passwordTooShort(minimum: Self.minimumPasswordLength)
        }
    }
}
