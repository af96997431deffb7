import Accounts
import Foundation
import Storage

/// Serves a run's chunks to readers: from memory when this instance generates it, from the database
/// otherwise. Reads only: a dead run ends the stream; recording it is the engine's job.
public struct RunFollower: Sendable {
    let runs: any RunStore
    let chats: any ChatStore
    let registry: RunRegistry
    let liveness: RunLiveness
    let notifications: any RunNotifications

    public init(storage: ChatStorage, engine: AnswerEngine, notifications: (any RunNotifications)? = nil) {
        self.runs = storage.runs
        self.chats = storage.chats
        self.registry = engine.registry
        self.liveness = engine.liveness
        self.notifications = notifications ?? PollingNotifications(interval: engine.timing.pollInterval)
    }

    /// The run to resume for `GET /api/chat/{id}/stream`: nil when nothing is being written (204).
    /// Owners can resume their chats; anyone can follow a public chat's answer.
    public func resumableRun(chatID: UUID, viewer: SessionUser?) async throws -> RunRecord? {
        guard let chat = try await self.chats.find(id: chatID), chat.userID == viewer?.id || chat.visibility == .public else {
            throw ChatError.chatNotFound
        }
        guard let run = try await self.runs.latest(chatID: chatID), run.status == .running, !self.liveness.isStale(run) else { return nil }
        // The caller streams it next: from memory when this instance writes it (as `follow` decides), else from the database.
        ChatMetrics.streamResumed(fromMemory: self.registry.handle(for: run.id) != nil)
        return run
    }

    /// Chunks of the run with `seq > after` (any Int a client sent), then live until the run ends.
    public func follow(runID: UUID, after: Int) -> RunChunks {
        if let handle = self.registry.handle(for: runID) {
            return RunChunks(source: .live(handle.live.follow(after: after)))
        }
        return RunChunks(source: .stored(StoredChunks(runID: runID, after: after, follower: self)))
    }
}

/// A run's chunks as a plain AsyncSequence: no task in between, so the reader's cancellation is the
/// sequence's (a stored run's reader stops querying the moment its client goes).
public struct RunChunks: AsyncSequence, Sendable {
    public typealias Element = RunChunk

    enum Source: Sendable {
        case live(AsyncStream<RunChunk>)
        case stored(StoredChunks)
    }

    let source: Source

    public func makeAsyncIterator() -> AsyncIterator {
        switch self.source {
        case .live(let stream): AsyncIterator(live: stream.makeAsyncIterator(), stored: nil)
        case .stored(let stored): AsyncIterator(live: nil, stored: stored)
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var live: AsyncStream<RunChunk>.AsyncIterator?
        var stored: StoredChunks?

        public mutating func next() async throws -> RunChunk? {
            if self.live != nil { return await self.live?.next() }
            return try await self.stored?.next()
        }
    }
}

/// Reads a run's chunks from the database, waking on the follower's notifications until the run ends.
struct StoredChunks: Sendable {
    let runID: UUID
    var last: Int
    let follower: RunFollower
    let watch: any RunWatch
    private var buffer: [RunChunk] = []
    private var done = false

    init(runID: UUID, after: Int, follower: RunFollower) {
        self.runID = runID
        self.last = after
        self.follower = follower
        self.watch = follower.notifications.watch(runID)
    }

    mutating func next() async throws -> RunChunk? {
        while true {
            if !self.buffer.isEmpty {
                let chunk = self.buffer.removeFirst()
                self.last = chunk.seq
                return chunk
            }
            if self.done { return nil }
            try Task.checkCancellation()
            let batch = try await self.follower.runs.chunks(of: self.runID, after: self.last, limit: 1000)
            if !batch.isEmpty {
                self.buffer = batch.map { RunChunk(seq: $0.seq, json: $0.chunk) }
                continue
            }
            guard let run = try await self.follower.runs.find(id: self.runID) else {
                self.done = true
                continue
            }
            if run.status != .running {
                // The final chunks are stored before the status changes: take the rest and end.
                self.buffer = try await self.follower.runs.chunks(of: self.runID, after: self.last, limit: Int(Int32.max))
                    .map { RunChunk(seq: $0.seq, json: $0.chunk) }
                self.done = true
                continue
            }
            if self.follower.liveness.isStale(run) {
                self.done = true
                continue
            }
            try await self.watch.next()
        }
    }
}
