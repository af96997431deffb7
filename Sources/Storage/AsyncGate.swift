/// A FIFO mutual-exclusion lock for async code, for resources that allow one user at a time.
actor AsyncGate {
    private var isHeld = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` once every earlier caller has finished.
    func withExclusiveAccess<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        await self.acquire()
        defer { self.release() }
        return try await body()
    }

    private func acquire() async {
        guard self.isHeld else {
            self.isHeld = true
            return
        }
        await withCheckedContinuation { self.waiters.append($0) }
    }

    private func release() {
        if self.waiters.isEmpty {
            self.isHeld = false
        } else {
            // Ownership passes straight to the next waiter, so isHeld stays true.
            self.waiters.removeFirst().resume()
        }
    }
}
