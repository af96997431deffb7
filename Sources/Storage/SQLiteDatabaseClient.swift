import Foundation
import Logging
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// SQLite in a local file. One connection, used by one caller at a time, which keeps transactions isolated.
public final class SQLiteDatabaseClient: DatabaseClient {
    public var kind: DatabaseKind { .sqlite }
    private let connection: SQLiteConnection
    /// The connection's own thread. libsqlite3 blocks its caller's thread while it waits for another
    /// connection's write lock (busy_timeout). On NIO's shared blocking pool (one thread per core) two such
    /// waits took every thread, so the connections holding the lock could not run their next statement and
    /// every waiter failed with "database is locked" after the full timeout.
    private let thread: NIOThreadPool
    private let closed = Mutex(false)
    private let gate = AsyncGate()
    private let logger: Logger

    /// Opens (creating if needed) the database file and its folder.
    public init(path: String, logger: Logger) async throws {
        if path != ":memory:" {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
        }
        let storage: SQLiteConnection.Storage = path == ":memory:" ? .memory : .file(path: path)
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        do {
            self.connection = try await SQLiteConnection.open(
                storage: storage, threadPool: thread, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
            )
        } catch {
            try? await thread.shutdownGracefully()
            throw error
        }
        self.thread = thread
        self.logger = logger
        let sql = self.connection.sql(queryLogLevel: .trace)
        // WAL lets a second process (a `migrate` next to a running server) read while we write;
        // busy_timeout makes writers from two processes wait for each other instead of failing.
        do {
            try await sql.raw("PRAGMA busy_timeout = 10000").run()
            try await sql.raw("PRAGMA journal_mode = WAL").run()
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            try await sql.raw("PRAGMA synchronous = NORMAL").run()
        } catch {
            // A connection released unclosed traps.
            await self.close()
            throw error
        }
    }

    public func withSQL<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        do {
            return try await self.gate.withExclusiveAccess {
                try await body(self.connection.sql(queryLogLevel: .trace))
            }
        } catch {
            throw Self.classify(error)
        }
    }

    public func transaction<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        do {
            return try await self.gate.withExclusiveAccess {
                let sql = self.connection.sql(queryLogLevel: .trace)
                // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading read locks.
                try await sql.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await body(sql)
                    try await sql.raw("COMMIT").run()
                    return result
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        } catch {
            throw Self.classify(error)
        }
    }

    public func close() async {
        guard self.closed.withLock({ closed in defer { closed = true }; return !closed }) else { return }
        // The future-based close, because the async one does nothing in a cancelled task (as `run` is when the
        // service group stops), and a connection released unclosed traps.
        try? await self.connection.close().get()
        try? await self.thread.shutdownGracefully()
    }
}

/// Opens the database a configuration names.
public enum DatabaseClients {
    public static func open(_ configuration: DatabaseConfiguration, logger: Logger) async throws -> any DatabaseClient {
        switch configuration {
        case .postgres(let settings): try PostgresDatabaseClient(settings: settings, logger: logger)
        case .sqlite(let path): try await SQLiteDatabaseClient(path: path, logger: logger)
        }
    }
}
