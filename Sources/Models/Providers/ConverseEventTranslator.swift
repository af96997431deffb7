import Bedrock

/// Turns ConverseStream events into `ModelEvent`s: tool input fragments are joined per block, and
/// the finish event waits for the metadata that follows `messageStop`.
struct ConverseEventTranslator {
    var tools: [Int: (id: String, name: String, input: String)] = [:]
    var stopReason: String?
    var usage = TokenUsage()

    mutating func translate(_ event: ConverseStreamEvent) -> [ModelEvent] {
        switch event {
        case .contentBlockStart(let index, .toolUse(let id, let name)):
            self.tools[index] = (id, name, "")
            return [.toolInputStart(id: id, name: name)]
        case .contentBlockDelta(let index, let delta):
            switch delta {
            case .text(let text): return text.isEmpty ? [] : [.textDelta(text)]
            case .reasoningText(let text): return text.isEmpty ? [] : [.reasoningDelta(text)]
            case .reasoningSignature(let signature): return [.reasoningSignature(signature)]
            case .reasoningRedacted(let data): return [.redactedReasoning(data)]
            case .toolUseInput(let fragment):
                guard let id = self.tools[index]?.id, !fragment.isEmpty else { return [] }
                self.tools[index]?.input += fragment
                return [.toolInputDelta(id: id, delta: fragment)]
            case .other: break
            }
        case .contentBlockStop(let index):
            if let tool = self.tools.removeValue(forKey: index) {
                return [.toolCall(id: tool.id, name: tool.name, inputJSON: tool.input.isEmpty ? "{}" : tool.input)]
            }
        case .messageStop(let reason, _):
            self.stopReason = reason
        case .metadata(let usage, let latency):
            self.usage = TokenUsage(
                inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, cacheReadTokens: usage.cacheReadInputTokens ?? 0,
                cacheWriteTokens: usage.cacheWriteInputTokens ?? 0, latencyMs: latency)
        case .messageStart, .contentBlockStart:
            break
        }
        return []
    }

    func finish() -> ModelEvent {
        .finish(Self.finishReason(self.stopReason), self.usage)
    }

    /// Bedrock's `stopReason` in the AI SDK's vocabulary.
    static func finishReason(_ reason: String?) -> FinishReason {
        switch reason {
        case "end_turn", "stop_sequence": return .stop
        case "max_tokens", "model_context_window_exceeded": return .length
        case "tool_use": return .toolCalls
        case "guardrail_intervened", "content_filtered": return .contentFilter
        case "malformed_model_output", "malformed_tool_use": return .error
        default: return .other
        }
    }
}
