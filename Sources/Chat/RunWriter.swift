import Foundation
import Models
import Storage
import UIMessageStream

/// Owns one run's output: hands chunks to local followers at once and writes them, with the message's
/// parts, to the database in batches, so other instances and later readers see the same stream.
actor RunWriter {
    let run: RunRecord
    private let live: LiveRun
    private let runs: RunRepository
    private let messages: MessageRepository
    private(set) var builder = AnswerBuilder()
    private var pending: [String] = []
    private var persistedCount = 0
    private var message: MessageRecord
    private var partsDirty = false
    private(set) var firstOutputAt: ContinuousClock.Instant?
    private let startedAt = ContinuousClock.now

    init(run: RunRecord, message: MessageRecord, live: LiveRun, runs: RunRepository, messages: MessageRepository) {
        self.run = run
        self.message = message
        self.live = live
        self.runs = runs
        self.messages = messages
    }

    /// Set once a terminal chunk went out: nothing may follow it (a late title, say).
    private var closed = false

    func emit(_ chunk: UIMessageChunk) {
        guard !self.closed else { return }
        if chunk.isTerminal { self.closed = true }
        let text = chunk.json.jsonString
        self.live.append(text)
        self.pending.append(text)
    }

    /// Applies a model event, emitting what it produces.
    func apply(_ event: ModelEvent) {
        for chunk in self.builder.apply(event) { self.emit(chunk) }
        if self.firstOutputAt == nil, self.builder.hasOutput { self.firstOutputAt = .now }
        self.partsDirty = true
    }

    func closeOpenBlock() {
        for chunk in self.builder.close() { self.emit(chunk) }
    }

    /// Writes pending chunks and the current parts; returns whether someone asked to stop the run.
    func flush() async throws -> Bool {
        // The batch leaves `pending` only once it is stored: a failed write is retried by the next flush.
        let batch = self.pending
        var cancelRequested = false
        if !batch.isEmpty {
            cancelRequested = try await self.runs.append(chunks: batch, to: self.run.id, startingAt: self.persistedCount)
            self.pending.removeFirst(batch.count)
            self.persistedCount += batch.count
        } else {
            cancelRequested = try await self.runs.checkIn(self.run.id)
        }
        if self.partsDirty {
            self.partsDirty = false
            self.message.parts = self.builder.parts
            try await self.messages.update(self.message)
        }
        return cancelRequested
    }

    /// Saves the outcome: remaining chunks, the final message, the run's status.
    func complete(status: MessageRecord.Status, runStatus: RunRecord.Status, error: String?) async throws -> MessageRecord {
        _ = try await self.flush()
        let usage = self.builder.usage
        self.message.parts = self.builder.parts
        self.message.status = status
        self.message.error = error
        self.message.usage = StoredUsage(
            inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, cacheReadTokens: usage.cacheReadTokens,
            cacheWriteTokens: usage.cacheWriteTokens)
        self.message.firstTokenMs = self.firstOutputAt.map { Self.milliseconds($0 - self.startedAt) }
        self.message.durationMs = Self.milliseconds(.now - self.startedAt)
        try await self.messages.update(self.message)
        try await self.runs.finish(self.run.id, status: runStatus, error: error)
        return self.message
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
