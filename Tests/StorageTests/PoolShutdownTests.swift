import Foundation
@testable import Storage
import Testing

/// Closing a client waits for its pools to shut down, but a pool holding a lease that never comes back (a query
/// postgres-nio lost with its connection) never does: the wait is bounded, or the caller hangs for good.
@Suite("PostgreSQL pool shutdown") struct PoolShutdownTests {
    @Test("a pool that never finishes shutting down is left after the bound; one that finishes is waited for")
    func boundedWait() async throws {
        let stuck = Task<Void, Never> { await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in } }
        #expect(await PostgresDatabaseClient.wait(for: [stuck], upTo: .milliseconds(200)) == false)

        let quick = Task<Void, Never> { try? await Task.sleep(for: .milliseconds(50)) }
        #expect(await PostgresDatabaseClient.wait(for: [quick], upTo: .seconds(60)) == true)
    }
}
