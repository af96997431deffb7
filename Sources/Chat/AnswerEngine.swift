import Accounts
import Foundation
import JSON
import Logging
import Models
import ServiceLifecycle
import Storage
import UIMessageStream

/// Starts, runs and stops answers. Every answer is a child task of this service's task group, not of the
/// HTTP request that asked for it: it keeps going when the client disconnects, shutdown waits for it (then
/// stops it), and any instance can replay and follow it through the stored chunks.
public final class AnswerEngine: Service, Sendable {
    /// What `POST /api/chat` asks for.
    public struct Command: Sendable {
        public enum Trigger: Sendable { case submit, regenerate }
        public var chatID: UUID
        public var trigger: Trigger
        public var messageID: UUID?
        public var parts: [JSONValue]
        /// Nil for the policy's default model.
        public var modelID: String?
        public var visibility: Visibility

        public init(chatID: UUID, trigger: Trigger, messageID: UUID?, parts: [JSONValue], modelID: String?, visibility: Visibility) {
            self.chatID = chatID
            self.trigger = trigger
            self.messageID = messageID
            self.parts = parts
            self.modelID = modelID
            self.visibility = visibility
        }
    }

    /// A started answer, for the response to follow.
    public struct StartedRun: Sendable {
        public let runID: UUID
        public let chatID: UUID
        public let messageID: UUID
        public let isNewChat: Bool
    }

    let storage: ChatStorage
    let sink: any RunProgressSink
    let allowance: any MessageAllowance
    let model: any LanguageModel
    /// The tools models with tool support may call, by name.
    let tools: [String: any ChatTool]
    public let policy: ChatModelPolicy
    let maxMessageLength: Int
    let timing: ChatTiming
    let logger: Logger
    let registry = RunRegistry()
    let flusher = ProgressFlusher()
    let liveness: RunLiveness
    /// Fired at SIGTERM (`shutdownBegins`), before the HTTP server has drained: from then on an answer that
    /// cannot save gives up after one try instead of retrying past an orchestrator's stop timeout.
    let shutdownRequested = Signal()
    /// Identifies this process in the runs it owns.
    let instanceID = UUID().uuidString.lowercased()
    private let jobs: AsyncStream<AnswerJob>
    private let newJob: AsyncStream<AnswerJob>.Continuation

    public init(
        storage: ChatStorage, sink: (any RunProgressSink)? = nil, allowance: any MessageAllowance, model: any LanguageModel,
        policy: ChatModelPolicy, maxMessageLength: Int, timing: ChatTiming = ChatTiming(), tools: [any ChatTool]? = nil, logger: Logger
    ) {
        self.storage = storage
        self.sink = sink ?? DirectProgressSink(storage: storage)
        self.allowance = allowance
        self.model = model
        self.tools = Dictionary((tools ?? DocumentTools.all).map { ($0.spec.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.policy = policy
        self.maxMessageLength = maxMessageLength
        self.timing = timing
        self.logger = logger
        self.liveness = RunLiveness(registry: self.registry, staleAfter: timing.staleAfter)
        (self.jobs, self.newJob) = AsyncStream.makeStream(of: AnswerJob.self)
    }

    /// Called when the process is told to stop, before the services ahead of the engine have shut down.
    public func shutdownBegins() {
        self.shutdownRequested.fire()
    }

    /// Answers run here, as children of one task group, until shutdown: then no new answer starts,
    /// running ones get `shutdownDrain` to finish, and the rest are stopped (and saved as stopped).
    public func run() async throws {
        let shuttingDown = Signal()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.closeDeadRuns(until: shuttingDown) }
            group.addTask { await self.flushAll(until: shuttingDown) }
            group.addTask {
                try? await gracefulShutdown()
                self.shutdownRequested.fire()
                shuttingDown.fire()
                self.registry.close()
                self.newJob.finish()
                if await !self.registry.waitUntilEmpty(upTo: self.timing.shutdownDrain) {
                    self.logger.notice("stopping unfinished answers for shutdown", metadata: ["runs": "\(self.registry.count)"])
                    self.registry.stopAll()
                }
            }
            for await job in self.jobs {
                group.addTask { await self.execute(job) }
            }
        }
    }

    /// Answers running on this instance.
    public var runningCount: Int { self.registry.count }

    /// Asks the chat's running answer to stop, wherever it runs. False when nothing was running.
    public func stop(chatID: UUID, user: SessionUser) async throws -> Bool {
        guard try await self.storage.chats.find(id: chatID, ownedBy: user.id) != nil else { throw ChatError.chatNotFound }
        guard let run = try await self.runningRun(chatID: chatID) else { return false }
        // The flag reaches the owning instance if it is another one; a local run stops at once.
        try await self.storage.runs.requestCancel(run.id)
        self.registry.handle(for: run.id)?.stop()
        return true
    }

    /// Deletes the chat with everything in it; a running answer is stopped first.
    public func delete(chatID: UUID, user: SessionUser) async throws {
        if let run = try await self.storage.runs.latest(chatID: chatID), run.status == .running, run.userID == user.id {
            self.registry.handle(for: run.id)?.stop()
        }
        guard try await self.storage.chats.delete(id: chatID, ownedBy: user.id) else { throw ChatError.chatNotFound }
    }

    /// The chat's running run; one whose instance died is recorded as interrupted here (a write, so only
    /// write paths call this) and does not count.
    func runningRun(chatID: UUID) async throws -> RunRecord? {
        guard let run = try await self.storage.runs.latest(chatID: chatID), run.status == .running else { return nil }
        guard self.liveness.isStale(run) else { return run }
        try await self.recordInterrupted(run)
        return nil
    }

    /// Records runs whose instance died (every `staleAfter`), so history and usage do not wait for someone
    /// to write to their chat. Instances may do this at once: a finished run keeps its first verdict.
    func closeDeadRuns(until shuttingDown: Signal) async {
        let interval = Duration.milliseconds(Int(self.timing.staleAfter * 1000))
        while !(await shuttingDown.wait(upTo: interval)) {
            do {
                let cutoff = Date().addingTimeInterval(-self.timing.staleAfter)
                for run in try await self.storage.runs.silent(since: cutoff, limit: 100) where self.liveness.isStale(run) {
                    try await self.recordInterrupted(run)
                }
            } catch {
                self.logger.warning("could not close dead runs", metadata: ["error": .string(String(describing: error))])
            }
        }
    }

    func recordInterrupted(_ run: RunRecord) async throws {
        try await self.storage.runs.finish(run.id, status: .failed, error: RunLiveness.interruptedMessage, at: Date())
        if var message = try await self.storage.messages.find(id: run.messageID, chatID: run.chatID), message.status == .streaming {
            message.status = .failed
            message.error = RunLiveness.interruptedMessage
            try await self.storage.messages.update(message)
        }
        self.logger.warning("closed interrupted run", metadata: ["run": .string(run.id.uuidString), "instance": .string(run.instanceID)])
    }
}

/// One answer handed to the engine's task group.
struct AnswerJob: Sendable {
    let run: RunRecord
    let message: MessageRecord
    let request: ModelRequest
    /// The first message of a new chat, for its title.
    let titleSource: String?
    let handle: RunHandle
}

extension AnswerEngine {
    func enqueue(_ job: AnswerJob) -> Bool {
        if case .enqueued = self.newJob.yield(job) { return true }
        return false
    }
}
