import Accounts
import Foundation
import JSON
import Logging
import Models
import ServiceLifecycle
import Storage
import UIMessageStream

@testable import Chat

/// The engine over in-memory (or SQL) storage with a scripted model, run by a real ServiceGroup.
struct EngineHarness: Sendable {
    static let model = "test-model"
    static let logger: Logger = {
        var logger = Logger(label: "chat-tests")
        logger.logLevel = .critical
        return logger
    }()

    let storage: ChatStorage
    let engine: AnswerEngine
    let follower: RunFollower
    let queries: ChatQueries
    let model: ScriptedModel
    let user = SessionUser(id: UUID(), email: nil, kind: .guest)

    static func policy(contextWindow: Int = 100_000, maxOutput: Int = 1000, tools: Bool = false) -> ChatModelPolicy {
        ChatModelPolicy(
            models: [Self.model: .init(contextWindowTokens: contextWindow, maxOutputTokens: maxOutput, supportsReasoning: false, supportsTools: tools)],
            defaultModel: Self.model, titleModel: Self.model, systemPrompt: "Be brief.")
    }

    static func timing(shutdownDrain: Duration = .seconds(20)) -> ChatTiming {
        var timing = ChatTiming()
        timing.flushInterval = .milliseconds(10)
        timing.pollInterval = .milliseconds(10)
        timing.titleWait = .seconds(5)
        timing.shutdownDrain = shutdownDrain
        return timing
    }

    init(storage: ChatStorage = .inMemory(), model: ScriptedModel = ScriptedModel(), policy: ChatModelPolicy = Self.policy(),
         timing: ChatTiming = Self.timing(), maxMessageLength: Int = 2000, tools: [any ChatTool]? = nil) {
        self.storage = storage
        self.model = model
        self.engine = AnswerEngine(
            storage: storage, allowance: UnlimitedAllowance(), model: model, policy: policy, maxMessageLength: maxMessageLength,
            timing: timing, tools: tools, logger: Self.logger)
        self.follower = RunFollower(storage: storage, engine: self.engine)
        self.queries = ChatQueries(storage: storage, engine: self.engine)
    }

    /// Runs `body` while the engine runs as a service, then shuts it down gracefully and waits for it.
    func run<T: Sendable>(_ body: @Sendable (Self, ServiceGroup) async throws -> T) async throws -> T {
        let group = ServiceGroup(services: [self.engine], logger: Self.logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let result = try await body(self, group)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    func submit(_ text: String, chatID: UUID = UUID(), messageID: UUID = UUID()) -> AnswerEngine.Command {
        .init(chatID: chatID, trigger: .submit, messageID: messageID, parts: [["type": "text", "text": .string(text)]], modelID: Self.model,
              visibility: .private)
    }

    func regenerate(_ chatID: UUID) -> AnswerEngine.Command {
        .init(chatID: chatID, trigger: .regenerate, messageID: nil, parts: [], modelID: Self.model, visibility: .private)
    }

    /// Every chunk of the run from the start, decoded, until it ends.
    func chunks(of runID: UUID, after: Int = -1) async throws -> [RunChunk] {
        var chunks: [RunChunk] = []
        for try await chunk in self.follower.follow(runID: runID, after: after) { chunks.append(chunk) }
        return chunks
    }

    /// Sends and reads the whole answer.
    func answer(_ command: AnswerEngine.Command) async throws -> (started: AnswerEngine.StartedRun, chunks: [UIMessageChunk]) {
        let started = try await self.engine.send(command, user: self.user)
        return (started, try await self.chunks(of: started.runID).map(Self.decode))
    }

    static func decode(_ chunk: RunChunk) -> UIMessageChunk {
        UIMessageChunk(json: try! JSONValue(parsing: chunk.json))!
    }

    /// Waits (without a fixed sleep) until `condition` holds, up to about ten seconds.
    func eventually(_ condition: @Sendable () async throws -> Bool) async throws -> Bool {
        for _ in 0..<1000 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func lastMessage(_ chatID: UUID) async throws -> MessageRecord? {
        try await self.storage.messages.list(chatID: chatID).last
    }
}

extension Array where Element == UIMessageChunk {
    var text: String { self.compactMap { if case .textDelta(_, let delta) = $0 { delta } else { nil } }.joined() }
}
