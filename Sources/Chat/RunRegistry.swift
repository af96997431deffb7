import Foundation
import NIOConcurrencyHelpers

/// One run generating on this instance: its live output and the means to stop it.
final class RunHandle: Sendable {
    private struct State {
        var stopRequested = false
        var modelTask: Task<RunOutcome, Never>?
    }

    let live: LiveRun
    private let state = NIOLockedValueBox(State())

    init(live: LiveRun) { self.live = live }

    var isStopRequested: Bool { self.state.withLockedValue { $0.stopRequested } }

    /// Cancels the model call (and with it the upstream HTTP request).
    func stop() {
        let task = self.state.withLockedValue { state in
            state.stopRequested = true
            return state.modelTask
        }
        task?.cancel()
    }

    /// Remembers the model task; a stop that came first cancels it at once.
    func attach(_ task: Task<RunOutcome, Never>) {
        let stopNow = self.state.withLockedValue { state in
            state.modelTask = task
            return state.stopRequested
        }
        if stopNow { task.cancel() }
    }
}

/// How a model call ended.
enum RunOutcome: Sendable {
    case completed
    case stopped
    case failed(any Error)
}

/// The runs this instance is generating, and the tasks doing it (awaited at shutdown).
final class RunRegistry: Sendable {
    private struct Entry {
        let handle: RunHandle
        var task: Task<Void, Never>?
    }

    private let entries = NIOLockedValueBox([UUID: Entry]())

    func register(_ runID: UUID, handle: RunHandle) {
        self.entries.withLockedValue { $0[runID] = Entry(handle: handle, task: nil) }
    }

    func attach(_ runID: UUID, task: Task<Void, Never>) {
        self.entries.withLockedValue { $0[runID]?.task = task }
    }

    func handle(for runID: UUID) -> RunHandle? {
        self.entries.withLockedValue { $0[runID]?.handle }
    }

    func remove(_ runID: UUID) {
        _ = self.entries.withLockedValue { $0.removeValue(forKey: runID) }
    }

    var count: Int { self.entries.withLockedValue { $0.count } }

    func stopAll() {
        for entry in self.entries.withLockedValue({ Array($0.values) }) { entry.handle.stop() }
    }

    /// Waits for the registered runs to end, up to `timeout`; returns whether they all did.
    func waitForAll(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if self.count == 0 { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return self.count == 0
    }
}
