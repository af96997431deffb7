import Foundation
import JSON

/// The subset of OpenAI's chat completions chunk that streaming needs; unknown members are ignored.
struct ChatCompletionChunk: Decodable {
    struct Choice: Decodable {
        struct Delta: Decodable {
            struct ToolCall: Decodable {
                struct Function: Decodable {
                    var name: String?
                    var arguments: String?
                }
                var index: Int?
                var id: String?
                var function: Function?
            }
            var content: String?
            var reasoning_content: String?
            var tool_calls: [ToolCall]?
        }
        var delta: Delta?
        var finish_reason: String?
    }
    struct Usage: Decodable {
        struct Details: Decodable { var cached_tokens: Int? }
        var prompt_tokens: Int?
        var completion_tokens: Int?
        var prompt_tokens_details: Details?
    }
    struct Failure: Decodable {
        var message: String?
        var type: String?
        var code: JSONValue?
    }
    var choices: [Choice]?
    var usage: Usage?
    var error: Failure?
}

/// An error body: `{"error": {"message": …}}` or `{"message": …}` or `{"error": "…"}`.
struct ChatCompletionErrorBody: Decodable {
    var error: JSONValue?
    var message: String?

    var text: String? {
        switch self.error {
        case .object(let members)?:
            if case .string(let message)? = members["message"] { return message }
        case .string(let message)?:
            return message
        default:
            break
        }
        return self.message
    }
}

extension ModelRequest {
    /// The chat completions request body as JSON.
    func chatCompletionsBody(model: String) -> JSONValue {
        var messages: [JSONValue] = []
        let system = self.system.filter { !$0.isEmpty }
        if !system.isEmpty {
            messages.append(.object(["role": .string("system"), "content": .string(system.joined(separator: "\n\n"))]))
        }
        for message in self.messages {
            var text = ""
            var images: [JSONValue] = []
            var calls: [JSONValue] = []
            for part in message.content {
                switch part {
                case .text(let value):
                    text += value
                case .image(let format, let data):
                    // OpenAI's chat completions take images as data URLs in an image_url content part.
                    images.append(
                        .object(["type": .string("image_url"),
                            "image_url": .object(["url": .string("data:image/\(format);base64,\(data.base64EncodedString())")])]))
                case .document, .file:
                    // Refused before the call (`OpenAICompatibleLanguageModel.unsupportedAttachment`); never sent.
                    break
                case .toolUse(let id, let name, let input):
                    calls.append(
                        .object(["id": .string(id), "type": .string("function"),
                            "function": .object(["name": .string(name), "arguments": .string(input)])]))
                case .toolResult(let id, let content, _):
                    messages.append(.object(["role": .string("tool"), "tool_call_id": .string(id), "content": .string(content)]))
                case .reasoning, .redactedReasoning:
                    // Reasoning is not replayed to other providers: its signatures are Anthropic's.
                    break
                }
            }
            if !images.isEmpty {
                let content: [JSONValue] = (text.isEmpty ? [] : [.object(["type": .string("text"), "text": .string(text)])]) + images
                messages.append(.object(["role": .string(message.role.rawValue), "content": .array(content)]))
            } else if !text.isEmpty || !calls.isEmpty {
                var object: [String: JSONValue] = ["role": .string(message.role.rawValue), "content": .string(text)]
                if !calls.isEmpty { object["tool_calls"] = .array(calls) }
                messages.append(.object(object))
            }
        }
        var body: [String: JSONValue] = [
            "model": .string(model), "messages": .array(messages), "stream": .bool(true),
            "stream_options": .object(["include_usage": .bool(true)]),
        ]
        if let max = self.maxOutputTokens { body["max_tokens"] = .int(max) }
        if let temperature = self.temperature { body["temperature"] = .double(temperature) }
        if !self.tools.isEmpty {
            body["tools"] = .array(
                self.tools.map { tool in
                    .object(["type": .string("function"), "function": .object([
                        "name": .string(tool.name), "description": .string(tool.description),
                        "parameters": JSONValue(jsonText: tool.inputSchemaJSON) ?? .object(["type": .string("object")]),
                    ])])
                })
        }
        return .object(body)
    }
}
