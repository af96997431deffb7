import Foundation
import JSON
import Models
import Storage
import UIMessageStream

/// Owns one run's output: hands chunks to local followers at once and gives them, with the message's parts,
/// to the progress sink in batches, so other instances and later readers see the same stream.
actor RunWriter {
    let run: RunRecord
    private let live: LiveRun
    private let sink: any RunProgressSink
    private(set) var builder = AnswerBuilder()
    private var pending: [String] = []
    private var persistedCount = 0
    private var message: MessageRecord
    private var partsDirty = false
    private var firstOutputAt: ContinuousClock.Instant?
    private let startedAt = ContinuousClock.now
    /// Set once a terminal chunk went out: nothing may follow it (a late title, say).
    private var closed = false

    init(run: RunRecord, message: MessageRecord, live: LiveRun, sink: any RunProgressSink) {
        self.run = run
        self.message = message
        self.live = live
        self.sink = sink
    }

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

    var finishReason: FinishReason? { self.builder.finishReason }

    /// Saves pending chunks and the current parts; returns whether someone asked to stop the run.
    func flush() async throws -> Bool {
        // The batch leaves `pending` only once it is stored: a failed save is retried by the next flush.
        let batch = self.pending
        var message: MessageRecord?
        if self.partsDirty {
            self.message.parts = self.builder.parts
            message = self.message
        }
        let stop = try await self.sink.save(RunProgress(runID: self.run.id, firstSeq: self.persistedCount, chunks: batch, message: message))
        self.pending.removeFirst(batch.count)
        self.persistedCount += batch.count
        if message != nil { self.partsDirty = false }
        return stop
    }

    /// The final message: remaining chunks saved, then parts, status, usage and timing set.
    func complete(status: MessageRecord.Status, error: String?) async throws -> MessageRecord {
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
        return self.message
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
