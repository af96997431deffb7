import Bedrock
import Foundation

/// What the fake does with one request. Queue them with `FakeBedrockServer.enqueue`; with none queued it echoes.
public enum FakeScenario: Sendable {
    /// A normal answer.
    case reply(FakeReply)
    /// A non-200 answer with `x-amzn-ErrorType: <code>:…` and `{"message": …}`.
    case httpError(status: Int, code: String, message: String)
    /// A 200 stream that sends `before` (after messageStart) and then an exception event, then ends.
    case streamException(before: [FakeDelta], type: String, message: String)
    /// A 200 stream with broken bytes after `validEvents` good events.
    case corrupt(validEvents: Int, FakeCorruption)
    /// Never answers (before the head), or sends `afterEvents` events and then stalls.
    case hang(afterEvents: Int?)
    /// A 200 stream that sends `afterEvents` events, then drops the connection mid-body.
    case reset(afterEvents: Int)
}

/// How a corrupt stream is broken.
public enum FakeCorruption: Sendable {
    /// A frame whose message CRC is wrong.
    case messageChecksum
    /// Half a frame, then the end of the body.
    case truncated
    /// Bytes that are not a frame at all.
    case garbage
    /// A clean end at a frame boundary but without messageStop.
    case noMessageStop
}

/// One piece of a scripted answer.
public enum FakeDelta: Sendable, Equatable {
    /// Answer text.
    case text(String)
    /// Reasoning text.
    case reasoning(String)
    /// A reasoning signature.
    case signature(String)
    /// Redacted reasoning.
    case redacted(Data)
    /// A tool call whose input JSON arrives in these fragments.
    case toolUse(id: String, name: String, inputFragments: [String])
}

/// A scripted answer.
public struct FakeReply: Sendable {
    /// The pieces, in order; consecutive deltas of one kind form one block.
    public var deltas: [FakeDelta]
    /// `end_turn`, `tool_use`, `max_tokens`, …
    public var stopReason: String
    /// Usage reported in `metadata`.
    public var usage: Usage
    /// Delay before each event (overrides the server's default).
    public var eventDelay: Duration?

    /// Creates a reply.
    public init(deltas: [FakeDelta], stopReason: String = "end_turn", usage: Usage = Usage(inputTokens: 10, outputTokens: 5, totalTokens: 15),
        eventDelay: Duration? = nil)
    {
        self.deltas = deltas
        self.stopReason = stopReason
        self.usage = usage
        self.eventDelay = eventDelay
    }

    /// A text answer cut into pieces of `chunk` characters.
    public static func text(_ text: String, chunk: Int = 8, stopReason: String = "end_turn") -> FakeReply {
        var pieces: [FakeDelta] = []
        var current = ""
        for character in text {
            current.append(character)
            if current.count >= chunk {
                pieces.append(.text(current))
                current = ""
            }
        }
        if !current.isEmpty || pieces.isEmpty { pieces.append(.text(current)) }
        return FakeReply(deltas: pieces, stopReason: stopReason, usage: Usage(inputTokens: 10, outputTokens: pieces.count, totalTokens: 10 + pieces.count))
    }
}

/// What the fake received, for assertions.
public struct FakeRecordedRequest: Sendable {
    /// The raw request target path, as sent.
    public var path: String
    /// The model id, percent-decoded from the path.
    public var modelID: String
    /// `converse` or `converse-stream`.
    public var operation: String
    /// All headers (names lower-cased).
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]
    /// The signature check's verdict: `nil` when accepted, else the error code returned.
    public var authError: String?

    /// The body as JSON.
    public var json: JSONValue? { JSONValue(jsonText: String(decoding: self.body, as: UTF8.self)) }
}
