import Accounts
import Foundation
import Logging
import NIOConcurrencyHelpers
import Models
import Storage
import UIMessageStream

extension ChatService {
    /// Creates the assistant message and the run, then starts generating in a task this service owns.
    func startRun(
        chatID: UUID, user: SessionUser, modelID: String, limits: ChatModelPolicy.Limits, titleSource: String?, isNewChat: Bool, after: Date
    ) async throws -> StartedRun {
        let history = try await self.messages.list(chatID: chatID)
        let systemTokens = self.policy.systemPrompt.utf8.count / 3 + 16
        let budget = max(limits.contextWindowTokens - limits.maxOutputTokens - systemTokens, 256)
        let request = ModelRequest(
            modelID: modelID,
            system: [self.policy.systemPrompt],
            messages: ConversationContext.messages(from: history, budgetTokens: budget),
            maxOutputTokens: limits.maxOutputTokens,
            reasoningBudgetTokens: limits.supportsReasoning ? self.policy.reasoningBudgetTokens : nil
        )
        // The answer sorts after the question even when both are stored within the same millisecond.
        let message = MessageRecord(
            id: UUID(), chatID: chatID, role: .assistant, parts: [], status: .streaming, model: modelID, createdAt: after.addingTimeInterval(0.001))
        try await self.messages.insert(message)
        let run = RunRecord(chatID: chatID, messageID: message.id, userID: user.id, model: modelID, instanceID: self.instanceID)
        try await self.runs.create(run)

        let handle = RunHandle(live: LiveRun(runID: run.id, chatID: chatID))
        self.registry.register(run.id, handle: handle)
        let task = Task { await self.execute(run: run, message: message, request: request, titleSource: titleSource, handle: handle) }
        self.registry.attach(run.id, task: task)
        return StartedRun(runID: run.id, chatID: chatID, messageID: message.id, isNewChat: isNewChat)
    }

    /// Streams the model to the end (or a stop, or an error) and saves the outcome. Never throws: every
    /// ending is written to the stream and to the database.
    func execute(run: RunRecord, message: MessageRecord, request: ModelRequest, titleSource: String?, handle: RunHandle) async {
        let logger = {
            var logger = self.logger
            logger[metadataKey: "run"] = .string(run.id.uuidString.lowercased())
            return logger
        }()
        let writer = RunWriter(run: run, message: message, live: handle.live, runs: self.runs, messages: self.messages)
        await writer.emit(.start(messageID: message.id.uuidString.lowercased()))
        await writer.emit(.startStep)

        let titleTask = titleSource.map { text in
            Task {
                let title = await TitleGenerator(model: self.model, policy: self.policy, logger: logger).title(for: text)
                guard !Task.isCancelled else { return }
                _ = try? await self.chats.setTitle(title, of: run.chatID, ownedBy: run.userID)
                await writer.emit(.data(name: "chat-title", data: .string(title), transient: false))
            }
        }
        // The flusher is told to stop, never cancelled: cancelling it mid-write would abort a database call.
        let flushing = FlushSwitch()
        let flusher = Task {
            while flushing.isOn {
                try? await Task.sleep(for: self.timing.flushInterval)
                guard flushing.isOn else { break }
                do {
                    if try await writer.flush() { handle.stop() }
                } catch {
                    // The database may be back by the next flush; chunks stay pending until then.
                    logger.warning("could not save progress", metadata: ["error": .string(String(describing: error))])
                }
            }
        }
        let modelTask = Task { () -> RunOutcome in
            do {
                for try await event in self.model.stream(request) {
                    try Task.checkCancellation()
                    await writer.apply(event)
                }
                return Task.isCancelled ? .stopped : .completed
            } catch {
                return handle.isStopRequested || error is CancellationError ? .stopped : .failed(error)
            }
        }
        handle.attach(modelTask)
        let outcome = await modelTask.value

        if let titleTask {
            await Self.wait(for: titleTask, upTo: self.timing.titleWait)
        }
        await writer.closeOpenBlock()
        let status: MessageRecord.Status
        let runStatus: RunRecord.Status
        var errorText: String?
        switch outcome {
        case .completed:
            let reason = await writer.builder.finishReason ?? .stop
            await writer.emit(.finishStep)
            await writer.emit(.finish(finishReason: reason.rawValue, metadata: nil))
            (status, runStatus) = (.complete, .completed)
        case .stopped:
            await writer.emit(.finishStep)
            await writer.emit(.abort)
            (status, runStatus) = (.stopped, .stopped)
        case .failed(let error):
            errorText = Self.userMessage(for: error)
            logger.warning("answer failed", metadata: ["error": .string(String(describing: error))])
            await writer.emit(.error(text: errorText ?? ""))
            (status, runStatus) = (.failed, .failed)
        }
        flushing.turnOff()
        _ = await flusher.value
        await self.save(writer: writer, status: status, runStatus: runStatus, error: errorText, run: run, logger: logger)
        handle.live.finish()
        self.registry.remove(run.id)
    }

    /// Saves the outcome, retrying while the database is away (for up to a minute) so nothing is lost.
    private func save(writer: RunWriter, status: MessageRecord.Status, runStatus: RunRecord.Status, error: String?, run: RunRecord, logger: Logger) async {
        var delay = Duration.milliseconds(200)
        for attempt in 1...12 {
            do {
                let saved = try await writer.complete(status: status, runStatus: runStatus, error: error)
                try? await self.quota.recordUsage(userID: run.userID, chatID: run.chatID, messageID: saved.id, model: run.model, usage: saved.usage)
                return
            } catch {
                logger.warning("could not save the answer", metadata: ["attempt": "\(attempt)", "error": .string(String(describing: error))])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(8))
            }
        }
        logger.error("gave up saving the answer; it will be marked interrupted on the next read")
    }

    static func wait(for task: Task<Void, Never>, upTo limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await task.value }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
        task.cancel()
    }

    /// The error text a person sees in the chat: actionable for model errors, generic otherwise.
    static func userMessage(for error: any Error) -> String {
        if let error = error as? ModelError { return error.message }
        return "The answer could not be completed because of an unexpected error. Please try again."
    }
}

/// A flag the generation task uses to end its flusher loop between writes.
final class FlushSwitch: Sendable {
    private let on = NIOLockedValueBox(true)
    var isOn: Bool { self.on.withLockedValue { $0 } }
    func turnOff() { self.on.withLockedValue { $0 = false } }
}
