import CoreMetrics
import Foundation
import Storage

/// Limits password guessing without letting anyone lock the owner out (OWASP's guidance: count per
/// address and per account-and-address; slow an attacked account down instead of locking it).
///
/// Every attempt reserves a failure before the password is checked, in the same transaction that counts
/// (`ThrottleRepository.reserve`), and a correct password takes the reservation back. So check, bcrypt and
/// record cannot be raced: 40 concurrent guesses see each other's reservations.
public struct LoginThrottle: Sendable {
    public struct Policy: Sendable, Equatable {
        public var window: TimeInterval
        /// Failures from one address, whatever accounts they name (password spraying).
        public var perAddress: Int
        /// Failures for one account from one address.
        public var perAccountAndAddress: Int
        /// Failures for one account from everywhere. Past it the account is under attack and each address
        /// gets one try per window for it: slower for everyone, never a lock for the owner's new address.
        public var perAccount: Int

        public init(window: TimeInterval = 15 * 60, perAddress: Int = 50, perAccountAndAddress: Int = 5, perAccount: Int = 20) {
            self.window = window
            self.perAddress = perAddress
            self.perAccountAndAddress = perAccountAndAddress
            self.perAccount = perAccount
        }
    }

    /// A reserved attempt: counted as a failure unless `succeeded` takes it back.
    public struct Reservation: Sendable {
        let attempt: UUID
        let accountAndAddressKey: String
    }

    let events: ThrottleRepository
    public let policy: Policy
    let clock: @Sendable () -> Date

    public init(events: ThrottleRepository, policy: Policy = Policy(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.events = events
        self.policy = policy
        self.clock = clock
    }

    static func keys(email: String, address: String) -> (address: String, accountAndAddress: String, account: String) {
        ("login-address:\(address)", "login-account-address:\(email)|\(address)", "login-account:\(email)")
    }

    /// Reserves one attempt for `email` from `address`, or throws `tooManyAttempts`.
    public func reserve(email: String, address: String) async throws -> Reservation {
        let now = self.clock()
        let keys = Self.keys(email: email, address: address)
        let policy = self.policy
        let attempt = UUID()
        let (allowed, counts) = try await self.events.reserve(
            attempt: attempt, keys: [keys.address, keys.accountAndAddress, keys.account], since: now.addingTimeInterval(-policy.window),
            at: now, countCap: max(policy.perAddress, policy.perAccountAndAddress, policy.perAccount) + 1
        ) { counts in
            Self.refusingKey(counts, keys: keys, policy: policy) == nil
        }
        if !allowed, let key = Self.refusingKey(counts, keys: keys, policy: policy) {
            let oldest = counts[key]?.oldest ?? now
            let retry = max(1, Int(oldest.addingTimeInterval(policy.window).timeIntervalSince(now).rounded(.up)))
            Counter(label: "chatbot_login_throttled_total").increment()
            throw AccountError.tooManyAttempts(retryAfterSeconds: retry)
        }
        return Reservation(attempt: attempt, accountAndAddressKey: keys.accountAndAddress)
    }

    /// The password was right: the attempt was no failure, and this address's earlier failures for the account are forgiven.
    public func succeeded(_ reservation: Reservation) async throws {
        try await self.events.release(attempt: reservation.attempt)
        try await self.events.clear(key: reservation.accountAndAddressKey)
    }

    /// The key whose limit refuses the attempt, if any.
    static func refusingKey(
        _ counts: [String: ThrottleRepository.Count], keys: (address: String, accountAndAddress: String, account: String), policy: Policy
    ) -> String? {
        let address = counts[keys.address]?.count ?? 0
        let accountAndAddress = counts[keys.accountAndAddress]?.count ?? 0
        let account = counts[keys.account]?.count ?? 0
        if address >= policy.perAddress { return keys.address }
        if accountAndAddress >= policy.perAccountAndAddress { return keys.accountAndAddress }
        if account >= policy.perAccount && accountAndAddress >= 1 { return keys.accountAndAddress }
        return nil
    }
}
