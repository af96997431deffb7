import Foundation
import Storage

/// Limits password guessing: failures are counted per key (account, client address) in a sliding window,
/// in the database so every instance sees the same counts.
public struct LoginThrottle: Sendable {
    let quota: QuotaRepository
    public let window: TimeInterval
    /// Failures allowed per key within the window, e.g. ["account": 5, "address": 20].
    public let limits: [String: Int]

    public init(quota: QuotaRepository, window: TimeInterval = 15 * 60, limits: [String: Int] = ["account": 5, "address": 20]) {
        self.quota = quota
        self.window = window
        self.limits = limits
    }

    func check(keys: [String], now: Date = Date()) async throws {
        for key in keys {
            let limit = self.limit(for: key)
            let (count, oldest) = try await self.quota.failures(key: key, since: now.addingTimeInterval(-self.window))
            if count >= limit, let oldest {
                let retry = max(1, Int(oldest.addingTimeInterval(self.window).timeIntervalSince(now).rounded(.up)))
                throw AccountError.tooManyAttempts(retryAfterSeconds: retry)
            }
        }
    }

    func recordFailure(keys: [String]) async throws {
        for key in keys { try await self.quota.recordFailure(key: key) }
    }

    func reset(key: String) async throws {
        try await self.quota.clearFailures(key: key)
    }

    private func limit(for key: String) -> Int {
        let prefix = String(key.prefix(while: { $0 != ":" }))
        return self.limits[prefix] ?? 5
    }
}
