import Foundation
import Storage
import Synchronization
import TestSupport
import Testing

@testable import Chat

/// Two engines on one PostgreSQL database: instance A generates, instance B follows from the database.
/// B polls only once an hour, so everything B receives after its first read was delivered by NOTIFY.
@Suite("Followers woken across instances by LISTEN/NOTIFY") struct CrossInstanceNotifyTests {
    static let kinds = TestDatabase.kinds.filter { $0 == .postgres }

    /// What B's reader got, as it got it.
    final class Received: Sendable {
        private let state = Mutex<(chunks: [RunChunk], ended: Bool)>(([], false))
        func append(_ chunk: RunChunk) { self.state.withLock { $0.chunks.append(chunk) } }
        func end() { self.state.withLock { $0.ended = true } }
        var chunks: [RunChunk] { self.state.withLock { $0.chunks } }
        var ended: Bool { self.state.withLock { $0.ended } }
        var text: String { self.chunks.map(EngineHarness.decode).text }
    }

    static func hourly() -> ChatTiming {
        var timing = EngineHarness.timing()
        timing.pollInterval = .seconds(3600)
        return timing
    }

    /// A (the harness, running) and B's listener, listening; the listener stops when `body` returns.
    func withInstances(
        gate: Signal, _ body: @Sendable (EngineHarness, RunFollower, ListenedNotifications, any DatabaseClient) async throws -> Void
    ) async throws {
        let model = ScriptedModel(defaultAnswer: [.text("one"), .wait(gate), .text(" two"), .finish(.stop)])
        try await TestDatabase.withMigrated(.postgres) { database in
            let settings = try #require(database as? PostgresDatabaseClient).settings
            let listened = ListenedNotifications(
                source: PostgresRunChanges(settings: settings, logger: EngineHarness.logger), fallback: .seconds(3600), poll: .seconds(3600))
            let listening = Task { try await listened.run() }
            do {
                let a = EngineHarness(storage: .sql(database), model: model)
                try await UserRepository(database: database).create(UserRecord(id: a.user.id, kind: .guest))
                // B: another engine over the same database, so A's runs are not in its registry.
                let b = EngineHarness(storage: .sql(database), timing: Self.hourly())
                let follower = RunFollower(storage: b.storage, engine: b.engine, notifications: listened)
                try await eventually("the listener is listening") { listened.isListening }
                try await a.run { a, _ in try await body(a, follower, listened, database) }
            } catch {
                listening.cancel()
                _ = await listening.result
                throw error
            }
            listening.cancel()
            _ = await listening.result
        }
    }

    /// Starts an answer on A, follows it on B, and checks B gets every chunk A stored, in order, and the end.
    func answerReachesOtherInstance(_ a: EngineHarness, _ follower: RunFollower, gate: Signal) async throws {
        let started = try await a.engine.send(a.submit("count"), user: a.user)
        let received = Received()
        let reader = Task {
            for try await chunk in follower.follow(runID: started.runID, after: -1) { received.append(chunk) }
            received.end()
        }
        defer { reader.cancel() }
        try await eventually("the first part reached B") { received.text.contains("one") }
        gate.fire()
        try await eventually("the rest and the end reached B") { received.ended }
        #expect(received.text == "one two")
        let stored = try await a.storage.runs.chunks(of: started.runID, after: -1, limit: 1000)
        #expect(received.chunks.map(\.seq) == stored.map(\.seq))
        #expect(received.chunks.map(\.json) == stored.map(\.chunk))
    }

    @Test("a follower on another instance gets new chunks and the end at once, without waiting for its poll", arguments: Self.kinds)
    func notifiedFollower(kind: DatabaseKind) async throws {
        let gate = Signal()
        try await self.withInstances(gate: gate) { a, follower, listened, _ in
            try await self.answerReachesOtherInstance(a, follower, gate: gate)
            // The watch went with its reader.
            try await eventually("the watch is closed") { listened.watchedRuns == 0 }
        }
    }

    @Test("the listener reconnects after its connection is killed, and followers are woken by notifications again", arguments: Self.kinds)
    func listenerReconnects(kind: DatabaseKind) async throws {
        let gate = Signal()
        try await self.withInstances(gate: gate) { a, follower, listened, database in
            #expect(listened.connections == 1)
            // The server ends the listener's session, as it does in a restart or a failover.
            let killed = try await database.withSQL { sql in
                try await sql.raw(
                    """
                    SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'
                    """
                ).all()
            }
            #expect(killed.count == 1)
            try await eventually("the listener is back") { listened.connections == 2 && listened.isListening }
            try await self.answerReachesOtherInstance(a, follower, gate: gate)
        }
    }

    @Test("a notification payload names up to 200 runs in under 8,000 bytes and decodes back to them")
    func payloads() {
        let ids = (0..<450).map { _ in UUID() }
        let payloads = RunChangeChannel.payloads(ids)
        #expect(payloads.count == 3)
        #expect(payloads.allSatisfy { $0.utf8.count < 8000 })
        #expect(payloads.flatMap(RunChangeChannel.decode) == ids)
        #expect(RunChangeChannel.decode("not-an-id,\(RunChangeChannel.compact(ids[0]))") == [ids[0]])
    }
}
