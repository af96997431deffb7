import Foundation
import Models
import Storage
import Testing
import UIMessageStream

@testable import Chat

@Suite("Answer engine") struct AnswerEngineTests {
    @Test("an answer streams start, step, text block, title, finish, in that order, and is stored as it was streamed")
    func chunkOrdering() async throws {
        try await EngineHarness().run { h, _ in
            let command = h.submit("hello there")
            let (started, chunks) = try await h.answer(command)
            #expect(chunks.first == .start(messageID: started.messageID.uuidString.lowercased()))
            #expect(chunks[1] == .startStep)
            guard case .textStart(let id) = chunks[2] else { Issue.record("no text start: \(chunks)"); return }
            #expect(Array(chunks[3...5]) == [.textDelta(id: id, delta: "Hello"), .textDelta(id: id, delta: " world"), .textEnd(id: id)])
            #expect(chunks.contains(.data(name: "chat-title", data: "A fine title", transient: false)))
            #expect(Array(chunks.suffix(2)) == [.finishStep, .finish(finishReason: "stop", metadata: nil)])
            #expect(try await h.storage.chats.find(id: command.chatID)?.title == "A fine title")
            let answer = try #require(try await h.lastMessage(command.chatID))
            #expect(answer.status == .complete)
            #expect(answer.parts.contains(["type": "text", "text": "Hello world", "state": "done"]))
            #expect(answer.usage.outputTokens == 3)
            // What a reader of the database replays is what the live follower saw.
            let stored = try await h.storage.runs.chunks(of: started.runID, after: -1, limit: 1000).map { EngineHarness.decode(RunChunk(seq: $0.seq, json: $0.chunk)) }
            #expect(stored == chunks)
            #expect(try await h.storage.runs.find(id: started.runID)?.status == .completed)
        }
    }

    @Test("stop cancels the model call and keeps the partial answer as stopped")
    func stop() async throws {
        let gate = Signal()
        let model = ScriptedModel()
        model.enqueueAnswer(.text("partial"), .wait(gate), .text(" never"), .finish(.stop))
        try await EngineHarness(model: model).run { h, _ in
            let command = h.submit("go")
            let started = try await h.engine.send(command, user: h.user)
            var seen: [UIMessageChunk] = []
            var stopped = false
            for try await chunk in h.follower.follow(runID: started.runID, after: -1) {
                let decoded = EngineHarness.decode(chunk)
                seen.append(decoded)
                if !stopped, case .textDelta = decoded {
                    stopped = true
                    #expect(try await h.engine.stop(chatID: command.chatID, user: h.user))
                }
            }
            #expect(seen.last == .abort)
            #expect(seen.text == "partial")
            let answer = try #require(try await h.lastMessage(command.chatID))
            #expect(answer.status == .stopped)
            #expect(ConversationContext.text(of: answer.parts) == "partial")
            #expect(try await h.eventually { model.cancelledCalls == 1 })
            #expect(try await h.storage.runs.find(id: started.runID)?.status == .stopped)
            #expect(try await !h.engine.stop(chatID: command.chatID, user: h.user))
        }
    }

    @Test("a stop asked on another instance reaches the answer through the database")
    func stopFromAnotherInstance() async throws {
        let model = ScriptedModel()
        model.enqueueAnswer(.text("partial"), .wait(Signal()), .finish(.stop))
        try await EngineHarness(model: model).run { h, _ in
            let command = h.submit("go")
            let started = try await h.engine.send(command, user: h.user)
            for try await chunk in h.follower.follow(runID: started.runID, after: -1) {
                if case .textDelta = EngineHarness.decode(chunk) { break }
            }
            let other = EngineHarness(storage: h.storage)
            #expect(try await other.engine.stop(chatID: command.chatID, user: h.user))
            let rest = try await h.chunks(of: started.runID)
            #expect(rest.last.map(EngineHarness.decode) == .abort)
            #expect(try await h.lastMessage(command.chatID)?.status == .stopped)
        }
    }

    @Test("a failure mid-stream keeps the partial answer; readers get advice and a reference, never the provider's text")
    func failureMidStream() async throws {
        let model = ScriptedModel()
        let secret = "Bedrock said: User arn:aws:iam::123456789012:role/app is not authorized"
        model.enqueueAnswer(.text("Partial"), .fail(ModelError(kind: .accessDenied, message: secret)))
        try await EngineHarness(model: model).run { h, _ in
            let command = h.submit("hi")
            let (_, chunks) = try await h.answer(command)
            #expect(chunks.text == "Partial")
            guard case .error(let text) = chunks.last else { Issue.record("no error chunk: \(chunks)"); return }
            #expect(!text.contains("arn:") && !text.contains("Bedrock said"))
            #expect(text.contains("model access") && text.contains("reference "))
            let answer = try #require(try await h.lastMessage(command.chatID))
            #expect(answer.status == .failed)
            #expect(answer.error == text)
            #expect(ConversationContext.text(of: answer.parts) == "Partial")
        }
    }

