import Foundation
import JSON
import Models
import Storage
import Synchronization
import Testing
import UIMessageStream

@testable import Chat

/// A tool that throws something that is not a `ToolFailure`.
struct ExplodingTool: ChatTool {
    struct Boom: Error {}
    var spec: ToolSpec { ToolSpec(name: "explode", description: "Throws.", inputSchemaJSON: #"{"type":"object"}"#) }
    func run(_ input: JSONValue, context: ToolContext) async throws -> JSONValue { throw Boom() }
}

/// A tool that answers at once.
struct NoopTool: ChatTool {
    var spec: ToolSpec { ToolSpec(name: "noop", description: "Does nothing.", inputSchemaJSON: #"{"type":"object"}"#) }
    func run(_ input: JSONValue, context: ToolContext) async throws -> JSONValue { ["ok": true] }
}

@Suite("Tool loop") struct ToolLoopTests {
    static let owls = #"{"title":"Owls","kind":"text"}"#

    func dataParts(_ chunks: [UIMessageChunk]) -> [(String, JSONValue)] {
        chunks.compactMap { if case .data(let name, let data, true) = $0 { (name, data) } else { nil } }
    }

    @Test("createDocument streams its content as data parts, stores a version, and the model answers again with the result")
    func createDocument() async throws {
        let model = ScriptedModel()
        model.enqueueAnswer(.reasoning("A document fits."), .signature("sig-1"), .text("Writing it."), .tool(id: "t1", name: "createDocument", input: Self.owls), .finish(.toolCalls))
        model.enqueueAnswer(.text("# Owls\n"), .text("Owls hunt at night."), .finish(.stop))
        model.enqueueAnswer(.text("I wrote about owls."), .finish(.stop))
        try await EngineHarness(model: model, policy: EngineHarness.policy(tools: true)).run { h, _ in
            let command = h.submit("Write a short essay about owls")
            let (_, chunks) = try await h.answer(command)
            let types = chunks.map { $0.json["type"]?.stringValue ?? "" }
            #expect(types.first == "start")
            #expect(types.last == "finish")
            #expect(types.filter { $0 == "start-step" }.count == 2)
            #expect(types.filter { $0 == "finish-step" }.count == 2)
            for expected in ["tool-input-start", "tool-input-delta", "tool-input-available", "tool-output-available"] {
                #expect(types.contains(expected), "\(expected)")
            }
            // The tool's output comes before the first step ends; the second step's text after.
            let outputAt = try #require(types.firstIndex(of: "tool-output-available"))
            #expect(types.firstIndex(of: "finish-step")! > outputAt)
            #expect(chunks.text == "Writing it.I wrote about owls.")

            let data = self.dataParts(chunks)
            #expect(data.map(\.0) == ["kind", "id", "title", "clear", "textDelta", "textDelta", "finish"])
            let documentID = try #require(data[1].1.stringValue.flatMap(UUID.init(uuidString:)))
            #expect(data.filter { $0.0 == "textDelta" }.compactMap { $0.1.stringValue }.joined() == "# Owls\nOwls hunt at night.")

            let document = try #require(try await h.storage.documents.versions(of: documentID, ownedBy: h.user.id).last)
            #expect(document.content == "# Owls\nOwls hunt at night.")
            #expect(document.chatID == command.chatID)
            #expect(document.title == "Owls")

            let answer = try #require(try await h.lastMessage(command.chatID))
            #expect(answer.status == .complete)
            let tool = try #require(answer.parts.first { $0["type"]?.stringValue == "tool-createDocument" })
            #expect(tool["state"] == "output-available")
            #expect(tool["input"] == ["title": "Owls", "kind": "text"])
            #expect(tool["output"]?["id"]?.stringValue == documentID.uuidString.lowercased())
            #expect(answer.parts.filter { $0["type"] == "step-start" }.count == 2)
            #expect(answer.usage.outputTokens == 6)

            let requests = model.answerRequests
            #expect(requests.count == 3)
            #expect(Set(requests[0].tools.map(\.name)) == ["createDocument", "updateDocument", "requestSuggestions"])
            #expect(requests[0].system.count == 2)
            // The writer sees the conversation, not only the title, and gets no tools.
            #expect(requests[1].tools.isEmpty)
            #expect(requests[1].messages.first?.content.first == .text("Write a short essay about owls"))
            // The second step carries the signed reasoning, the call and its result.
            let replay = requests[2].messages
            #expect(replay.count == 3)
            #expect(replay[1].role == .assistant)
            #expect(replay[1].content.first == .reasoning(text: "A document fits.", signature: "sig-1"))
            #expect(replay[1].content.last == .toolUse(id: "t1", name: "createDocument", inputJSON: Self.owls))
            guard case .toolResult(let id, let json, let isError) = replay[2].content.first else { Issue.record("no tool result"); return }
            #expect(id == "t1" && !isError && json.contains(documentID.uuidString.lowercased()))

            // The next question replays the finished call, so the model knows the document's id.
            model.enqueueAnswer(.text("Sure."), .finish(.stop))
            _ = try await h.answer(h.submit("thanks", chatID: command.chatID))
            let next = try #require(model.answerRequests.last)
            #expect(next.messages.map(\.role) == [.user, .assistant, .user, .assistant, .user])
            #expect(next.messages[1].content.contains(.toolUse(id: "t1", name: "createDocument", inputJSON: #"{"kind":"text","title":"Owls"}"#))
                || next.messages[1].content.contains(.toolUse(id: "t1", name: "createDocument", inputJSON: #"{"title":"Owls","kind":"text"}"#)))
        }
    }

    @Test("models without tool support get no tools and no tool prompt")
    func noTools() async throws {
        let model = ScriptedModel()
        try await EngineHarness(model: model).run { h, _ in
            _ = try await h.answer(h.submit("hello"))
            #expect(model.answerRequests.first?.tools.isEmpty == true)
            #expect(model.answerRequests.first?.system == ["Be brief."])
        }
    }

    @Test("invalid input, an unknown tool and a throwing tool go back to the model as error results; the answer completes")
    func toolErrors() async throws {
        let model = ScriptedModel()
        model.enqueueAnswer(
            .tool(id: "bad", name: "createDocument", input: #"{"title":"X","kind":"video"}"#),
            .tool(id: "notjson", name: "createDocument", input: #"{"title": oops"#),
            .tool(id: "ghost", name: "teleport", input: "{}"),
            .tool(id: "boom", name: "explode", input: "{}"),
            .finish(.toolCalls))
        model.enqueueAnswer(.text("Sorry, that did not work."), .finish(.stop))
        let tools: [any ChatTool] = DocumentTools.all + [ExplodingTool()]
        try await EngineHarness(model: model, policy: EngineHarness.policy(tools: true), tools: tools).run { h, _ in
            let command = h.submit("make something")
            let (_, chunks) = try await h.answer(command)
            let errors = chunks.compactMap { if case .toolOutputError(let id, let text) = $0 { (id, text) } else { nil } }
            #expect(errors.map(\.0) == ["bad", "notjson", "ghost", "boom"])
            #expect(errors[0].1.contains("kind"))
            #expect(errors[2].1.contains("teleport"))
            #expect(!errors[3].1.contains("Boom"))
            #expect(chunks.last.map { if case .finish = $0 { true } else { false } } == true)
            let answer = try #require(try await h.lastMessage(command.chatID))
            #expect(answer.status == .complete)
            #expect(answer.parts.filter { $0["state"] == "output-error" }.count == 4)
            let results = try #require(model.answerRequests.last?.messages.last?.content)
            #expect(results.count == 4)
            #expect(results.allSatisfy { if case .toolResult(_, _, true) = $0 { true } else { false } })
        }
    }

    @Test("a model that keeps calling tools is asked at most five times")
    func stepLimit() async throws {
        let model = ScriptedModel()
        for index in 0..<7 { model.enqueueAnswer(.tool(id: "n\(index)", name: "noop", input: "{}"), .finish(.toolCalls)) }
        try await EngineHarness(model: model, policy: EngineHarness.policy(tools: true), tools: [NoopTool()]).run { h, _ in
            let command = h.submit("loop")
            let (_, chunks) = try await h.answer(command)
            #expect(model.answerRequests.count == AnswerEngine.maxSteps)
            #expect(chunks.filter { $0 == .startStep }.count == AnswerEngine.maxSteps)
            #expect(chunks.last == .finish(finishReason: "tool-calls", metadata: nil))
            #expect(try await h.lastMessage(command.chatID)?.status == .complete)
        }
    }

    @Test("stop while a document is being written cancels the writer's model call and keeps what was written")
    func stopDuringTool() async throws {
        let model = ScriptedModel()
        let gate = Signal()
        model.enqueueAnswer(.tool(id: "t1", name: "createDocument", input: Self.owls), .finish(.toolCalls))
        model.enqueueAnswer(.text("Owls are"), .wait(gate), .text(" never seen"), .finish(.stop))
        try await EngineHarness(model: model, policy: EngineHarness.policy(tools: true)).run { h, _ in
            let command = h.submit("essay on owls")
            let started = try await h.engine.send(command, user: h.user)
            var seen: [UIMessageChunk] = []
            var documentID: UUID?
            for try await chunk in h.follower.follow(runID: started.runID, after: -1) {
                let decoded = EngineHarness.decode(chunk)
                seen.append(decoded)
                if case .data("id", let id, _) = decoded { documentID = id.stringValue.flatMap(UUID.init(uuidString:)) }
                if case .data("textDelta", _, _) = decoded {
                    #expect(try await h.engine.stop(chatID: command.chatID, user: h.user))
                }
            }
            #expect(seen.last == .abort)
            #expect(!seen.contains { if case .toolOutputAvailable = $0 { true } else { false } })
            #expect(try await h.eventually { model.cancelledCalls == 1 })
            let answer = try #require(try await h.lastMessage(command.chatID))
            #expect(answer.status == .stopped)
            #expect(answer.parts.first { $0["type"] == "tool-createDocument" }?["state"] == "input-available")
            let id = try #require(documentID)
            #expect(try await h.eventually { try await h.storage.documents.versions(of: id, ownedBy: h.user.id).last?.content == "Owls are" })
            #expect(model.answerRequests.count == 2)
        }
    }

    @Test("a client that resumes while a tool runs gets the tool's activity replayed, then the rest live")
    func resumeDuringTool() async throws {
        let model = ScriptedModel()
        let gate = Signal()
        model.enqueueAnswer(.tool(id: "t1", name: "createDocument", input: Self.owls), .finish(.toolCalls))
        model.enqueueAnswer(.text("Owls are"), .wait(gate), .text(" birds."), .finish(.stop))
        model.enqueueAnswer(.text("Done."), .finish(.stop))
        try await EngineHarness(model: model, policy: EngineHarness.policy(tools: true)).run { h, _ in
            let command = h.submit("essay on owls")
            let started = try await h.engine.send(command, user: h.user)
            var first: [RunChunk] = []
            for try await chunk in h.follower.follow(runID: started.runID, after: -1) {
                first.append(chunk)
                if case .data("textDelta", _, _) = EngineHarness.decode(chunk) { break }
            }
            // Wait until the delta is stored, as a client on another instance would read it.
            let seen = first.count
            #expect(try await h.eventually { try await h.storage.runs.chunks(of: started.runID, after: -1, limit: 1000).count >= seen })
            let resumedTask = Task { try await h.chunks(of: started.runID, after: 2) }
            gate.fire()
            let resumed = try await resumedTask.value
            let all = try await h.chunks(of: started.runID)
            #expect(resumed.map(\.seq) == Array(3..<all.count))
            #expect(resumed.map(\.json) == all.dropFirst(3).map(\.json))
            let types = resumed.map { EngineHarness.decode($0).json["type"]?.stringValue ?? "" }
            for expected in ["tool-input-available", "data-textDelta", "data-finish", "tool-output-available", "finish"] {
                #expect(types.contains(expected), "\(expected)")
            }
        }
    }
}
