import Foundation
import Storage
import Synchronization
import Testing
import UIMessageStream

@testable import Chat

/// The database goes away while an answer is being written: the flusher's saves fail, the answer keeps
/// streaming, and once the database is back the pending progress lands, every chunk exactly once.
@Suite("Progress while the database is down") struct DatabaseOutageTests {
    @Test("progress that could not be saved during an outage is saved when the database is back, each chunk once")
    func progressSurvivesAnOutage() async throws {
        let base = ChatStorage.inMemory()
        let outage = OutageProgressStore(try #require(base.progress))
        var storage = base
        storage.progress = outage
        let model = ScriptedModel()
        let resume = Signal()
        model.enqueueAnswer(.text("Before the outage. "), .wait(resume), .text("After it."), .finish(.stop))
        try await EngineHarness(storage: storage, model: model).run { harness, _ in
            outage.down(true)
            let started = try await harness.engine.send(harness.submit("hi"), user: harness.user)
            // Several ticks try to save the first text and fail while the answer holds it.
            #expect(try await harness.eventually { outage.failedSaves >= 3 })
            #expect(try await base.runs.chunks(of: started.runID, after: -1, limit: 1000).isEmpty, "nothing could be stored during the outage")
            outage.down(false)
            // The next tick saves what was pending, while the answer still runs.
            #expect(try await harness.eventually {
                try await base.runs.chunks(of: started.runID, after: -1, limit: 1000).contains { $0.chunk.contains("Before the outage") }
            })
            resume.fire()
            let streamed = try await harness.chunks(of: started.runID)
            #expect(try await harness.eventually { try await base.runs.find(id: started.runID)?.status == .completed })
            let stored = try await base.runs.chunks(of: started.runID, after: -1, limit: 1000)
            #expect(stored.map(\.seq) == Array(0..<stored.count), "each chunk stored once, in order, with no gap")
            #expect(stored.map(\.chunk) == streamed.map(\.json))
            #expect(stored.map { EngineHarness.decode(RunChunk(seq: $0.seq, json: $0.chunk)) }.text == "Before the outage. After it.")
            let message = try #require(try await harness.lastMessage(started.chatID))
            #expect(message.status == .complete)
        }
    }
}

/// A progress store whose database can be taken away and given back.
final class OutageProgressStore: RunProgressStore {
    private let base: any RunProgressStore
    private let state = Mutex((down: false, failed: 0))

    init(_ base: any RunProgressStore) { self.base = base }

    func down(_ down: Bool) { self.state.withLock { $0.down = down } }
    var failedSaves: Int { self.state.withLock { $0.failed } }

    func save(progress: [RunProgress], finals: [RunFinal], at date: Date) async throws -> Set<UUID> {
        let down = self.state.withLock { state in
            if state.down { state.failed += 1 }
            return state.down
        }
        if down { throw DatabaseUnavailable(reason: "the test took the database away") }
        return try await self.base.save(progress: progress, finals: finals, at: date)
    }
}
