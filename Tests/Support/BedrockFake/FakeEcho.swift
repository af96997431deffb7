import Bedrock
import Foundation

/// The unscripted behaviour: answer "You said: <last user text>" in small pieces, or obey a
/// `fake:` directive in the last user message (so processes such as botocore tests and browser
/// tests can ask for errors without a scripting API).
///
/// Directives: `fake:error:<Code>`, `fake:exception:<eventType>`, `fake:reasoning`, `fake:tool`, `fake:marketplace`.
public enum FakeEcho {
    /// The scenario for a request body.
    public static func scenario(for body: [UInt8]) -> FakeScenario {
        let text = Self.lastUserText(body)
        let directive = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if directive.hasPrefix("fake:error:") {
            let code = String(directive.dropFirst("fake:error:".count))
            return .httpError(status: FakeBedrockServer.status(for: code), code: code, message: "Scripted \(code) from the fake Bedrock server.")
        }
        if directive == "fake:marketplace" {
            return .httpError(
                status: 403, code: "AccessDeniedException",
                message: "Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.")
        }
        if directive.hasPrefix("fake:exception:") {
            let type = String(directive.dropFirst("fake:exception:".count))
            return .streamException(before: [.text("Partial answer")], type: type, message: "Scripted \(type) from the fake Bedrock server.")
        }
        if directive == "fake:reasoning" {
            return .reply(FakeReply(deltas: [.reasoning("Let me think. "), .reasoning("Done."), .signature("fake-signature-1"), .text("Answer after thinking.")]))
        }
        if directive == "fake:tool" {
            return .reply(
                FakeReply(
                    deltas: [.text("Checking the weather."), .toolUse(id: "tooluse_fake1", name: "getWeather", inputFragments: ["{\"city\":", "\"Paris\"}"])],
                    stopReason: "tool_use"))
        }
        return .reply(FakeReply.text("You said: \(text)", chunk: 6))
    }

    /// The text of the last user message's text blocks, joined.
    static func lastUserText(_ body: [UInt8]) -> String {
        guard case .object(let root)? = JSONValue(jsonText: String(decoding: body, as: UTF8.self)), case .array(let messages)? = root["messages"] else {
            return ""
        }
        for message in messages.reversed() {
            guard case .object(let members) = message, members["role"] == .string("user"), case .array(let content)? = members["content"] else { continue }
            return content.compactMap { block -> String? in
                if case .object(let parts) = block, case .string(let text)? = parts["text"] { return text }
                return nil
            }.joined(separator: " ")
        }
        return ""
    }
}
