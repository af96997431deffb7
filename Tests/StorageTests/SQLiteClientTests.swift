import Dispatch
import Foundation
import NIOCore
import NIOPosix
import Storage
import Synchronization
import TestSupport
import Testing

/// SQLite blocks the thread it runs on while it waits for another connection's write lock. These tests take
/// every thread of NIO's shared blocking pool first: a client that ran there could not start, and two
/// migrators on it starved each other until "database is locked" (a flaky `concurrentMigrators` under load).
@Suite("SQLite client") struct SQLiteClientTests {
    @Test("two migrators race to completion while NIO's shared blocking pool is fully taken")
    func migratorsWithoutTheSharedPool() async throws {
        let (configuration, cleanup) = try await TestDatabase.make(.sqlite)
        defer { Task { await cleanup() } }
        try await SharedBlockingPool.whileOccupied {
            try await TestDatabase.withOpen(configuration) { a in
                try await TestDatabase.withOpen(configuration) { b in
                    async let first = Migrator(database: a, logger: TestDatabase.logger).migrate()
                    async let second = Migrator(database: b, logger: TestDatabase.logger).migrate()
                    let applied = try await (first + second).map(\.version).sorted()
                    #expect(applied == Migrator.versions)
                }
            }
        }
    }

    @Test("closing in a cancelled task, as the service group's stop does, still closes the database")
    func closesWhenCancelled() async throws {
        let (configuration, cleanup) = try await TestDatabase.make(.sqlite)
        defer { Task { await cleanup() } }
        guard case .sqlite(let path) = configuration else { return }
        let client = try await DatabaseClients.open(configuration, logger: TestDatabase.logger)
        try await client.withSQL { sql in try await sql.raw("CREATE TABLE t (x INTEGER)").run() }
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        await withTaskGroup(of: Void.self) { group in
            group.cancelAll()
            group.addTask { await client.close() }
        }
        // The last connection to close checkpoints and deletes the write-ahead log. Left open, the connection
        // would also trap when released.
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }
}

/// Holds every thread of `NIOThreadPool.singleton` until the body returns. A body that needs that pool
/// cannot finish, so after `limit` the pool is let go (the body then completes) and the test fails.
enum SharedBlockingPool {
    static func whileOccupied(limit: Duration = .seconds(60), _ body: () async throws -> Void) async throws {
        let threads = NIOSingletons.blockingPoolThreadCountSuggestion
        let release = DispatchSemaphore(value: 0)
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let holds = (0..<threads).map { _ in
            NIOThreadPool.singleton.runIfActive(eventLoop: eventLoop) {
                startedContinuation.yield()
                release.wait()
            }
        }
        for await _ in started.prefix(threads) {}
        let released = Released()
        let releaseAll: @Sendable () -> Void = {
            guard released.first() else { return }
            for _ in 0..<threads { release.signal() }
        }
        let watchdog = Task {
            try await Task.sleep(for: limit)
            Issue.record("the body still needed NIO's shared blocking pool after \(limit)")
            releaseAll()
        }
        defer { watchdog.cancel() }
        do {
            try await body()
        } catch {
            releaseAll()
            throw error
        }
        releaseAll()
        for hold in holds { try await hold.get() }
    }
}

/// True the first time it is asked, false after.
private final class Released: Sendable {
    private let done = Mutex(false)
    func first() -> Bool { self.done.withLock { done in defer { done = true }; return !done } }
}
