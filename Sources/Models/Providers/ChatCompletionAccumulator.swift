import Foundation

/// Folds chat completion chunks into `ModelEvent`s: text and reasoning pass through; tool calls are
/// accumulated by index and emitted whole at the end; usage comes from the final chunk.
struct ChatCompletionAccumulator {
    var tools: [Int: (id: String, name: String, arguments: String)] = [:]
    var finishReason: String?
    var usage = TokenUsage()

    mutating func consume(_ data: String) throws -> [ModelEvent] {
        let chunk: ChatCompletionChunk
        do {
            chunk = try JSONDecoder().decode(ChatCompletionChunk.self, from: Data(data.utf8))
        } catch {
            throw ModelError(kind: .invalidResponse, message: "The model server sent a chunk that is not chat-completion JSON: \(data.prefix(200))")
        }
        if let failure = chunk.error {
            throw ModelError(kind: .modelStreamError, message: "The model server failed while answering: \(failure.message ?? "unknown error")")
        }
        if let usage = chunk.usage {
            self.usage = TokenUsage(
                inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0,
                cacheReadTokens: usage.prompt_tokens_details?.cached_tokens ?? 0)
        }
        var events: [ModelEvent] = []
        for choice in chunk.choices ?? [] {
            if let reasoning = choice.delta?.reasoning_content, !reasoning.isEmpty { events.append(.reasoningDelta(reasoning)) }
            if let content = choice.delta?.content, !content.isEmpty { events.append(.textDelta(content)) }
            for call in choice.delta?.tool_calls ?? [] {
                let index = call.index ?? 0
                var tool = self.tools[index] ?? ("", "", "")
                if let id = call.id, !id.isEmpty { tool.id = id }
                if let name = call.function?.name, !name.isEmpty { tool.name += name }
                tool.arguments += call.function?.arguments ?? ""
                self.tools[index] = tool
            }
            if let reason = choice.finish_reason { self.finishReason = reason }
        }
        return events
    }

    func finish() -> [ModelEvent] {
        var events = self.tools.keys.sorted().map { index -> ModelEvent in
            let tool = self.tools[index]!
            return .toolCall(id: tool.id.isEmpty ? "call_\(index)" : tool.id, name: tool.name, inputJSON: tool.arguments.isEmpty ? "{}" : tool.arguments)
        }
        let reason: FinishReason
        switch self.finishReason {
        case "stop": reason = .stop
        case "length": reason = .length
        case "tool_calls", "function_call": reason = .toolCalls
        case "content_filter": reason = .contentFilter
        default: reason = .other
        }
        events.append(.finish(reason, self.usage))
        return events
    }
}
