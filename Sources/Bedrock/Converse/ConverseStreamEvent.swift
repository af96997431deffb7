import Foundation

/// One typed event of a `ConverseStream` response.
public enum ConverseStreamEvent: Sendable, Equatable {
    /// The assistant turn begins.
    case messageStart(role: String)
    /// A block with a header begins; Bedrock sends it for tool calls only.
    case contentBlockStart(index: Int, start: ContentBlockStart)
    /// A piece of a block.
    case contentBlockDelta(index: Int, delta: ContentBlockDelta)
    /// A block is complete.
    case contentBlockStop(index: Int)
    /// The turn is complete; `stopReason` as sent (unknown values kept).
    case messageStop(stopReason: String, additionalModelResponseFields: JSONValue?)
    /// Usage and latency, after `messageStop`.
    case metadata(usage: Usage, latencyMs: Int?)
}

/// The `start` union of `contentBlockStart`.
public enum ContentBlockStart: Sendable, Equatable {
    /// A tool call begins; its input arrives as `toolUseInput` fragments.
    case toolUse(toolUseId: String, name: String)
    /// A start this client does not model (tool result, image).
    case other
}

/// The `delta` union of `contentBlockDelta`.
public enum ContentBlockDelta: Sendable, Equatable {
    /// Answer text.
    case text(String)
    /// A fragment of a tool call's input JSON text; join all of them, then parse.
    case toolUseInput(String)
    /// Reasoning text.
    case reasoningText(String)
    /// The reasoning block's signature, after its text.
    case reasoningSignature(String)
    /// Redacted reasoning bytes.
    case reasoningRedacted(Data)
    /// A delta this client does not model (citation, image, tool result).
    case other
}

extension ConverseStreamEvent {
    /// Interprets one event-stream message.
    ///
    /// - Returns: the event, or `nil` for an event type this client does not know (skipped, as botocore does).
    /// - Throws: a `BedrockError` for exception and error messages, or for an event whose JSON does not decode.
    public static func decode(_ message: EventStreamMessage, modelID: String) throws -> ConverseStreamEvent? {
        switch message.string(":message-type") {
        case "event":
            break
        case "exception":
            let type = message.string(":exception-type") ?? "unknownException"
            let body = try? JSONDecoder().decode(ExceptionPayload.self, from: Data(message.payload))
            return try Self.throwing(BedrockError.classify(code: type, serviceMessage: body?.text, status: nil, modelID: modelID))
        case "error":
            let code = message.string(":error-code") ?? "InternalFailure"
            return try Self.throwing(BedrockError.classify(code: code, serviceMessage: message.string(":error-message"), status: nil, modelID: modelID))
        default:
            throw BedrockError(.invalidResponse, message: "Bedrock sent an event-stream message without a known :message-type.")
        }
        let decoder = JSONDecoder()
        let payload = Data(message.payload)
        do {
            switch message.string(":event-type") {
            case "messageStart":
                return .messageStart(role: try decoder.decode(MessageStartPayload.self, from: payload).role)
            case "contentBlockStart":
                let body = try decoder.decode(BlockStartPayload.self, from: payload)
                if let tool = body.start?.toolUse {
                    return .contentBlockStart(index: body.contentBlockIndex, start: .toolUse(toolUseId: tool.toolUseId, name: tool.name))
                }
                return .contentBlockStart(index: body.contentBlockIndex, start: .other)
            case "contentBlockDelta":
                let body = try decoder.decode(BlockDeltaPayload.self, from: payload)
                return .contentBlockDelta(index: body.contentBlockIndex, delta: body.delta.value)
            case "contentBlockStop":
                return .contentBlockStop(index: try decoder.decode(BlockStopPayload.self, from: payload).contentBlockIndex)
            case "messageStop":
                let body = try decoder.decode(MessageStopPayload.self, from: payload)
                return .messageStop(stopReason: body.stopReason, additionalModelResponseFields: body.additionalModelResponseFields)
            case "metadata":
                let body = try decoder.decode(MetadataPayload.self, from: payload)
                return .metadata(usage: body.usage, latencyMs: body.metrics?.latencyMs)
            default:
                return nil
            }
        } catch {
            throw BedrockError(
                .invalidResponse, message: "Bedrock sent a \(message.string(":event-type") ?? "?") event that does not decode: \(error)")
        }
    }

    static func throwing(_ error: BedrockError) throws -> ConverseStreamEvent? {
        throw error
    }
}

struct ExceptionPayload: Decodable {
    var message: String?
    var Message: String?
    var text: String? { self.message ?? self.Message }
}

struct MessageStartPayload: Decodable { var role: String }
struct BlockStopPayload: Decodable { var contentBlockIndex: Int }

struct BlockStartPayload: Decodable {
    struct Start: Decodable {
        struct ToolUse: Decodable {
            var toolUseId: String
            var name: String
        }
        var toolUse: ToolUse?
    }
    var contentBlockIndex: Int
    var start: Start?
}

struct BlockDeltaPayload: Decodable {
    struct Delta: Decodable {
        struct ToolUse: Decodable { var input: String }
        struct Reasoning: Decodable {
            var text: String?
            var signature: String?
            var redactedContent: Data?
        }
        var text: String?
        var toolUse: ToolUse?
        var reasoningContent: Reasoning?

        var value: ContentBlockDelta {
            if let text = self.text { return .text(text) }
            if let tool = self.toolUse { return .toolUseInput(tool.input) }
            if let reasoning = self.reasoningContent {
                if let text = reasoning.text { return .reasoningText(text) }
                if let signature = reasoning.signature { return .reasoningSignature(signature) }
                if let data = reasoning.redactedContent { return .reasoningRedacted(data) }
            }
            return .other
        }
    }
    var contentBlockIndex: Int
    var delta: Delta
}

struct MessageStopPayload: Decodable {
    var stopReason: String
    var additionalModelResponseFields: JSONValue?
}

struct MetadataPayload: Decodable {
    struct Metrics: Decodable { var latencyMs: Int? }
    var usage: Usage
    var metrics: Metrics?
}
