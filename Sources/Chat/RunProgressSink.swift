import Foundation
import Storage

/// Where runs save their progress. The engine's one flusher hands it the batches of all running answers
/// each tick (`save(all:)`); a run's final batch comes alone (`save(_:)`). Every call answers after its
/// batches are stored.
public protocol RunProgressSink: Sendable {
    /// Stores the progress (idempotently: a batch may be sent again) and returns whether a stop was requested.
    func save(_ progress: RunProgress) async throws -> Bool
    /// Stores the batches of many runs (idempotently); returns the runs asked to stop.
    func save(all progress: [RunProgress]) async throws -> Set<UUID>
    /// Stores the batches and the last saves of ending answers together; returns the runs asked to stop.
    func save(all progress: [RunProgress], finals: [RunFinal]) async throws -> Set<UUID>
}

extension RunProgressSink {
    /// One run after another, for sinks that cannot do better.
    public func save(all progress: [RunProgress]) async throws -> Set<UUID> {
        var stops: Set<UUID> = []
        for batch in progress where try await self.save(batch) { stops.insert(batch.runID) }
        return stops
    }
}

/// Writes to the chat storage: many runs in one transaction when it has a progress store, otherwise
/// chunks with the heartbeat, then the message's parts, run by run.
public struct DirectProgressSink: RunProgressSink {
    let runs: any RunStore
    let messages: any MessageStore
    let usage: any UsageStore
    let store: (any RunProgressStore)?

    public init(storage: ChatStorage) {
        self.runs = storage.runs
        self.messages = storage.messages
        self.usage = storage.usage
        self.store = storage.progress
    }

    public func save(all progress: [RunProgress], finals: [RunFinal]) async throws -> Set<UUID> {
        if let store { return try await store.save(progress: progress, finals: finals, at: Date()) }
        var stops = try await self.save(all: progress)
        for final in finals {
            if try await self.save(final.progress) { stops.insert(final.progress.runID) }
            try await self.messages.update(final.message)
            try await self.runs.finish(final.progress.runID, status: final.runStatus, error: final.message.error, at: Date())
            try? await self.usage.recordUsage(
                userID: final.userID, chatID: final.message.chatID, messageID: final.message.id, model: final.model, usage: final.message.usage,
                at: Date())
        }
        return stops
    }

    public func save(_ progress: RunProgress) async throws -> Bool {
        // Through the progress store too: it skips a run whose chat was deleted meanwhile instead of failing.
        if let store { return try await store.save(progress: [progress], at: Date()).contains(progress.runID) }
        let stop = try await self.runs.append(chunks: progress.chunks, to: progress.runID, startingAt: progress.firstSeq, at: Date())
        if let message = progress.message { try await self.messages.update(message) }
        return stop
    }

    public func save(all progress: [RunProgress]) async throws -> Set<UUID> {
        guard let store else {
            var stops: Set<UUID> = []
            for batch in progress where try await self.save(batch) { stops.insert(batch.runID) }
            return stops
        }
        return try await store.save(progress: progress, at: Date())
    }
}
