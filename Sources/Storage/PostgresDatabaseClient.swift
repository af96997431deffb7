import Logging
import NIOCore
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

/// PostgreSQL through postgres-nio's `PostgresClient` pool, spoken to with SQLKit.
///
/// After an outage the pool reconnects on an exponential backoff (100 ms × 1.25ⁿ, capped at 60 s): after a
/// minute-long outage its next attempt can be 10+ s after the database is back. So when a query fails, a
/// supervisor probes the database with a connection of its own every 250 ms; once the database answers
/// and the pool still does not, the pool is replaced by a fresh one (the old one is given time to finish
/// what it holds, then shut down). See `PoolSupervisor`.
public final class PostgresDatabaseClient: DatabaseClient {
    public var kind: DatabaseKind { .postgres }
    private let configuration: PostgresClient.Configuration
    public let settings: PostgresSettings
    let logger: Logger
    private let pool: Mutex<Pool>
    private let supervising = Mutex(false)
    /// Replaced pools still draining; closed with the client.
    private let retired = Mutex<[Task<Void, Never>]>([])
    private let closed = Atomic<Bool>(false)

    final class Pool: Sendable {
        let client: PostgresClient
        /// The pool's run loop, started at once so CLI commands and tests need no service group.
        let runTask: Task<Void, Never>
        let generation: Int
        /// Queries using this pool, from the wait for a connection to the release: a replaced pool closes only
        /// at zero (cancelling a pool under a running query left that query, and every answer waiting on the
        /// shared flusher behind it, hanging after a crash restart).
        let operations = Atomic<Int>(0)
        /// Connections held right now: tells a busy pool from one that cannot connect.
        let leased = Atomic<Int>(0)
        /// When a query last got a connection (nanoseconds since `origin`): a pool that keeps handing out
        /// connections reaches the database, however long one query has waited. Waiting time alone misjudged a
        /// CPU-starved process (its tasks ran seconds late) as one that could not connect.
        let lastLease = Atomic<Int64>(0)
        let origin = ContinuousClock.now

        func noteLease() {
            self.lastLease.store(Self.nanoseconds(self.origin.duration(to: .now)), ordering: .relaxed)
        }

        /// How long since any query of this pool got a connection (since the pool began, if none has yet).
        var sinceLastLease: Duration {
            self.origin.duration(to: .now) - .nanoseconds(self.lastLease.load(ordering: .relaxed))
        }

        private static func nanoseconds(_ duration: Duration) -> Int64 {
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        }

        init(client: PostgresClient, runTask: Task<Void, Never>, generation: Int) {
            self.client = client
            self.runTask = runTask
            self.generation = generation
        }

        /// Runs `body` counted as one of this pool's operations.
        func counted<Result>(_ body: () async throws -> Result) async rethrows -> Result {
            self.operations.add(1, ordering: .relaxed)
            defer { self.operations.subtract(1, ordering: .relaxed) }
            return try await body()
        }
    }

    public init(settings: PostgresSettings, logger: Logger) throws {
        var configuration = PostgresClient.Configuration(
            host: settings.host,
            port: settings.port,
            username: settings.username,
            password: settings.password,
            database: settings.database,
            tls: try Self.tls(for: settings)
        )
        configuration.options.connectTimeout = .seconds(3)
        configuration.options.maximumConnections = settings.poolSize
        configuration.options.keepAliveBehavior = .init(frequency: .seconds(30))
        self.configuration = configuration
        self.settings = settings
        self.logger = logger
        self.pool = Mutex(Self.startPool(configuration, logger: logger, generation: 0))
    }

    static func startPool(_ configuration: PostgresClient.Configuration, logger: Logger, generation: Int) -> Pool {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return Pool(client: client, runTask: Task { await client.run() }, generation: generation)
    }

    /// libpq semantics: `require` encrypts without verifying (as psql does); `verify-*` check the chain.
    static func tls(for settings: PostgresSettings) throws -> PostgresClient.Configuration.TLS {
        guard let (configuration, required) = try self.tlsConfiguration(for: settings) else { return .disable }
        return required ? .require(configuration) : .prefer(configuration)
    }

    static func tlsConfiguration(for settings: PostgresSettings) throws -> (TLSConfiguration, required: Bool)? {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let bundle = settings.sslRootCertificatePath {
            tls.trustRoots = .file(bundle)
        }
        switch settings.sslMode {
        case .disable:
            return nil
        case .allow, .prefer:
            tls.certificateVerification = .none
            return (tls, false)
        case .require:
            tls.certificateVerification = .none
            return (tls, true)
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return (tls, true)
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            return (tls, true)
        }
    }

