import CoreMetrics
import Foundation
import Storage

/// At most `limit` attempts of one kind from one client address in a rolling `window`, counted atomically
/// like sign-ins (`ThrottleRepository.reserve`), so concurrent attempts see each other.
public struct AddressLimit: Sendable {
    let events: ThrottleRepository
    /// The kind of attempt; the counter's key is "`name`-address:`address`".
    public let name: String
    public let limit: Int
    public let window: TimeInterval
    /// The error for an attempt past the limit, given the seconds until the oldest counted one leaves the window.
    let refusal: @Sendable (_ retryAfterSeconds: Int) -> AccountError
    let clock: @Sendable () -> Date

    public init(
        events: ThrottleRepository, name: String, limit: Int, window: TimeInterval = 3600,
        refusal: @escaping @Sendable (_ retryAfterSeconds: Int) -> AccountError, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.events = events
        self.name = name
        self.limit = limit
        self.window = window
        self.refusal = refusal
        self.clock = clock
    }

    /// Guests one address may create per hour.
    public static func guests(events: ThrottleRepository, limit: Int = 50, clock: @escaping @Sendable () -> Date = { Date() }) -> AddressLimit {
        AddressLimit(events: events, name: "guest", limit: limit, refusal: { .tooManyGuests(retryAfterSeconds: $0) }, clock: clock)
    }

    /// Registration attempts one address may make per hour. Registering is the one place that can tell whether an
    /// e-mail has an account, so each try is a probe: this bounds how fast anyone can probe. No limit per e-mail:
    /// a stranger could then stop its owner from registering.
    public static func registrations(events: ThrottleRepository, limit: Int = 20, clock: @escaping @Sendable () -> Date = { Date() }) -> AddressLimit {
        AddressLimit(events: events, name: "register", limit: limit, refusal: { .tooManyRegistrations(retryAfterSeconds: $0) }, clock: clock)
    }

    /// Counts one attempt from `address`, or throws the refusal with its Retry-After.
    public func take(address: String) async throws {
        let now = self.clock()
        let key = "\(self.name)-address:\(address)"
        let limit = self.limit
        let (allowed, counts) = try await self.events.reserve(
            attempt: UUID(), keys: [key], since: now.addingTimeInterval(-self.window), at: now, countCap: limit + 1
        ) { counts in (counts[key]?.count ?? 0) < limit }
        if !allowed {
            let oldest = counts[key]?.oldest ?? now
            Counter(label: "chatbot_address_limit_refusals_total", dimensions: [("limit", self.name)]).increment()
            throw self.refusal(max(1, Int(oldest.addingTimeInterval(self.window).timeIntervalSince(now).rounded(.up))))
        }
    }
}
