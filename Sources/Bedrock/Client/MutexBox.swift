import Synchronization

/// One value behind a `Mutex`, shareable between tasks.
final class MutexBox<Value: Sendable>: Sendable {
    let mutex: Mutex<Value>

    init(_ value: Value) {
        self.mutex = Mutex(value)
    }

    func set(_ value: Value) {
        self.mutex.withLock { $0 = value }
    }

    func get() -> Value {
        self.mutex.withLock { $0 }
    }
}
