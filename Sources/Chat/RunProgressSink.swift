import Foundation
import Storage

/// A run's progress to keep: the chunks since the last save, numbered from `firstSeq`, and the answer
/// message as it stands (nil when its parts did not change).
public struct RunProgress: Sendable {
    public var runID: UUID
    public var firstSeq: Int
    public var chunks: [String]
    public var message: MessageRecord?
}

/// Where runs save their progress. Each run hands its batches here on its own flush child; a sink may
/// write them at once (`DirectProgressSink`) or, for many concurrent answers, gather batches of many runs
/// into one transaction (issue 09) as long as it answers each call after that batch is stored.
public protocol RunProgressSink: Sendable {
    /// Stores the progress (idempotently: a batch may be sent again) and returns whether a stop was requested.
    func save(_ progress: RunProgress) async throws -> Bool
}

/// Writes each batch as it comes: chunks with the heartbeat, then the message's parts.
public struct DirectProgressSink: RunProgressSink {
    let runs: any RunStore
    let messages: any MessageStore

    public init(storage: ChatStorage) {
        self.runs = storage.runs
        self.messages = storage.messages
    }

    public func save(_ progress: RunProgress) async throws -> Bool {
        let stop = try await self.runs.append(chunks: progress.chunks, to: progress.runID, startingAt: progress.firstSeq, at: Date())
        if let message = progress.message { try await self.messages.update(message) }
        return stop
    }
}
