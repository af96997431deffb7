import Foundation
import JSON
import Models
import UIMessageStream

/// Turns a model's events into UI stream chunks and, at the same time, the message parts that get stored,
/// so what the user saw and what is saved can never disagree. It also keeps what the model said in the
/// current step (signed reasoning, text, tool calls), to send back with the tool results in the next one.
struct AnswerBuilder {
    private enum Block {
        case text(id: String, text: String)
        case reasoning(id: String, text: String, signature: String?)
    }

    /// A tool call the model made in the current step.
    struct ToolCall: Sendable, Equatable {
        let id: String
        let name: String
        let inputJSON: String
    }

    /// Closed parts, in order, starting with the step marker the AI SDK expects.
    private(set) var closedParts: [JSONValue] = [["type": "step-start"]]
    private var open: Block?
    private var blockCounter = 0
    /// Summed over all steps.
    private(set) var usage = TokenUsage()
    private(set) var finishReason: FinishReason?
    /// Whether any visible output was produced (retries are only safe before this).
    private(set) var hasOutput = false
    /// Where each tool call's part is in `closedParts`.
    private var toolParts: [String: Int] = [:]
    /// The assistant turn of the current step, as the model must see it again.
    private(set) var stepContent: [ModelContent] = []
    private(set) var stepCalls: [ToolCall] = []

    /// The parts as they stand, the open block included.
    var parts: [JSONValue] {
        guard let open else { return self.closedParts }
        return self.closedParts + [Self.part(for: open, done: false)]
    }

    mutating func apply(_ event: ModelEvent) -> [UIMessageChunk] {
        switch event {
        case .textDelta(let delta):
            guard !delta.isEmpty else { return [] }
            self.hasOutput = true
            if case .text(let id, let text) = self.open {
                self.open = .text(id: id, text: text + delta)
                return [.textDelta(id: id, delta: delta)]
            }
            var chunks = self.close()
            let id = self.nextID("text")
            self.open = .text(id: id, text: delta)
            chunks += [.textStart(id: id), .textDelta(id: id, delta: delta)]
            return chunks
        case .reasoningDelta(let delta):
            guard !delta.isEmpty else { return [] }
            self.hasOutput = true
            if case .reasoning(let id, let text, let signature) = self.open {
                self.open = .reasoning(id: id, text: text + delta, signature: signature)
                return [.reasoningDelta(id: id, delta: delta)]
            }
            var chunks = self.close()
            let id = self.nextID("reasoning")
            self.open = .reasoning(id: id, text: delta, signature: nil)
            chunks += [.reasoningStart(id: id), .reasoningDelta(id: id, delta: delta)]
            return chunks
        case .reasoningSignature(let signature):
            if case .reasoning(let id, let text, _) = self.open {
                self.open = .reasoning(id: id, text: text, signature: signature)
            }
            return []
        case .redactedReasoning(let data):
            self.stepContent.append(.redactedReasoning(data))
            return []
        case .toolInputStart(let id, let name):
            self.hasOutput = true
            var chunks = self.close()
            self.toolParts[id] = self.closedParts.count
            self.closedParts.append(["type": .string("tool-" + name), "toolCallId": .string(id), "state": "input-streaming"])
            chunks.append(.toolInputStart(toolCallID: id, toolName: name))
            return chunks
        case .toolInputDelta(let id, let delta):
            guard self.toolParts[id] != nil, !delta.isEmpty else { return [] }
            return [.toolInputDelta(toolCallID: id, inputTextDelta: delta)]
        case .toolCall(let id, let name, let inputJSON):
            self.hasOutput = true
            var chunks = self.close()
            let input = (try? JSONValue(parsing: inputJSON)) ?? .string(inputJSON)
            let part: JSONValue = ["type": .string("tool-" + name), "toolCallId": .string(id), "state": "input-available", "input": input]
            if let index = self.toolParts[id] {
                self.closedParts[index] = part
            } else {
                self.toolParts[id] = self.closedParts.count
                self.closedParts.append(part)
            }
            self.stepContent.append(.toolUse(id: id, name: name, inputJSON: inputJSON))
            self.stepCalls.append(ToolCall(id: id, name: name, inputJSON: inputJSON))
            chunks.append(.toolInputAvailable(toolCallID: id, toolName: name, input: input))
            return chunks
        case .finish(let reason, let usage):
            self.finishReason = reason
            self.usage.inputTokens += usage.inputTokens
            self.usage.outputTokens += usage.outputTokens
            self.usage.cacheReadTokens += usage.cacheReadTokens
            self.usage.cacheWriteTokens += usage.cacheWriteTokens
            return self.close()
        }
    }

    /// A further step begins: its parts follow a new step marker, and its content is collected afresh.
    mutating func startStep() -> [UIMessageChunk] {
        let chunks = self.close()
        self.closedParts.append(["type": "step-start"])
        self.stepContent = []
        self.stepCalls = []
        return chunks + [.startStep]
    }

    /// A tool's result, on its part and on the wire.
    mutating func toolOutput(id: String, output: JSONValue) -> [UIMessageChunk] {
        self.setToolPart(id) { part in
            part["state"] = "output-available"
            part["output"] = output
        }
        return [.toolOutputAvailable(toolCallID: id, output: output)]
    }

    /// A tool's failure (bad input, a thrown error), on its part and on the wire.
    mutating func toolError(id: String, text: String) -> [UIMessageChunk] {
        self.setToolPart(id) { part in
            part["state"] = "output-error"
            part["errorText"] = .string(text)
        }
        return [.toolOutputError(toolCallID: id, errorText: text)]
    }

    private mutating func setToolPart(_ id: String, _ change: (inout [String: JSONValue]) -> Void) {
        guard let index = self.toolParts[id], case .object(var part) = self.closedParts[index] else { return }
        change(&part)
        self.closedParts[index] = .object(part)
    }

    /// Ends the open block, if any.
    mutating func close() -> [UIMessageChunk] {
        guard let block = self.open else { return [] }
        self.open = nil
        self.closedParts.append(Self.part(for: block, done: true))
        switch block {
        case .text(let id, let text):
            self.stepContent.append(.text(text))
            return [.textEnd(id: id)]
        case .reasoning(let id, let text, let signature):
            self.stepContent.append(.reasoning(text: text, signature: signature))
            return [.reasoningEnd(id: id)]
        }
    }

    private mutating func nextID(_ prefix: String) -> String {
        defer { self.blockCounter += 1 }
        return "\(prefix)-\(self.blockCounter)"
    }

    private static func part(for block: Block, done: Bool) -> JSONValue {
        let state: JSONValue = done ? "done" : "streaming"
        switch block {
        case .text(_, let text):
            return ["type": "text", "text": .string(text), "state": state]
        case .reasoning(_, let text, let signature):
            var part: [String: JSONValue] = ["type": "reasoning", "text": .string(text), "state": state]
            if let signature { part["providerMetadata"] = ["bedrock": ["signature": .string(signature)]] }
            return .object(part)
        }
    }
}
