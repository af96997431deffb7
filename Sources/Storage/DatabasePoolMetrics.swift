import CoreMetrics
import Synchronization

/// One caller's use of the PostgreSQL pool, for `/metrics`: counted as waiting until its connection is
/// leased, then in use until it ends; the wait is timed. Waiting above zero for long means the pool
/// (DATABASE_POOL_SIZE) is too small for the load.
final class PoolUse: Sendable {
    private enum State { case waiting, leased, ended }
    private let state = Mutex(State.waiting)
    private let start = ContinuousClock.now

    init() {
        Meter(label: "chatbot_database_connections_waiting").increment()
    }

    func leased() {
        let wasWaiting = self.state.withLock { state in
            guard state == .waiting else { return false }
            state = .leased
            return true
        }
        guard wasWaiting else { return }
        Meter(label: "chatbot_database_connections_waiting").decrement()
        Meter(label: "chatbot_database_connections_in_use").increment()
        let waited = ContinuousClock.now - self.start
        CoreMetrics.Timer(label: "chatbot_database_connection_wait_seconds")
            .recordNanoseconds(waited.components.seconds * 1_000_000_000 + waited.components.attoseconds / 1_000_000_000)
    }

    func end() {
        let previous = self.state.withLock { state in
            defer { state = .ended }
            return state
        }
        switch previous {
        case .waiting: Meter(label: "chatbot_database_connections_waiting").decrement()
        case .leased: Meter(label: "chatbot_database_connections_in_use").decrement()
        case .ended: break
        }
    }
}
