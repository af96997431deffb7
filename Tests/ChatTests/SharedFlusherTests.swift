import Foundation
import JSON
import Storage
import TestSupport
import Testing
import UIMessageStream

@testable import Chat

/// The engine's one flusher saves the progress of every running answer together (issue 09).
@Suite("Shared flusher") struct SharedFlusherTests {
    static let backends = OneAnswerPerChatTests.backends
    static let answers = 200

    /// Runs `body` with a harness over `backend` whose model holds every answer at `gate` after its first delta.
    func withHarness(
        _ backend: OneAnswerPerChatTests.Backend, gate: Signal, memory: InMemoryChatStorage = InMemoryChatStorage(),
        _ body: @Sendable (EngineHarness) async throws -> Void
    ) async throws {
        let model = ScriptedModel(defaultAnswer: [.text("a"), .wait(gate), .text("b"), .finish(.stop)])
        switch backend {
        case .memory:
            try await EngineHarness(storage: .inMemory(memory), model: model).run { h, _ in try await body(h) }
        case .database(let kind):
            try await TestDatabase.withMigrated(kind) { database in
                let h = EngineHarness(storage: .sql(database), model: model)
                try await UserRepository(database: database).create(UserRecord(id: h.user.id, kind: .guest))
                try await h.run { h, _ in try await body(h) }
            }
        }
    }

    @Test("200 concurrent answers all complete with each of their chunks stored exactly once", arguments: Self.backends)
    func manyConcurrentAnswers(backend: OneAnswerPerChatTests.Backend) async throws {
        let gate = Signal()
        let memory = InMemoryChatStorage()
        try await self.withHarness(backend, gate: gate, memory: memory) { h in
            var started: [AnswerEngine.StartedRun] = []
            for index in 0..<Self.answers {
                started.append(try await h.engine.send(h.submit("question \(index)"), user: h.user))
            }
            #expect(h.engine.runningCount == Self.answers)
            if case .memory = backend {
                // Held at the gate, all of them are saved by one tick: one save (one transaction) for 200 runs.
                #expect(try await h.eventually { await memory.progressSaveSizes.contains(Self.answers) })
            }
            // While they wait, each answer's partial text is stored, by the batched parts update.
            let runs = started
            #expect(try await h.eventually {
                for run in runs {
                    let parts = try await h.storage.messages.find(id: run.messageID, chatID: run.chatID)?.parts ?? []
                    if !parts.contains(where: { $0["text"]?.stringValue == "a" }) { return false }
                }
                return true
            })
            gate.fire()
            #expect(try await h.eventually { h.engine.runningCount == 0 })

            for run in started {
                let record = try #require(try await h.storage.runs.find(id: run.runID))
                #expect(record.status == .completed)
                let stored = try await h.storage.runs.chunks(of: run.runID, after: -1, limit: 10_000)
                #expect(stored.map(\.seq) == Array(0..<stored.count), "chunks numbered once each, without gaps")
                #expect(record.chunkCount == stored.count)
                let chunks = stored.map { UIMessageChunk(json: try! JSONValue(parsing: $0.chunk))! }
                #expect(chunks.text == "ab")
                #expect(chunks.filter { if case .start = $0 { true } else { false } }.count == 1)
                if case .finish = chunks.last {} else { Issue.record("run \(run.runID) does not end with finish: \(String(describing: chunks.last))") }
                let message = try #require(try await h.storage.messages.find(id: run.messageID, chatID: run.chatID))
                #expect(message.status == .complete)
                #expect(message.parts.contains { $0["text"]?.stringValue == "ab" })
            }
        }
    }

    @Test("one flush tick saves several running answers in one save")
    func oneTickCoversSeveralRuns() async throws {
        let gate = Signal()
        let memory = InMemoryChatStorage()
        try await self.withHarness(.memory, gate: gate, memory: memory) { h in
            for index in 0..<5 { _ = try await h.engine.send(h.submit("question \(index)"), user: h.user) }
            // One save (one transaction) holds all five runs' progress, not one save per run.
            #expect(try await h.eventually { await memory.progressSaveSizes.contains(5) })
            gate.fire()
            #expect(try await h.eventually { h.engine.runningCount == 0 })
        }
    }

    @Test("a run whose chat was deleted elsewhere does not stop the others' progress from being saved", arguments: Self.backends)
    func deletedChatDoesNotBlockOthers(backend: OneAnswerPerChatTests.Backend) async throws {
        let gate = Signal()
        try await self.withHarness(backend, gate: gate) { h in
            let doomed = try await h.engine.send(h.submit("doomed"), user: h.user)
            let other = try await h.engine.send(h.submit("other"), user: h.user)
            #expect(try await h.eventually { try await h.storage.runs.chunks(of: doomed.runID, after: -1, limit: 100).count >= 4 })
            // Deleted as another instance would: straight in the database, this engine's answer keeps running.
            try await h.storage.chats.delete(id: doomed.chatID, ownedBy: h.user.id)
            let before = try #require(try await h.storage.runs.find(id: other.runID)).heartbeatAt
            #expect(try await h.eventually { (try await h.storage.runs.find(id: other.runID)?.heartbeatAt ?? before) > before })
            gate.fire()
            #expect(try await h.eventually { h.engine.runningCount == 0 })
            #expect(try await h.storage.runs.find(id: other.runID)?.status == .completed)
        }
    }
}
