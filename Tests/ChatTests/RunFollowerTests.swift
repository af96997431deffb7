import Foundation
import Storage
import Testing
import UIMessageStream

@testable import Chat

@Suite("Run follower") struct RunFollowerTests {
    /// Positions a client may send, the extremes included (Int.max and Int.min trapped before).
    static let positions = [Int.min, -2, -1, 0, 1, 3, 7, 1000, Int(Int32.max), Int.max]

    @Test("resuming a finished run from any position yields exactly the chunks after it, from the database")
    func resumeStored() async throws {
        try await EngineHarness().run { h, _ in
            let (started, chunks) = try await h.answer(h.submit("hello"))
            // Another instance over the same storage has no live copy: it reads the stored chunks.
            let other = EngineHarness(storage: h.storage)
            for position in Self.positions {
                let resumed = try await other.chunks(of: started.runID, after: position)
                #expect(resumed.map(\.seq) == Array(chunks.indices).filter { $0 > position }, "after \(position)")
                #expect(resumed.map(EngineHarness.decode) == Array(chunks.enumerated().filter { $0.offset > position }.map(\.element)))
            }
        }
    }

    @Test("resuming a running answer from any position yields the rest live, ending with the answer")
    func resumeLive() async throws {
        let gate = Signal()
        let model = ScriptedModel()
        model.enqueueAnswer(.text("one"), .text(" two"), .wait(gate), .text(" three"), .finish(.stop))
        try await EngineHarness(model: model).run { h, _ in
            let command = h.submit("count")
            let started = try await h.engine.send(command, user: h.user)
            // Wait until the first part is out, then follow from every position at once.
            for try await chunk in h.follower.follow(runID: started.runID, after: -1) where chunk.json.contains(" two") { break }
            let followers = Self.positions.map { position in
                Task { (position, try await h.chunks(of: started.runID, after: position)) }
            }
            gate.fire()
            let all = try await h.chunks(of: started.runID)
            #expect(all.map(EngineHarness.decode).text == "one two three")
            for follower in followers {
                let (position, chunks) = try await follower.value
                #expect(chunks == all.filter { $0.seq > position }, "after \(position)")
            }
        }
    }

    @Test("a run whose instance died ends its followers and shows as interrupted, without any read writing")
    func staleRun() async throws {
        let memory = InMemoryChatStorage()
        try await EngineHarness(storage: .inMemory(memory)).run { h, _ in
            let chatID = UUID()
            try await h.storage.chats.create(ChatRecord(id: chatID, userID: h.user.id, title: "t", visibility: .private))
            let answer = MessageRecord(id: UUID(), chatID: chatID, role: .assistant, parts: [["type": "text", "text": "half"]], status: .streaming)
            try await h.storage.messages.insert(answer)
            let run = RunRecord(chatID: chatID, messageID: answer.id, userID: h.user.id, model: "m", instanceID: "gone", heartbeatAt: Date().addingTimeInterval(-120))
            await memory.insertRun(run)
            #expect(try await h.follower.resumableRun(chatID: chatID, viewer: h.user) == nil)
            #expect(try await h.chunks(of: run.id).isEmpty)
            let view = try await h.queries.view(chatID: chatID, viewer: h.user)
            #expect(view.activeRun == nil)
            #expect(view.messages.last?.status == .failed)
            // Reads left the database alone; the next write (a new message) records the verdict.
            #expect(try await h.storage.runs.find(id: run.id)?.status == .running)
            _ = try await h.answer(h.submit("again", chatID: chatID))
            #expect(try await h.storage.runs.find(id: run.id)?.status == .failed)
            #expect(try await h.storage.messages.find(id: answer.id, chatID: chatID)?.status == .failed)
        }
    }

    @Test("the engine records a dead instance's run as interrupted on its own, keeping what was saved")
    func deadRunsAreClosed() async throws {
        let memory = InMemoryChatStorage()
        var timing = EngineHarness.timing()
        timing.staleAfter = 0.05
        try await EngineHarness(storage: .inMemory(memory), timing: timing).run { h, _ in
            let chatID = UUID()
            try await h.storage.chats.create(ChatRecord(id: chatID, userID: h.user.id, title: "t", visibility: .private))
            let answer = MessageRecord(id: UUID(), chatID: chatID, role: .assistant, parts: [["type": "text", "text": "half"]], status: .streaming)
            try await h.storage.messages.insert(answer)
            let run = RunRecord(chatID: chatID, messageID: answer.id, userID: h.user.id, model: "m", instanceID: "gone", heartbeatAt: Date().addingTimeInterval(-120))
            await memory.insertRun(run)
            #expect(try await h.eventually { try await h.storage.runs.find(id: run.id)?.status == .failed })
            let stored = try await h.storage.messages.find(id: answer.id, chatID: chatID)
            #expect(stored?.status == .failed)
            #expect(stored?.parts == answer.parts)
            // A live answer with a fresh heartbeat is left alone.
            _ = try await h.answer(h.submit("still fine", chatID: chatID))
            #expect(try await h.lastMessage(chatID)?.status == .complete)
        }
    }

    @Test("an event stream sends a keep-alive comment while the model is silent, live and resumed from the database")
    func keepAlive() async throws {
        let gate = Signal()
        let model = ScriptedModel()
        model.enqueueAnswer(.wait(gate), .text("late"), .finish(.stop))
        try await EngineHarness(model: model).run { h, _ in
            let started = try await h.engine.send(h.submit("think first"), user: h.user)
            let other = EngineHarness(storage: h.storage)
            for follower in [h.follower, other.follower] {
                var frames: [String] = []
                let body = ServerSentEvents.body(follower.follow(runID: started.runID, after: 1), keepAlive: .milliseconds(20)) { chunk in
                    ServerSentEvents.event(id: chunk.seq, json: chunk.json)
                }
                for try await frame in body {
                    frames.append(frame)
                    // Frames that piled up while the reader was away arrive as one piece.
                    if frame.hasSuffix(ServerSentEvents.keepAlive) { break }
                }
                #expect(frames.last?.hasSuffix(ServerSentEvents.keepAlive) == true)
            }
            gate.fire()
            var frames: [String] = []
            for try await frame in ServerSentEvents.body(h.follower.follow(runID: started.runID, after: -1), keepAlive: .seconds(15), frame: { $0.json }) {
                frames.append(frame)
            }
            #expect(frames.last?.hasSuffix(ServerSentEvents.done) == true)
            #expect(frames.contains { $0.contains("late") })
        }
    }
}
