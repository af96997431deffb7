import Foundation
import JSON

/// One chunk of the AI SDK v6 "UI message stream": what `useChat` consumes, one `data:` line each.
public enum UIMessageChunk: Sendable, Equatable {
    case start(messageID: String)
    case startStep
    case textStart(id: String)
    case textDelta(id: String, delta: String)
    case textEnd(id: String)
    case reasoningStart(id: String)
    case reasoningDelta(id: String, delta: String)
    case reasoningEnd(id: String)
    case toolInputStart(toolCallID: String, toolName: String)
    case toolInputDelta(toolCallID: String, inputTextDelta: String)
    case toolInputAvailable(toolCallID: String, toolName: String, input: JSONValue)
    case toolOutputAvailable(toolCallID: String, output: JSONValue)
    case toolOutputError(toolCallID: String, errorText: String)
    /// A `data-<name>` part, e.g. `data-chat-title`.
    case data(name: String, data: JSONValue, transient: Bool)
    case messageMetadata(JSONValue)
    case finishStep
    case finish(finishReason: String?, metadata: JSONValue?)
    case abort
    case error(text: String)

    /// The chunk as the JSON object the protocol defines.
    public var json: JSONValue {
        switch self {
        case .start(let id): ["type": "start", "messageId": .string(id)]
        case .startStep: ["type": "start-step"]
        case .textStart(let id): ["type": "text-start", "id": .string(id)]
        case .textDelta(let id, let delta): ["type": "text-delta", "id": .string(id), "delta": .string(delta)]
        case .textEnd(let id): ["type": "text-end", "id": .string(id)]
        case .reasoningStart(let id): ["type": "reasoning-start", "id": .string(id)]
        case .reasoningDelta(let id, let delta): ["type": "reasoning-delta", "id": .string(id), "delta": .string(delta)]
        case .reasoningEnd(let id): ["type": "reasoning-end", "id": .string(id)]
        case .toolInputStart(let callID, let name): ["type": "tool-input-start", "toolCallId": .string(callID), "toolName": .string(name)]
        case .toolInputDelta(let callID, let delta): ["type": "tool-input-delta", "toolCallId": .string(callID), "inputTextDelta": .string(delta)]
        case .toolInputAvailable(let callID, let name, let input):
            ["type": "tool-input-available", "toolCallId": .string(callID), "toolName": .string(name), "input": input]
        case .toolOutputAvailable(let callID, let output): ["type": "tool-output-available", "toolCallId": .string(callID), "output": output]
        case .toolOutputError(let callID, let text): ["type": "tool-output-error", "toolCallId": .string(callID), "errorText": .string(text)]
        case .data(let name, let data, let transient):
            transient ? ["type": .string("data-" + name), "data": data, "transient": true] : ["type": .string("data-" + name), "data": data]
        case .messageMetadata(let metadata): ["type": "message-metadata", "messageMetadata": metadata]
        case .finishStep: ["type": "finish-step"]
        case .finish(let reason, let metadata):
            .object(
                ["type": "finish"].merging(
                    [("finishReason", reason.map(JSONValue.string)), ("messageMetadata", metadata)].compactMap { key, value in value.map { (key, $0) } },
                    uniquingKeysWith: { $1 }))
        case .abort: ["type": "abort"]
        case .error(let text): ["type": "error", "errorText": .string(text)]
        }
    }

    /// Parses a chunk from its JSON object; nil for types this server never sends.
    public init?(json: JSONValue) {
        guard let type = json["type"]?.stringValue else { return nil }
        let id = json["id"]?.stringValue ?? ""
        switch type {
        case "start": self = .start(messageID: json["messageId"]?.stringValue ?? "")
        case "start-step": self = .startStep
        case "text-start": self = .textStart(id: id)
        case "text-delta": self = .textDelta(id: id, delta: json["delta"]?.stringValue ?? "")
        case "text-end": self = .textEnd(id: id)
        case "reasoning-start": self = .reasoningStart(id: id)
        case "reasoning-delta": self = .reasoningDelta(id: id, delta: json["delta"]?.stringValue ?? "")
        case "reasoning-end": self = .reasoningEnd(id: id)
        case "tool-input-start":
            self = .toolInputStart(toolCallID: json["toolCallId"]?.stringValue ?? "", toolName: json["toolName"]?.stringValue ?? "")
        case "tool-input-delta":
            self = .toolInputDelta(toolCallID: json["toolCallId"]?.stringValue ?? "", inputTextDelta: json["inputTextDelta"]?.stringValue ?? "")
        case "tool-output-error":
            self = .toolOutputError(toolCallID: json["toolCallId"]?.stringValue ?? "", errorText: json["errorText"]?.stringValue ?? "")
        case "tool-input-available":
            self = .toolInputAvailable(toolCallID: json["toolCallId"]?.stringValue ?? "", toolName: json["toolName"]?.stringValue ?? "", input: json["input"] ?? .null)
        case "tool-output-available": self = .toolOutputAvailable(toolCallID: json["toolCallId"]?.stringValue ?? "", output: json["output"] ?? .null)
        case "message-metadata": self = .messageMetadata(json["messageMetadata"] ?? .null)
        case "finish-step": self = .finishStep
        case "finish": self = .finish(finishReason: json["finishReason"]?.stringValue, metadata: json["messageMetadata"])
        case "abort": self = .abort
        case "error": self = .error(text: json["errorText"]?.stringValue ?? "")
        default:
            guard type.hasPrefix("data-") else { return nil }
            self = .data(name: String(type.dropFirst(5)), data: json["data"] ?? .null, transient: json["transient"]?.boolValue ?? false)
        }
    }

    /// True for the chunks after which nothing more is sent.
    public var isTerminal: Bool {
        switch self {
        case .finish, .abort, .error: true
        default: false
        }
    }
}
