import Foundation
import Storage

/// How many messages each kind of user may send in a rolling 24 hours. The one place that enforces it.
public struct Entitlements: Sendable {
    public let guestMessagesPerDay: Int
    public let regularMessagesPerDay: Int
    let quota: QuotaRepository

    public init(quota: QuotaRepository, guestMessagesPerDay: Int = 20, regularMessagesPerDay: Int = 50) {
        self.quota = quota
        self.guestMessagesPerDay = guestMessagesPerDay
        self.regularMessagesPerDay = regularMessagesPerDay
    }

    /// The kind's default; an administrator's per-user override (read when a message is charged) replaces it.
    public func limit(for user: SessionUser) -> Int {
        user.isGuest ? self.guestMessagesPerDay : self.regularMessagesPerDay
    }

    /// Uses one message of the allowance, or throws `messageLimitReached` with when the oldest counted
    /// message leaves the window. With a limit of 20 the 20th message passes and the 21st is refused.
    public func consumeMessage(for user: SessionUser, now: Date = Date()) async throws {
        let window: TimeInterval = 24 * 3600
        if let refusal = try await self.quota.takeMessage(
            userID: user.id, defaultLimit: self.limit(for: user), since: now.addingTimeInterval(-window), at: now)
        {
            throw AccountError.messageLimitReached(limit: refusal.limit, resetsAt: refusal.oldestCounted.addingTimeInterval(window))
        }
    }
}
