import Foundation
import JSON
import Models
import Storage
import UIMessageStream

/// Owns one run's output: hands chunks to local followers at once and gives them, with the message's parts,
/// to the engine's flusher in batches, so other instances and later readers see the same stream.
actor RunWriter {
    let run: RunRecord
    private let live: LiveRun
    private(set) var builder = AnswerBuilder()
    private var pending: [String] = []
    private var persistedCount = 0
    private var message: MessageRecord
    /// Bumped by every model event; parts are saved when it moved since the last save.
    private var partsVersion = 0
    private var savedPartsVersion = 0
    private var partsVersionAtProgress = 0
    private var firstOutputAt: ContinuousClock.Instant?
    /// Fired with the answer's first output: the title's model call waits for it (see `execute`).
    nonisolated let firstOutput = Signal()
    private let startedAt = ContinuousClock.now
    /// Set once a terminal chunk went out: nothing may follow it (a late title, say).
    private var closed = false

    init(run: RunRecord, message: MessageRecord, live: LiveRun) {
        self.run = run
        self.message = message
        self.live = live
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
        if self.firstOutputAt == nil, self.builder.hasOutput {
            self.firstOutputAt = .now
            self.firstOutput.fire()
        }
        self.partsVersion += 1
    }

    func closeOpenBlock() {
        for chunk in self.builder.close() { self.emit(chunk) }
    }

    /// Ends the current step on the wire (its tools have run) and begins the next.
    func nextStep() {
        self.emit(.finishStep)
        for chunk in self.builder.startStep() { self.emit(chunk) }
        self.partsVersion += 1
    }

    func toolOutput(id: String, output: JSONValue) {
        for chunk in self.builder.toolOutput(id: id, output: output) { self.emit(chunk) }
        self.partsVersion += 1
    }

    func toolError(id: String, text: String) {
        for chunk in self.builder.toolError(id: id, text: text) { self.emit(chunk) }
        self.partsVersion += 1
    }

    /// What the model said in the current step and the tools it called.
    var step: (content: [ModelContent], calls: [AnswerBuilder.ToolCall]) { (self.builder.stepContent, self.builder.stepCalls) }

    var finishReason: FinishReason? { self.builder.finishReason }

    /// What to save next: the pending chunks and, when they changed, the parts. Nothing leaves `pending`
    /// here: a batch that fails to save is sent again (with what came since) next time.
    func progress() -> RunProgress {
        var message: MessageRecord?
        if self.partsVersion != self.savedPartsVersion {
            self.message.parts = self.builder.parts
            message = self.message
            self.partsVersionAtProgress = self.partsVersion
        }
        return RunProgress(runID: self.run.id, firstSeq: self.persistedCount, chunks: self.pending, message: message)
    }

    /// Records that `progress` is stored (it was taken by `progress()`, with nothing saved in between).
    func saved(_ progress: RunProgress) {
        guard progress.firstSeq == self.persistedCount else { return }
        self.pending.removeFirst(progress.chunks.count)
        self.persistedCount += progress.chunks.count
        if progress.message != nil { self.savedPartsVersion = self.partsVersionAtProgress }
    }

    /// The answer's last save: the chunks not stored yet and the finished message (parts, status, usage, timing).
    /// Nothing is marked saved here; call `saved(final.progress)` once it is stored. Taken again after a failed
    /// save, it carries the same chunks (and any since).
    func final(status: MessageRecord.Status, runStatus: RunRecord.Status, error: String?) -> RunFinal {
        let usage = self.builder.usage
        self.message.parts = self.builder.parts
        self.message.status = status
        self.message.error = error
        self.message.usage = StoredUsage(
            inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, cacheReadTokens: usage.cacheReadTokens,
            cacheWriteTokens: usage.cacheWriteTokens)
        self.message.firstTokenMs = self.firstOutputAt.map { Self.milliseconds($0 - self.startedAt) }
        self.message.durationMs = Self.milliseconds(.now - self.startedAt)
        let progress = RunProgress(runID: self.run.id, firstSeq: self.persistedCount, chunks: self.pending, message: nil)
        return RunFinal(progress: progress, message: self.message, runStatus: runStatus, userID: self.run.userID, model: self.run.model)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
