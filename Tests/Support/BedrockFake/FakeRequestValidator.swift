import Bedrock
import Foundation

/// The reference server's body checks (BEDROCK-WIRE.md §2), answered as `400` errors.
enum FakeRequestValidator {
    /// `nil` when the body is acceptable, else `(status, code, message)`.
    static func validate(body: [UInt8], modelID: String) -> (Int, String, String)? {
        guard let json = JSONValue(jsonText: String(decoding: body, as: UTF8.self)), case .object(let root) = json else {
            return (400, "SerializationException", "Unable to parse request body as JSON.")
        }
        if let path = Self.firstNull(json, path: "") {
            return (400, "ValidationException", "1 validation error detected: Value null at '\(path)' failed to satisfy constraint: Member must not be null")
        }
        if modelID.hasPrefix("anthropic.claude") || modelID.contains("foundation-model/anthropic.claude") {
            return (
                400, "ValidationException",
                "Invocation of model ID \(modelID) with on-demand throughput isn\u{2019}t supported. Retry your request with the ID or ARN of an inference profile that contains this model."
            )
        }
        guard case .array(let messages)? = root["messages"], !messages.isEmpty else {
            return (400, "ValidationException", "A conversation must start with a user message. Try again with a conversation that starts with a user message.")
        }
        var expected = "user"
        var usesTools = false
        for message in messages {
            guard case .object(let members) = message, case .string(let role)? = members["role"], case .array(let content)? = members["content"] else {
                return (400, "ValidationException", "Each message needs a role and content.")
            }
            guard role == expected else {
                return (400, "ValidationException", "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.")
            }
            expected = role == "user" ? "assistant" : "user"
            for block in content {
                guard case .object(let members) = block, members.count == 1 else {
                    return (400, "ValidationException", "A content block must set exactly one member.")
                }
                if case .string(let text)? = members["text"], text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    return (400, "ValidationException", "The text field in the ContentBlock object is blank. Add text to the text field, and try again.")
                }
                if members["toolUse"] != nil || members["toolResult"] != nil { usesTools = true }
            }
        }
        if usesTools, root["toolConfig"] == nil {
            return (400, "ValidationException", "The toolConfig field must be defined when using toolUse and toolResult content blocks.")
        }
        return nil
    }

    static func firstNull(_ value: JSONValue, path: String) -> String? {
        switch value {
        case .null: return path
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = Self.firstNull(item, path: "\(path).\(index + 1)") { return found }
            }
        case .object(let members):
            for (key, item) in members.sorted(by: { $0.key < $1.key }) {
                if let found = Self.firstNull(item, path: path.isEmpty ? key : "\(path).\(key)") { return found }
            }
        default: break
        }
        return nil
    }
}
