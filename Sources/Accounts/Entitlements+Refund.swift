import Foundation
import Storage

extension Entitlements {
    /// Gives back the message `consumeMessage(for:now:)` took at `now`, when its answer did not start.
    public func refundMessage(for user: SessionUser, chargedAt now: Date) async throws {
        try await self.quota.refundMessage(userID: user.id, chargedAt: now)
    }
}
