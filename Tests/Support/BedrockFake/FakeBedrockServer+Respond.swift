import Bedrock
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

extension FakeBedrockServer {
    /// Answers one scenario, as JSON (Converse) or as an event stream (ConverseStream).
    func respond(_ scenario: FakeScenario, streaming: Bool, modelID: String) async throws -> Response {
        switch scenario {
        case .httpError(let status, let code, let message):
            return Self.errorResponse(status: status, code: code, message: message)
        case .hang(let afterEvents):
            guard let afterEvents, streaming else {
                await self.sleepUntilStopped()
                return Self.errorResponse(status: 503, code: "ServiceUnavailableException", message: "The fake was stopped.")
            }
            let frames = Self.frames(FakeEventScript.events(FakeReply.text("This answer stalls after a few events.")))
            return self.stream(Array(frames.prefix(afterEvents)), delay: self.defaultEventDelay, thenHang: true)
        case .reset(let afterEvents):
            guard streaming else { throw FakeConnectionReset() }
            return self.resetStream(afterEvents: afterEvents)
        case .reply(let reply):
            guard streaming else {
                return Self.jsonResponse(FakeEventScript.converseBody(reply))
            }
            return self.stream(Self.frames(FakeEventScript.events(reply)), delay: reply.eventDelay ?? self.defaultEventDelay)
        case .streamException(let before, let type, let message):
            guard streaming else {
                let code = type.prefix(1).uppercased() + type.dropFirst()
                return Self.errorResponse(status: Self.status(for: code), code: code, message: message)
            }
            var events: [(String, JSONValue)] = [("messageStart", .object(["role": .string("assistant")]))]
            events += FakeEventScript.blockEvents(before).filter { $0.0 != "contentBlockStop" }
            var frames = Self.frames(events)
            frames.append(EventStreamEncoder.exception(type, json: Array(JSONValue.object(["message": .string(message)]).jsonText.utf8)))
            return self.stream(frames, delay: self.defaultEventDelay)
        case .corrupt(let validEvents, let corruption):
            let all = Self.frames(FakeEventScript.events(FakeReply.text("Corruption follows this text.")))
            var frames = Array(all.prefix(validEvents))
            let next = all[min(validEvents, all.count - 1)]
            switch corruption {
            case .messageChecksum:
                var broken = next
                broken[broken.count - 1] ^= 0x5A
                frames.append(broken)
            case .truncated:
                frames.append(Array(next.prefix(next.count / 2)))
            case .garbage:
                frames.append(Array("HTTP/1.1 200 OK but not a frame, sorry".utf8))
            case .noMessageStop:
                frames = Array(all.prefix(min(validEvents, all.count - 2)))
            }
            return self.stream(frames, delay: self.defaultEventDelay)
        }
    }

    static func frames(_ events: [(String, JSONValue)]) -> [[UInt8]] {
        events.enumerated().map { FakeEventScript.frame($0.element.0, $0.element.1, serial: $0.offset) }
    }

    static func jsonResponse(_ body: JSONValue) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[HTTPField.Name("x-amzn-RequestId")!] = UUID().uuidString.lowercased()
        return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body.jsonText)))
    }

    /// A chunked event-stream body; counts streams that finish and those the client abandons.
    func stream(_ frames: [[UInt8]], delay: Duration, thenHang: Bool = false) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/vnd.amazon.eventstream"
        fields[HTTPField.Name("x-amzn-RequestId")!] = UUID().uuidString.lowercased()
        self.state.withLock { $0.streamsStarted += 1 }
        let body = ResponseBody { writer in
            var completed = false
            defer {
                let done = completed
                self.state.withLock { state in
                    if done { state.streamsCompleted += 1 } else { state.streamsAborted += 1 }
                }
            }
            while !self.isStopping, self.state.withLock({ $0.streamsStarted < $0.holdUntil }) {
                try await Task.sleep(for: .milliseconds(5))
            }
            for frame in frames {
                if delay > .zero { try await Task.sleep(for: delay) }
                try await writer.write(ByteBuffer(bytes: frame))
            }
            if thenHang {
                // Keep the connection open without sending anything until the fake stops.
                await self.sleepUntilStopped()
                return
            }
            completed = true
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: fields, body: body)
    }

    func sleepUntilStopped() async {
        let deadline = ContinuousClock.now + .seconds(120)
        while !self.isStopping, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
