import Accounts
import Foundation
import Models
import Storage
import UIMessageStream

extension AnswerEngine {
    /// Validates, charges the allowance, stores the user's message with the answer's run in one transaction,
    /// and hands the answer to the engine's task group.
    public func send(_ command: Command, user: SessionUser) async throws -> StartedRun {
        let modelID = command.modelID ?? self.policy.defaultModel
        let limits = try self.policy.limits(for: modelID)
        let text = ConversationContext.text(of: command.parts)
        if command.trigger == .submit {
            guard command.messageID != nil, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ChatError.emptyMessage }
            guard TextLimit.fits(text, scalars: self.maxMessageLength) else { throw ChatError.messageTooLong(limit: self.maxMessageLength) }
        }
        let existing = try await self.storage.chats.find(id: command.chatID)
        if let existing, existing.userID != user.id { throw ChatError.chatNotFound }
        if existing == nil, command.trigger == .regenerate { throw ChatError.chatNotFound }
        // Checked before charging the allowance; the database enforces it again when the run is stored.
        if existing != nil, try await self.runningRun(chatID: command.chatID) != nil { throw ChatError.answerInProgress }
        guard self.registry.isAccepting else { throw ChatError.shuttingDown }

        let now = Date()
        var history = existing == nil ? [] : try await self.storage.messages.list(chatID: command.chatID)
        var replaceFrom: UUID?
        var userMessage: MessageRecord?
        switch command.trigger {
        case .regenerate:
            guard let last = history.last else { throw ChatError.nothingToRegenerate }
            if last.role == .assistant {
                replaceFrom = last.id
                history.removeLast()
            }
        case .submit:
            guard let messageID = command.messageID else { throw ChatError.emptyMessage }
            // Editing: the message and everything after it go, then the new text takes its place.
            if let index = history.firstIndex(where: { $0.id == messageID }) {
                replaceFrom = messageID
                history.removeSubrange(index...)
            }
            let message = MessageRecord(id: messageID, chatID: command.chatID, role: .user, parts: command.parts, createdAt: now)
            userMessage = message
            history.append(message)
        }
        try await self.allowance.consumeMessage(for: user, now: now)

        // The answer sorts after the question even when both are stored within the same millisecond.
        let answer = MessageRecord(
            id: UUID(), chatID: command.chatID, role: .assistant, parts: [], status: .streaming, model: modelID,
            createdAt: now.addingTimeInterval(0.001))
        let run = RunRecord(chatID: command.chatID, messageID: answer.id, userID: user.id, model: modelID, instanceID: self.instanceID)
        let newChat = existing == nil
            ? ChatRecord(id: command.chatID, userID: user.id, title: TitleGenerator.fallback(for: text), visibility: command.visibility, createdAt: now)
            : nil
        do {
            try await self.storage.answers.begin(
                AnswerStart(newChat: newChat, replaceFrom: replaceFrom, userMessage: userMessage, assistant: answer, run: run))
        } catch let conflict as AnswerStartConflict {
            throw ChatError(conflict)
        }

        let handle = RunHandle(live: LiveRun(runID: run.id))
        let job = AnswerJob(
            run: run, message: answer, request: self.request(for: history, modelID: modelID, limits: limits),
            titleSource: newChat == nil ? nil : text, handle: handle)
        guard self.registry.register(run.id, handle: handle), self.enqueue(job) else {
            // Shutdown began between the check above and now: close the run so the chat is not left waiting.
            self.registry.remove(run.id)
            let reason = "The server was shutting down. Send the message again."
            try? await self.storage.runs.finish(run.id, status: .failed, error: reason, at: Date())
            var failed = answer
            (failed.status, failed.error) = (.failed, reason)
            try? await self.storage.messages.update(failed)
            throw ChatError.shuttingDown
        }
        return StartedRun(runID: run.id, chatID: command.chatID, messageID: answer.id, isNewChat: newChat != nil)
    }

    /// The model request for a conversation, trimmed from the oldest turn to fit the model's context window.
    func request(for history: [MessageRecord], modelID: String, limits: ChatModelPolicy.Limits) -> ModelRequest {
        // Models without tool support get no tools, no tool prompt and no replayed tool calls.
        let tools = limits.supportsTools ? self.tools.values.map(\.spec).sorted { $0.name < $1.name } : []
        let system = [self.policy.systemPrompt] + (tools.isEmpty ? [] : [DocumentTools.systemPrompt])
        let toolTokens = tools.reduce(0) { $0 + ($1.description.utf8.count + $1.inputSchemaJSON.utf8.count) / 3 }
        let systemTokens = system.reduce(0) { $0 + $1.utf8.count / 3 } + toolTokens + 16
        let budget = max(limits.contextWindowTokens - limits.maxOutputTokens - systemTokens, 256)
        return ModelRequest(
            modelID: modelID,
            system: system,
            messages: ConversationContext.messages(from: history, budgetTokens: budget, replayTools: !tools.isEmpty),
            maxOutputTokens: limits.maxOutputTokens,
            reasoningBudgetTokens: limits.supportsReasoning ? self.policy.reasoningBudgetTokens : nil,
            tools: tools
        )
    }
}