    @Test("without a title model the title is the first words, cut by Unicode scalars", arguments: [
        ("tell me about the history of tea in china please", "tell me about the history of"),
        ("a" + String(repeating: "\u{0301}", count: 150_000), nil),
    ])
    func titleFallback(message: String, expected: String?) async throws {
        let model = ScriptedModel()
        model.enqueueTitle(.fail(ModelError(kind: .throttled, message: "slow down")))
        try await EngineHarness(model: model, maxMessageLength: 200_000).run { h, _ in
            let command = h.submit(message)
            let (_, chunks) = try await h.answer(command)
            let title = try #require(try await h.storage.chats.find(id: command.chatID)?.title)
            #expect(chunks.contains(.data(name: "chat-title", data: .string(title), transient: false)))
            if let expected { #expect(title == expected) }
            #expect(title.unicodeScalars.count <= 60)
            // The title model saw a bounded prompt too.
            #expect(model.answerRequests.count == 1)
        }
    }

    @Test("a title model's reply is cleaned and cut to 80 scalars")
    func titleCleaning() {
        #expect(TitleGenerator.clean("Title: \"Tea in China\"\nmore") == "Tea in China")
        let flood = TitleGenerator.clean("x" + String(repeating: "\u{0301}", count: 10_000))
        #expect(flood?.unicodeScalars.count == 80)
        #expect(TitleGenerator.clean("  \"\"  ") == nil)
        // A cut never separates a letter from its accent when the text has room to cut between characters.
        let accents = String(repeating: "e\u{0301}", count: 100)
        #expect(TextLimit.prefix(accents, 9, suffix: "…") == String(repeating: "e\u{0301}", count: 4) + "…")
    }

    @Test("a long conversation is trimmed from the oldest turn to fit the context window, starting with the user")
    func contextTrimming() async throws {
        let memory = InMemoryChatStorage()
        let h = EngineHarness(storage: .inMemory(memory), policy: EngineHarness.policy(contextWindow: 600, maxOutput: 100))
        try await h.run { h, _ in
            let chatID = UUID()
            try await h.storage.chats.create(ChatRecord(id: chatID, userID: h.user.id, title: "t", visibility: .private))
            let start = Date().addingTimeInterval(-100)
            for turn in 0..<10 {
                for (offset, role) in [MessageRecord.Role.user, .assistant].enumerated() {
                    let text = "turn \(turn) " + String(repeating: "word ", count: 60)
                    try await h.storage.messages.insert(MessageRecord(
                        id: UUID(), chatID: chatID, role: role, parts: [["type": "text", "text": .string(text)]],
                        createdAt: start.addingTimeInterval(Double(turn * 2 + offset))))
                }
            }
            _ = try await h.answer(h.submit("the newest question", chatID: chatID))
            let request = try #require(h.model.answerRequests.last)
            let budget = 600 - 100 - ("Be brief.".utf8.count / 3 + 16)
            #expect(request.messages.reduce(0) { $0 + ConversationContext.estimatedTokens($1) } <= budget)
            #expect(request.messages.first?.role == .user)
            #expect(request.messages.last == .user("the newest question"))
            #expect(request.messages.count < 21)
            guard case .text(let oldest) = request.messages.first?.content.first else { Issue.record("no text"); return }
            #expect(!oldest.hasPrefix("turn 0 "))
        }
    }

    @Test("messages are limited in Unicode scalars: a combining-mark flood is refused and nothing is stored")
    func combiningMarkFlood() async throws {
        try await EngineHarness().run { h, _ in
            let command = h.submit("a" + String(repeating: "\u{0301}", count: 150_000))
            await #expect(throws: ChatError.messageTooLong(limit: 2000)) { try await h.engine.send(command, user: h.user) }
            #expect(try await h.storage.chats.find(id: command.chatID) == nil)
            // Exactly at the limit passes.
            _ = try await h.answer(h.submit(String(repeating: "é", count: 2000)))
        }
    }

    @Test("shutdown lets a running answer finish, and starts no new one meanwhile")
    func shutdownDrains() async throws {
        let gate = Signal()
        let model = ScriptedModel()
        model.enqueueAnswer(.text("almost"), .wait(gate), .text(" done"), .finish(.stop))
        let h = EngineHarness(model: model)
        let command = h.submit("long one")
        try await h.run { h, group in
            _ = try await h.engine.send(command, user: h.user)
            await group.triggerGracefulShutdown()
            #expect(try await h.eventually { !h.engine.registry.isAccepting })
            await #expect(throws: ChatError.shuttingDown) { try await h.engine.send(h.submit("another"), user: h.user) }
            gate.fire()
        }
        // `run` returned only after the engine's task group ended: the answer is complete and saved.
        let answer = try #require(try await h.lastMessage(command.chatID))
        #expect(answer.status == .complete)
        #expect(ConversationContext.text(of: answer.parts) == "almost done")
        #expect(h.engine.runningCount == 0)
    }

    @Test("shutdown stops an answer that outlasts the drain time and saves it as stopped")
    func shutdownStops() async throws {
        let model = ScriptedModel()
        model.enqueueAnswer(.text("thinking"), .wait(Signal()), .finish(.stop))
        let h = EngineHarness(model: model, timing: EngineHarness.timing(shutdownDrain: .milliseconds(50)))
        let command = h.submit("forever")
        try await h.run { h, _ in
            let started = try await h.engine.send(command, user: h.user)
            // Wait until the model is under way, so the stop interrupts it.
            for try await chunk in h.follower.follow(runID: started.runID, after: -1) {
                if case .textDelta = EngineHarness.decode(chunk) { break }
            }
        }
        let answer = try #require(try await h.lastMessage(command.chatID))
        #expect(answer.status == .stopped)
        #expect(ConversationContext.text(of: answer.parts) == "thinking")
        #expect(try await h.eventually { model.cancelledCalls == 1 })
    }
}
