import Foundation
import Storage

/// Limits registrations per client address, counted atomically like sign-ins. Registering is the one place that
/// can tell whether an e-mail has an account, so each try is a probe: this bounds how fast anyone can probe.
/// No limit per e-mail: a stranger could then stop its owner from registering.
public struct RegistrationThrottle: Sendable {
    let events: ThrottleRepository
    public let limit: Int
    public let window: TimeInterval
    let clock: @Sendable () -> Date

    public init(events: ThrottleRepository, limit: Int = 20, window: TimeInterval = 3600, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.events = events
        self.limit = limit
        self.window = window
        self.clock = clock
    }

    /// Counts one registration attempt from `address`, or throws `tooManyRegistrations`.
    public func take(address: String) async throws {
        let now = self.clock()
        let key = "register-address:\(address)"
        let limit = self.limit
        let (allowed, counts) = try await self.events.reserve(
            attempt: UUID(), keys: [key], since: now.addingTimeInterval(-self.window), at: now, countCap: limit + 1
        ) { counts in (counts[key]?.count ?? 0) < limit }
        if !allowed {
            let oldest = counts[key]?.oldest ?? now
            throw AccountError.tooManyRegistrations(retryAfterSeconds: max(1, Int(oldest.addingTimeInterval(self.window).timeIntervalSince(now).rounded(.up))))
        }
    }
}
