import Foundation
import Logging
import Storage

/// The one flusher of an instance: every tick it takes the pending progress of every running answer and
/// hands it to the sink in one call (one transaction), instead of a flush task and a transaction per
/// answer per tick. Every registered answer is in every tick, so its heartbeat stays fresh while it thinks.
actor ProgressFlusher {
    private var answers: [UUID: (writer: RunWriter, handle: RunHandle)] = [:]
    /// Runs whose progress is being saved by the current tick.
    private var inFlight: Set<UUID> = []
    private var tickEnded: [CheckedContinuation<Void, Never>] = []

    func add(_ writer: RunWriter, handle: RunHandle) {
        self.answers[writer.run.id] = (writer, handle)
    }

    /// Takes the answer out of the ticks; returns once no tick is saving it, so the answer's own final save
    /// comes after (an older batch of parts must not land over the finished message).
    func remove(_ runID: UUID) async {
        self.answers[runID] = nil
        while self.inFlight.contains(runID) {
            await withCheckedContinuation { self.tickEnded.append($0) }
        }
    }

    var count: Int { self.answers.count }

    /// Saves every answer's progress at once; a failed save leaves it pending for the next tick.
    func tick(sink: any RunProgressSink, logger: Logger) async {
        guard !self.answers.isEmpty, self.inFlight.isEmpty else { return }
        let answers = self.answers
        self.inFlight = Set(answers.keys)
        var batches: [RunProgress] = []
        batches.reserveCapacity(answers.count)
        for (writer, _) in answers.values { batches.append(await writer.progress()) }
        do {
            let stops = try await sink.save(all: batches)
            for batch in batches { await answers[batch.runID]?.writer.saved(batch) }
            // A stop requested through the database (from another instance) presses the run's stop button.
            for runID in stops { answers[runID]?.handle.stop() }
        } catch {
            // The database may be back by the next tick; chunks stay pending until then.
            logger.warning("could not save progress", metadata: ["runs": "\(batches.count)", "error": .string(String(describing: error))])
        }
        self.inFlight = []
        let waiting = self.tickEnded
        self.tickEnded = []
        for continuation in waiting { continuation.resume() }
    }
}
