import Bedrock
import Foundation

/// Turns a scripted reply into the events Bedrock would send, in Bedrock's order
/// (text and reasoning blocks without `contentBlockStart`, tool blocks with one), with `"p"` padding.
enum FakeEventScript {
    /// `(event type, payload)` pairs up to and including the block events (no messageStart/Stop).
    static func blockEvents(_ deltas: [FakeDelta]) -> [(String, JSONValue)] {
        var events: [(String, JSONValue)] = []
        var index = 0
        var open: String?
        func close() {
            if open != nil {
                events.append(("contentBlockStop", .object(["contentBlockIndex": .int(index)])))
                index += 1
                open = nil
            }
        }
        func delta(_ value: JSONValue) -> (String, JSONValue) {
            ("contentBlockDelta", .object(["contentBlockIndex": .int(index), "delta": value]))
        }
        for piece in deltas {
            switch piece {
            case .text(let text):
                if open != "text" { close(); open = "text" }
                events.append(delta(.object(["text": .string(text)])))
            case .reasoning(let text):
                if open != "reasoning" { close(); open = "reasoning" }
                events.append(delta(.object(["reasoningContent": .object(["text": .string(text)])])))
            case .signature(let signature):
                if open != "reasoning" { close(); open = "reasoning" }
                events.append(delta(.object(["reasoningContent": .object(["signature": .string(signature)])])))
            case .redacted(let data):
                close()
                open = "redacted"
                events.append(delta(.object(["reasoningContent": .object(["redactedContent": .string(data.base64EncodedString())])])))
            case .toolUse(let id, let name, let fragments):
                close()
                open = "tool"
                events.append(
                    ("contentBlockStart", .object(["contentBlockIndex": .int(index), "start": .object(["toolUse": .object(["toolUseId": .string(id), "name": .string(name)])])])))
                for fragment in fragments {
                    events.append(delta(.object(["toolUse": .object(["input": .string(fragment)])])))
                }
            }
        }
        close()
        return events
    }

    /// The complete stream of a reply.
    static func events(_ reply: FakeReply) -> [(String, JSONValue)] {
        var usage: [String: JSONValue] = [
            "inputTokens": .int(reply.usage.inputTokens), "outputTokens": .int(reply.usage.outputTokens),
            "totalTokens": .int(reply.usage.totalTokens ?? reply.usage.inputTokens + reply.usage.outputTokens),
        ]
        if let read = reply.usage.cacheReadInputTokens { usage["cacheReadInputTokens"] = .int(read) }
        if let write = reply.usage.cacheWriteInputTokens { usage["cacheWriteInputTokens"] = .int(write) }
        return [("messageStart", .object(["role": .string("assistant")]))] + Self.blockEvents(reply.deltas) + [
            ("messageStop", .object(["stopReason": .string(reply.stopReason)])),
            ("metadata", .object(["usage": .object(usage), "metrics": .object(["latencyMs": .int(42)])])),
        ]
    }

    /// One frame, with padding of a length that varies with `serial` as the real service's does.
    static func frame(_ type: String, _ payload: JSONValue, serial: Int) -> [UInt8] {
        var payload = payload
        if case .object(var members) = payload {
            let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            members["p"] = .string(String(alphabet.prefix(1 + (serial * 7) % alphabet.count)))
            payload = .object(members)
        }
        return EventStreamEncoder.event(type, json: Array(payload.jsonText.utf8))
    }

    /// The Converse (non-streaming) body of a reply.
    static func converseBody(_ reply: FakeReply) -> JSONValue {
        var content: [JSONValue] = []
        var text = ""
        var reasoning: (String, String?)?
        func flush() {
            if !text.isEmpty { content.append(.object(["text": .string(text)])); text = "" }
            if let (value, signature) = reasoning {
                var inner: [String: JSONValue] = ["text": .string(value)]
                if let signature { inner["signature"] = .string(signature) }
                content.append(.object(["reasoningContent": .object(["reasoningText": .object(inner)])]))
                reasoning = nil
            }
        }
        for piece in reply.deltas {
            switch piece {
            case .text(let value):
                if reasoning != nil { flush() }
                text += value
            case .reasoning(let value):
                if !text.isEmpty { flush() }
                reasoning = ((reasoning?.0 ?? "") + value, reasoning?.1)
            case .signature(let signature):
                reasoning = (reasoning?.0 ?? "", signature)
            case .redacted(let data):
                flush()
                content.append(.object(["reasoningContent": .object(["redactedContent": .string(data.base64EncodedString())])]))
            case .toolUse(let id, let name, let fragments):
                flush()
                let input = JSONValue(jsonText: fragments.joined()) ?? .object([:])
                content.append(.object(["toolUse": .object(["toolUseId": .string(id), "name": .string(name), "input": input])]))
            }
        }
        flush()
        let usage = reply.usage
        return .object([
            "output": .object(["message": .object(["role": .string("assistant"), "content": .array(content)])]),
            "stopReason": .string(reply.stopReason),
            "usage": .object([
                "inputTokens": .int(usage.inputTokens), "outputTokens": .int(usage.outputTokens),
                "totalTokens": .int(usage.totalTokens ?? usage.inputTokens + usage.outputTokens),
            ]),
            "metrics": .object(["latencyMs": .int(42)]),
        ])
    }
}
