import Foundation
import Storage

/// At most `files` uploads and `bytes` bytes per user in a rolling `window`, counted atomically like sign-ins and
/// guest creation (`ThrottleRepository.reserve`, the mechanism behind `AddressLimit`), so concurrent uploads see
/// each other. An upload is one event weighted by its size; deleting the files does not give the allowance back.
public struct UploadLimit: Sendable {
    let events: ThrottleRepository
    public let files: Int
    public let bytes: Int
    public let window: TimeInterval
    let clock: @Sendable () -> Date

    public init(events: ThrottleRepository, files: Int, bytes: Int, window: TimeInterval = 3600, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.events = events
        self.files = files
        self.bytes = bytes
        self.window = window
        self.clock = clock
    }

    /// Counts one upload of `size` bytes by `userID`, or throws `FileError.uploadLimit` with its Retry-After.
    public func take(userID: UUID, size: Int) async throws {
        let now = self.clock()
        let key = "upload-user:\(userID.uuidString.lowercased())"
        let (files, bytes) = (self.files, self.bytes)
        // Granted only under the count limit, where the cap reads every row, so the byte total is exact.
        let (allowed, counts) = try await self.events.reserve(
            attempt: UUID(), keys: [key], since: now.addingTimeInterval(-self.window), at: now, countCap: files + 1, amount: size
        ) { counts in
            let count = counts[key] ?? ThrottleRepository.Count(count: 0, oldest: nil)
            return count.count < files && count.total + size <= bytes
        }
        if !allowed {
            let oldest = counts[key]?.oldest ?? now
            throw FileError.uploadLimit(
                files: files, bytes: bytes, windowSeconds: Int(self.window),
                retryAfterSeconds: max(1, Int(oldest.addingTimeInterval(self.window).timeIntervalSince(now).rounded(.up))))
        }
    }
}
