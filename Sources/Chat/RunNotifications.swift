import Foundation
import Logging
import ServiceLifecycle
import Storage
import Synchronization

/// Wakes followers of a run generating on another instance when it may have progressed.
public protocol RunNotifications: Sendable {
    /// Opened before the follower's first read, so a change between a read and the next wait is not lost.
    func watch(_ runID: UUID) -> any RunWatch
}

public protocol RunWatch: Sendable {
    /// Returns when the run may have new chunks or a new status since the watch opened or the last call;
    /// throws when the follower is cancelled.
    func next() async throws
}

/// Looks again every `interval`: the only way on SQLite, and the fallback while a listener is down.
public struct PollingNotifications: RunNotifications {
    let interval: Duration
    public init(interval: Duration) { self.interval = interval }
    public func watch(_ runID: UUID) -> any RunWatch { PollingWatch(interval: self.interval) }

    struct PollingWatch: RunWatch {
        let interval: Duration
        func next() async throws { try await Task.sleep(for: self.interval) }
    }
}

/// Followers woken by a `RunChangeSource` (PostgreSQL LISTEN/NOTIFY): a watch returns as soon as its run is
/// announced. Polling stays as the fallback: every `fallback` while listening (a lost notification costs at
/// most that), every `poll` while the listener is down; every watch wakes when the listener connects or
/// drops, since changes may have been missed in between. Runs as a service: it listens until shutdown.
public final class ListenedNotifications: RunNotifications, Service {
    /// Weak: a watch goes away with its follower, and its deinit takes it out of here.
    private struct Entry {
        weak var watch: ListenedWatch?
    }

    private struct State {
        var watches: [UUID: [ObjectIdentifier: Entry]] = [:]
        var listening = false
        var connections = 0
    }

    let source: any RunChangeSource
    let fallback: Duration
    let poll: Duration
    private let state = Mutex(State())

    public init(source: any RunChangeSource, fallback: Duration = .seconds(5), poll: Duration) {
        self.source = source
        self.fallback = fallback
        self.poll = poll
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            await self.source.listen(changed: { self.wake($0) }, connected: { self.setListening($0) })
        }
    }

    /// Whether changes arrive now (for tests and health).
    public var isListening: Bool { self.state.withLock { $0.listening } }
    /// How many times the listener has connected.
    public var connections: Int { self.state.withLock { $0.connections } }

    public func watch(_ runID: UUID) -> any RunWatch {
        let watch = ListenedWatch(runID: runID, owner: self)
        self.state.withLock { $0.watches[runID, default: [:]][ObjectIdentifier(watch)] = Entry(watch: watch) }
        return watch
    }

    func wake(_ runIDs: [UUID]) {
        let woken = self.state.withLock { state in runIDs.flatMap { state.watches[$0]?.values.compactMap(\.watch) ?? [] } }
        for watch in woken { watch.signal() }
    }

    func setListening(_ listening: Bool) {
        let woken = self.state.withLock { state -> [ListenedWatch] in
            guard state.listening != listening else { return [] }
            state.listening = listening
            if listening { state.connections += 1 }
            return state.watches.values.flatMap { $0.values.compactMap(\.watch) }
        }
        for watch in woken { watch.signal() }
    }

    var interval: Duration { self.isListening ? self.fallback : self.poll }

    func remove(_ id: ObjectIdentifier, of runID: UUID) {
        self.state.withLock { state in
            state.watches[runID]?[id] = nil
            if state.watches[runID]?.isEmpty == true { state.watches[runID] = nil }
        }
    }

    /// Runs with a watch open (for tests: a closed follower leaves nothing behind).
    var watchedRuns: Int { self.state.withLock { $0.watches.count } }
}

/// One follower's watch: a pending flag (changes since the last `next()` collapse into one) and at most one
/// waiter. Removed from its owner when the follower lets go of it.
final class ListenedWatch: RunWatch {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    let runID: UUID
    private let owner: ListenedNotifications
    private let state = Mutex(State())

    init(runID: UUID, owner: ListenedNotifications) {
        self.runID = runID
        self.owner = owner
    }

    deinit { self.owner.remove(ObjectIdentifier(self), of: self.runID) }

    func signal() {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    func next() async throws {
        let interval = self.owner.interval
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.signalled() }
            group.addTask { try? await Task.sleep(for: interval) }
            await group.next()
            group.cancelAll()
        }
        try Task.checkCancellation()
    }

    /// Returns when signalled (at once when a signal is pending) or when the task is cancelled.
    private func signalled() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = self.state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
