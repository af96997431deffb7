import Foundation
import Synchronization

/// One answer generating on this instance: its live output and its stop button.
final class RunHandle: Sendable {
    let live: LiveRun
    let stopRequest = Signal()

    init(live: LiveRun) { self.live = live }

    func stop() { self.stopRequest.fire() }
}

/// The answers this instance is generating. Closed at shutdown, after which no answer may start.
final class RunRegistry: Sendable {
    private struct State {
        var handles: [UUID: RunHandle] = [:]
        var accepting = true
        var emptied: [Signal] = []
    }

    private let state = Mutex(State())

    /// Registers the run; false once the registry is closed for shutdown.
    func register(_ runID: UUID, handle: RunHandle) -> Bool {
        self.state.withLock { state in
            guard state.accepting else { return false }
            state.handles[runID] = handle
            return true
        }
    }

    func handle(for runID: UUID) -> RunHandle? {
        self.state.withLock { $0.handles[runID] }
    }

    func remove(_ runID: UUID) {
        let emptied = self.state.withLock { state -> [Signal] in
            state.handles[runID] = nil
            guard state.handles.isEmpty else { return [] }
            defer { state.emptied = [] }
            return state.emptied
        }
        for signal in emptied { signal.fire() }
    }

    var count: Int { self.state.withLock { $0.handles.count } }
    var isAccepting: Bool { self.state.withLock { $0.accepting } }

    func close() { self.state.withLock { $0.accepting = false } }

    func stopAll() {
        for handle in self.state.withLock({ Array($0.handles.values) }) { handle.stop() }
    }

    /// Waits until no run is left, up to `limit`; returns whether none is.
    func waitUntilEmpty(upTo limit: Duration) async -> Bool {
        let signal = Signal()
        let empty = self.state.withLock { state -> Bool in
            if state.handles.isEmpty { return true }
            state.emptied.append(signal)
            return false
        }
        if empty { return true }
        return await signal.wait(upTo: limit)
    }
}
