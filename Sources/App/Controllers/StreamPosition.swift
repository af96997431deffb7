import Foundation

/// Where a resuming client wants the stream to start, from the numbers it sent. Any Int may arrive
/// (Int.max, Int.min): values are clamped into the range of chunk numbers before anything adds to them.
enum StreamPosition {
    static let maxSeq = Int(Int32.max)

    /// The last chunk the client has: `Last-Event-ID` is that chunk, `?offset=` the count it has; -1 for none.
    static func after(lastEventID: String?, offset: String?) -> Int {
        if let id = lastEventID.flatMap(self.parse) { return min(max(id, -1), self.maxSeq) }
        if let offset = offset.flatMap(self.parse) { return min(max(offset, 0), self.maxSeq) - 1 }
        return -1
    }

    /// A decimal integer of sensible length; anything else is ignored, as an absent value would be.
    static func parse(_ raw: String) -> Int? {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count <= 20 else { return nil }
        return Int(trimmed)
    }
}
