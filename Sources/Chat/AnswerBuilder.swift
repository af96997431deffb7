import Foundation
import JSON
import Models
import UIMessageStream

/// Turns a model's events into UI stream chunks and, at the same time, the message parts that get stored,
/// so what the user saw and what is saved can never disagree.
struct AnswerBuilder {
    private enum Block {
        case text(id: String, text: String)
        case reasoning(id: String, text: String, signature: String?)
    }

    /// Closed parts, in order, starting with the step marker the AI SDK expects.
    private(set) var closedParts: [JSONValue] = [["type": "step-start"]]
    private var open: Block?
    private var blockCounter = 0
    private(set) var usage = TokenUsage()
    private(set) var finishReason: FinishReason?
    /// Whether any visible output was produced (retries are only safe before this).
    private(set) var hasOutput = false

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
        case .redactedReasoning:
            return []
        case .toolCall(let id, let name, let inputJSON):
            self.hasOutput = true
            var chunks = self.close()
            let input = (try? JSONValue(parsing: inputJSON)) ?? .string(inputJSON)
            self.closedParts.append(["type": .string("tool-" + name), "toolCallId": .string(id), "state": "input-available", "input": input])
            chunks.append(.toolInputAvailable(toolCallID: id, toolName: name, input: input))
            return chunks
        case .finish(let reason, let usage):
            self.finishReason = reason
            self.usage = usage
            return self.close()
        }
    }

    /// Ends the open block, if any.
    mutating func close() -> [UIMessageChunk] {
        guard let block = self.open else { return [] }
        self.open = nil
        self.closedParts.append(Self.part(for: block, done: true))
        switch block {
        case .text(let id, _): return [.textEnd(id: id)]
        case .reasoning(let id, _, _): return [.reasoningEnd(id: id)]
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