    public func withSQL<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        let pool = self.pool.withLock { $0 }
        do {
            return try await pool.counted { try await self.perform(on: pool, inTransaction: false, body) }
        } catch {
            self.superviseIfNeeded()
            throw Self.classify(error)
        }
    }

    public func transaction<Result: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        let pool = self.pool.withLock { $0 }
        do {
            return try await pool.counted { try await self.perform(on: pool, inTransaction: true, body) }
        } catch {
            self.superviseIfNeeded()
            throw Self.classify(error)
        }
    }

    /// Starts the supervisor unless one runs. Any failure starts it (a cancelled lease is how an outage
    /// looks from here); when the pool answers its first check, it stops at once.
    private func superviseIfNeeded() {
        guard !self.closed.load(ordering: .relaxed) else { return }
        let start = self.supervising.withLock { running in
            if running { return false }
            running = true
            return true
        }
        guard start else { return }
        Task {
            await self.supervise()
            self.supervising.withLock { $0 = false }
        }
    }

    private func supervise() async {
        while !self.closed.load(ordering: .relaxed) {
            if await self.poolAnswers(within: .milliseconds(500)) { return }
            if await self.databaseAnswers() {
                // The database answers a fresh connection but the pool does not: it is waiting out its backoff.
                if await self.poolAnswers(within: .seconds(1)) { return }
                self.replacePool()
                return
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    private func poolAnswers(within timeout: Duration) async -> Bool {
        let client = self.pool.withLock { $0.client }
        let probe = Task {
            try await client.withConnection { connection in _ = try await connection.query("SELECT 1", logger: self.logger) }
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            probe.cancel()
        }
        defer { timer.cancel() }
        return (try? await probe.value) != nil
    }

    /// Whether a connection of our own, outside the pool, gets an answer.
    private func databaseAnswers() async -> Bool {
        do {
            var configuration = try Self.connectionConfiguration(for: self.settings)
            configuration.options.connectTimeout = .seconds(1)
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: self.logger)
            defer { Task { try? await connection.close() } }
            _ = try await connection.query("SELECT 1", logger: self.logger)
            return true
        } catch {
            return false
        }
    }

    /// For a single connection outside the pool (the supervisor's probe, the run-change listener).
    static func connectionConfiguration(for settings: PostgresSettings) throws -> PostgresConnection.Configuration {
        var tls = PostgresConnection.Configuration.TLS.disable
        if let (configuration, required) = try Self.tlsConfiguration(for: settings) {
            let context = try NIOSSLContext(configuration: configuration)
            tls = required ? .require(context) : .prefer(context)
        }
        return PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: tls)
    }

    private func replacePool() {
        let old = self.pool.withLock { pool in
            let old = pool
            pool = Self.startPool(self.configuration, logger: self.logger, generation: old.generation + 1)
            return old
        }
        self.logger.warning("database pool replaced after an outage", metadata: ["generation": "\(old.generation + 1)"])
        // Queries still using the old pool finish first (a query on a dead connection fails by itself); ten
        // minutes bounds what a stuck one can hold.
        self.retired.withLock { $0.append(old.runTask) }
        Task {
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(600)
            while old.operations.load(ordering: .relaxed) > 0 && clock.now < deadline {
                try? await Task.sleep(for: .seconds(1))
            }
            old.runTask.cancel()
        }
    }

    /// How long closing waits for the pools to shut down.
    static let closeTimeout: Duration = .seconds(10)

    public func close() async {
        self.closed.store(true, ordering: .relaxed)
        let tasks = self.pool.withLock { [$0.runTask] } + self.retired.withLock { $0 }
        for task in tasks { task.cancel() }
        // A pool shuts down once every lease is back, and a lease whose query postgres-nio lost as its connection
        // closed never comes back: that hung a whole test run (and would hold a shutdown until the orchestrator's
        // kill). Waiting is bounded; what is left goes with the process.
        if !(await Self.wait(for: tasks, upTo: Self.closeTimeout)) {
            self.logger.warning("database pool did not shut down in time; closing without it", metadata: ["waited": "\(Self.closeTimeout)"])
        }
    }

    /// Whether every task ended within `limit`. Waiting on a task's value cannot be cancelled, so the wait runs
    /// beside a timer, and whichever comes first answers.
    static func wait(for tasks: [Task<Void, Never>], upTo limit: Duration) async -> Bool {
        let answer = FirstAnswer()
        return await withCheckedContinuation { continuation in
            answer.set(continuation)
            let timer = Task {
                try? await Task.sleep(for: limit)
                answer.resume(returning: false)
            }
            Task {
                for task in tasks { await task.value }
                timer.cancel()
                answer.resume(returning: true)
            }
        }
    }
}

/// A continuation resumed by the first of several racers; the others find it taken.
private final class FirstAnswer: Sendable {
    private let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)

    func set(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func resume(returning value: Bool) {
        self.continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
