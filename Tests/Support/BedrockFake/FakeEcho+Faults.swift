import Bedrock
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Directives for the fault suite (tests/faults), so a test process can script a model that fails in each way
/// Bedrock can fail, by what it writes:
///
/// - `fake:slow:<ms>:<events>` answers `<events>` words, `<ms>` apart (a long answer to interrupt).
/// - `fake:reset:<events>` sends that many events, then drops the connection without ending the body.
/// - `fake:stall:<events>` sends that many events (at least the head), then nothing until the fake stops;
///   `fake:stall` sends four.
/// - `fake:throttle-once` answers ThrottlingException to the first attempt and answers normally to a retry
///   (the client's `amz-sdk-request: attempt=N` header says which attempt it is).
enum FakeFaults {
    static func scenario(directive: String, attempt: Int) -> FakeScenario? {
        let fields = directive.split(separator: ":").map(String.init)
        guard fields.count >= 2, fields[0] == "fake" else { return nil }
        let numbers = fields.dropFirst(2).compactMap { Int($0) }
        switch (fields[1], numbers.count) {
        case ("slow", 2):
            let words = (0..<min(max(numbers[1], 1), 10_000)).map { FakeDelta.text("word\($0) ") }
            return .reply(FakeReply(deltas: words, eventDelay: .milliseconds(min(max(numbers[0], 0), 60_000))))
        case ("reset", 1):
            return .reset(afterEvents: max(numbers[0], 0))
        case ("stall", 0):
            // A few events, then silence until the client goes away: an answer still running, to stop.
            return .hang(afterEvents: 4)
        case ("stall", 1):
            return .hang(afterEvents: max(numbers[0], 0))
        case ("throttle-once", 0):
            guard attempt <= 1 else { return .reply(FakeReply.text("Answered after a throttled first attempt.", chunk: 6)) }
            return .httpError(status: 429, code: "ThrottlingException", message: "Too many requests, please wait before trying again.")
        default:
            return nil
        }
    }

    /// The attempt number from `amz-sdk-request: attempt=2; max=3`, 1 when absent.
    static func attempt(_ headers: [String: String]) -> Int {
        guard let value = headers["amz-sdk-request"], let range = value.range(of: "attempt=") else { return 1 }
        return Int(value[range.upperBound...].prefix { $0.isNumber }) ?? 1
    }
}

extension FakeBedrockServer {
    /// Sends the first `count` events of a normal answer, then fails the body: the server closes the connection
    /// mid-body, which the client sees as the connection dropped (not a clean end).
    func resetStream(afterEvents count: Int) -> Response {
        let frames = Self.frames(FakeEventScript.events(FakeReply.text("This answer is cut by a dropped connection.")))
        var fields = HTTPFields()
        fields[.contentType] = "application/vnd.amazon.eventstream"
        fields[HTTPField.Name("x-amzn-RequestId")!] = UUID().uuidString.lowercased()
        self.state.withLock { $0.streamsStarted += 1 }
        let body = ResponseBody { writer in
            self.state.withLock { $0.streamsAborted += 1 }
            for frame in frames.prefix(count) {
                if self.defaultEventDelay > .zero { try await Task.sleep(for: self.defaultEventDelay) }
                try await writer.write(ByteBuffer(bytes: frame))
            }
            throw FakeConnectionReset()
        }
        return Response(status: .ok, headers: fields, body: body)
    }
}

struct FakeConnectionReset: Error {}
