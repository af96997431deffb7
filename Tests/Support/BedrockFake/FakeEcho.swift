import Bedrock
import Foundation

/// The unscripted behaviour: answer "You said: <last user text>" in small pieces, or obey a
/// `fake:` directive in the last user message (so processes such as botocore tests and browser
/// tests can ask for errors without a scripting API).
///
/// Directives: `fake:error:<Code>`, the fault suite's (`FakeFaults`, `fake:stall` among them), `fake:exception:<eventType>`, `fake:reasoning`,
/// `fake:tool`, `fake:marketplace`, and Bedrock's own refusals `fake:legacy`, `fake:not-enabled`, `fake:no-permission`, `fake:invalid-model`; the document tools' directives are in `FakeDocuments`.
public enum FakeEcho {
    /// The scenario for a request body.
    public static func scenario(for body: [UInt8], attempt: Int = 1) -> FakeScenario {
        if let documents = FakeDocuments.scenario(for: body) { return documents }
        let text = Self.lastUserText(body)
        let directive = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let fault = FakeFaults.scenario(directive: directive, attempt: attempt) { return fault }
        if directive.hasPrefix("fake:error:") {
            let code = String(directive.dropFirst("fake:error:".count))
            return .httpError(status: FakeBedrockServer.status(for: code), code: code, message: "Scripted \(code) from the fake Bedrock server.")
        }
        if directive == "fake:marketplace" {
            return .httpError(
                status: 403, code: "AccessDeniedException",
                message: "Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.")
        }
        if let refusal = FakeRefusal(rawValue: directive.replacingOccurrences(of: "fake:", with: "")) {
            return refusal.scenario
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

/// How Bedrock refuses a model an account cannot use, with the service's own messages (as public reports quote them).
public enum FakeRefusal: String, Sendable, CaseIterable {
    /// aws-samples/amazon-bedrock-workshop#386, awslabs/llmeter#35.
    case legacy
    /// The classic "model access not enabled" answer.
    case notEnabled = "not-enabled"
    /// IAM denies the action.
    case noPermission = "no-permission"
    /// An id the region does not offer.
    case invalidModel = "invalid-model"

    public var scenario: FakeScenario {
        switch self {
        case .legacy:
            return .httpError(
                status: 404, code: "ResourceNotFoundException",
                message: "Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 15 days. Please upgrade to an active model on Amazon Bedrock")
        case .notEnabled:
            return .httpError(status: 403, code: "AccessDeniedException", message: "You don't have access to the model with the specified model ID.")
        case .noPermission:
            return .httpError(
                status: 403, code: "AccessDeniedException",
                message: "User: arn:aws:sts::123456789012:assumed-role/chatbot/i-0 is not authorized to perform: bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0 because no identity-based policy allows the bedrock:InvokeModelWithResponseStream action")
        case .invalidModel:
            return .httpError(status: 400, code: "ValidationException", message: "The provided model identifier is invalid.")
        }
    }
}
