import Foundation
import Logging
import Storage

/// The one flusher of an instance: every tick it takes the pending progress of every running answer, and the
/// last saves of the answers that ended since the previous tick, and hands them to the sink in one call (one
/// transaction), instead of a flush task and a transaction per answer per tick. Every registered answer is in
/// every tick, so its heartbeat stays fresh while it thinks.
actor ProgressFlusher {
    private var answers: [UUID: (writer: RunWriter, handle: RunHandle)] = [:]
    /// Runs whose progress is being saved by the current tick.
    private var inFlight: Set<UUID> = []
    private var ticking = false
    /// The timer asked for the running answers' progress: the next tick, whoever starts it, includes them, so
    /// back-to-back ticks of ending answers cannot keep the timer's out (and the heartbeats from going stale).
    private var runningDue = false
    private var tickEnded: [CheckedContinuation<Void, Never>] = []
    /// Last saves waiting for a tick, and the outcome of those a tick took (until their answer collects it).
    private var finals: [UUID: RunFinal] = [:]
    private var finalOutcomes: [UUID: Result<Void, any Error>] = [:]

    func add(_ writer: RunWriter, handle: RunHandle) {
        self.answers[writer.run.id] = (writer, handle)
    }

    /// Takes the answer out of the ticks; returns once no tick is saving it, so the answer's own final save
    /// comes after (an older batch of parts must not land over the finished message).
    func remove(_ runID: UUID) async {
        self.answers[runID] = nil
        while self.inFlight.contains(runID) { await self.waitForTickEnd() }
    }

    var count: Int { self.answers.count }

    /// Saves an ended answer's last batch, message, verdict and usage with the next tick, and returns once that
    /// tick committed (or throws its error; the caller retries). When no tick is running the caller runs one
    /// itself: answers that end while a tick is saving all go together in the next one (a group commit), and
    /// nothing waits for the timer or depends on the flush loop still running (it stops at shutdown).
    func finish(_ final: RunFinal, sink: any RunProgressSink, logger: Logger) async throws {
        let runID = final.progress.runID
        self.finals[runID] = final
        while true {
            if let outcome = self.finalOutcomes.removeValue(forKey: runID) { return try outcome.get() }
            if self.ticking {
                await self.waitForTickEnd()
            } else {
                // Only the last saves: the running answers' progress keeps the timer's pace.
                await self.tick(sink: sink, logger: logger, running: false)
            }
        }
    }

    /// Saves every answer's progress (when `running` or the timer's tick is due) and the pending last saves at once; a failed
    /// save leaves the progress pending for the next tick and hands the error to the ended answers (their save retries).
    func tick(sink: any RunProgressSink, logger: Logger, running: Bool = true) async {
        if running { self.runningDue = true }
        guard !self.ticking, self.runningDue && !self.answers.isEmpty || !self.finals.isEmpty else { return }
        self.ticking = true
        let answers = self.runningDue ? self.answers : [:]
        self.runningDue = false
        let finals = Array(self.finals.values)
        self.finals = [:]
        self.inFlight = Set(answers.keys)
        var batches: [RunProgress] = []
        batches.reserveCapacity(answers.count)
        for (writer, _) in answers.values { batches.append(await writer.progress()) }
        do {
            let stops = try await sink.save(all: batches, finals: finals)
            for batch in batches { await answers[batch.runID]?.writer.saved(batch) }
            // A stop requested through the database (from another instance) presses the run's stop button.
            for runID in stops { answers[runID]?.handle.stop() }
            for final in finals { self.finalOutcomes[final.progress.runID] = .success(()) }
        } catch {
            // The database may be back by the next tick; chunks stay pending until then.
            logger.warning("could not save progress", metadata: ["runs": "\(batches.count + finals.count)", "error": .string(String(describing: error))])
            for final in finals { self.finalOutcomes[final.progress.runID] = .failure(error) }
        }
        self.inFlight = []
        self.ticking = false
        let waiting = self.tickEnded
        self.tickEnded = []
        for continuation in waiting { continuation.resume() }
    }

    private func waitForTickEnd() async {
        await withCheckedContinuation { self.tickEnded.append($0) }
    }
}
