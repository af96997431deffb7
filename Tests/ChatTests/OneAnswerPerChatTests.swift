import Foundation
import Storage
import TestSupport
import Testing
import UIMessageStream

@testable import Chat

/// Races on one chat, against every storage: in memory, SQLite, and PostgreSQL when configured.
@Suite("One answer per chat") struct OneAnswerPerChatTests {
    enum Backend: Sendable, CustomStringConvertible {
        case memory
        case database(DatabaseKind)
        var description: String {
            switch self {
            case .memory: "memory"
            case .database(let kind): kind.rawValue
            }
        }
    }

    static let backends: [Backend] = [.memory] + TestDatabase.kinds.map(Backend.database)

    /// A harness whose model holds every answer at `gate`, over `backend`, with its user stored.
    func withHarness(_ backend: Backend, gate: Signal, _ body: @Sendable (EngineHarness) async throws -> Void) async throws {
        let model = ScriptedModel(defaultAnswer: [.text("answer"), .wait(gate), .finish(.stop)])
        switch backend {
        case .memory:
            try await EngineHarness(model: model).run { h, _ in try await body(h) }
        case .database(let kind):
            try await TestDatabase.withMigrated(kind) { database in
                let h = EngineHarness(storage: .sql(database), model: model)
                try await UserRepository(database: database).create(UserRecord(id: h.user.id, kind: .guest))
                try await h.run { h, _ in try await body(h) }
            }
        }
    }

    /// Sends every command at once; returns the successes and the errors.
    func race(_ h: EngineHarness, _ commands: [AnswerEngine.Command]) async -> (started: Int, errors: [any Error]) {
        await withTaskGroup(of: (any Error)?.self) { group in
            for command in commands {
                group.addTask {
                    do {
                        _ = try await h.engine.send(command, user: h.user)
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var started = 0
            var errors: [any Error] = []
            for await error in group {
                if let error { errors.append(error) } else { started += 1 }
            }
            return (started, errors)
        }
    }

    static func isConflict(_ error: any Error) -> Bool {
        [ChatError.answerInProgress, .concurrentChange].contains(error as? ChatError)
    }

    @Test("25 concurrent regenerates start one answer; the rest are conflicts and the chat keeps one answer", arguments: Self.backends)
    func concurrentRegenerates(backend: Backend) async throws {
        let gate = Signal()
        try await self.withHarness(backend, gate: gate) { h in
            let chatID = UUID()
            let first = try await h.engine.send(h.submit("question", chatID: chatID), user: h.user)
            gate.fire()
            _ = try await h.chunks(of: first.runID)
            let held = Signal()
            h.model.enqueueAnswer(.text("again"), .wait(held), .finish(.stop))
            let (started, errors) = await self.race(h, Array(repeating: h.regenerate(chatID), count: 25))
            #expect(started == 1)
            #expect(errors.count == 24)
            #expect(errors.allSatisfy(Self.isConflict), "\(errors)")
            held.fire()
            #expect(try await h.eventually { h.engine.runningCount == 0 })
            let messages = try await h.storage.messages.list(chatID: chatID)
            #expect(messages.map(\.role) == [.user, .assistant])
        }
    }

    @Test("25 concurrent edits of one message start one answer; the rest are conflicts", arguments: Self.backends)
    func concurrentEdits(backend: Backend) async throws {
        let gate = Signal()
        try await self.withHarness(backend, gate: gate) { h in
            let chatID = UUID()
            let messageID = UUID()
            let first = try await h.engine.send(h.submit("first", chatID: chatID, messageID: messageID), user: h.user)
            gate.fire()
            _ = try await h.chunks(of: first.runID)
            let held = Signal()
            h.model.enqueueAnswer(.text("edited"), .wait(held), .finish(.stop))
            let edits = (0..<25).map { h.submit("edit \($0)", chatID: chatID, messageID: messageID) }
            let (started, errors) = await self.race(h, edits)
            #expect(started == 1)
            #expect(errors.allSatisfy(Self.isConflict), "\(errors)")
            held.fire()
            #expect(try await h.eventually { h.engine.runningCount == 0 })
            #expect(try await h.storage.messages.list(chatID: chatID).map(\.role) == [.user, .assistant])
        }
    }

    @Test("a message id used by another chat is refused and leaves no empty chat behind", arguments: Self.backends)
    func messageIDOfAnotherChat(backend: Backend) async throws {
        let gate = Signal()
        gate.fire()
        try await self.withHarness(backend, gate: gate) { h in
            let messageID = UUID()
            let first = try await h.engine.send(h.submit("mine", messageID: messageID), user: h.user)
            _ = try await h.chunks(of: first.runID)
            let other = h.submit("reused id", messageID: messageID)
            await #expect(throws: ChatError.messageIDTaken) { try await h.engine.send(other, user: h.user) }
            #expect(try await h.storage.chats.find(id: other.chatID) == nil)
        }
    }

    @Test("the database itself refuses a second running run in a chat", arguments: TestDatabase.kinds)
    func databaseConstraint(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { database in
            let userID = UUID()
            try await UserRepository(database: database).create(UserRecord(id: userID, kind: .guest))
            let chatID = UUID()
            try await ChatRepository(database: database).create(ChatRecord(id: chatID, userID: userID, title: "t", visibility: .private))
            let messages = MessageRepository(database: database)
            let runs = RunRepository(database: database)
            var runIDs: [UUID] = []
            for _ in 0..<2 {
                let message = MessageRecord(id: UUID(), chatID: chatID, role: .assistant, parts: [], status: .streaming)
                try await messages.insert(message)
                let run = RunRecord(chatID: chatID, messageID: message.id, userID: userID, model: "m", instanceID: "i")
                runIDs.append(run.id)
                if runIDs.count == 1 {
                    try await runs.create(run)
                } else {
                    await #expect(throws: (any Error).self) { try await runs.create(run) }
                    // Once the first has ended, the next may run.
                    try await runs.finish(runIDs[0], status: .completed, error: nil, at: Date())
                    try await runs.create(run)
                }
            }
        }
    }
}
