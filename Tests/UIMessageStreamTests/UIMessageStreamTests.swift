import Foundation
import JSON
import Testing
import UIMessageStream

@Suite("UI message stream") struct UIMessageStreamTests {
    static let chunks: [UIMessageChunk] = [
        .start(messageID: "m1"), .startStep, .reasoningStart(id: "r0"), .reasoningDelta(id: "r0", delta: "think"), .reasoningEnd(id: "r0"),
        .textStart(id: "t0"), .textDelta(id: "t0", delta: "Hello \"world\"\n</script>"), .textEnd(id: "t0"),
        .data(name: "chat-title", data: "A title", transient: false), .toolInputAvailable(toolCallID: "c1", toolName: "createDocument", input: ["title": "x"]),
        .finishStep, .finish(finishReason: "stop", metadata: nil), .abort, .error(text: "Model access is not enabled"),
    ]

    @Test("every chunk survives JSON text and back", arguments: chunks)
    func roundTrip(chunk: UIMessageChunk) throws {
        let text = chunk.json.jsonString
        #expect(UIMessageChunk(json: try JSONValue(parsing: text)) == chunk)
    }

    @Test("chunk JSON uses the AI SDK v6 field names")
    func fieldNames() {
        #expect(UIMessageChunk.start(messageID: "m").json.jsonString == #"{"messageId":"m","type":"start"}"#)
        #expect(UIMessageChunk.textDelta(id: "0", delta: "a").json.jsonString == #"{"delta":"a","id":"0","type":"text-delta"}"#)
        #expect(UIMessageChunk.finish(finishReason: "stop", metadata: nil).json.jsonString == #"{"finishReason":"stop","type":"finish"}"#)
        #expect(UIMessageChunk.data(name: "chat-title", data: "T", transient: false).json.jsonString == #"{"data":"T","type":"data-chat-title"}"#)
        #expect(UIMessageChunk.error(text: "x").json.jsonString == #"{"errorText":"x","type":"error"}"#)
    }

    @Test("the SSE parser reassembles events split at every byte")
    func parserSplits() {
        let stream = ServerSentEvents.event(id: 0, json: #"{"type":"start"}"#) + ServerSentEvents.keepAlive
            + ServerSentEvents.event(id: 1, json: #"{"type":"text-delta","delta":"é🎉"}"#) + ServerSentEvents.done
        for cut in 0...stream.count {
            var parser = ServerSentEventParser()
            let events = parser.feed(String(stream.prefix(cut))) + parser.feed(String(stream.dropFirst(cut)))
            #expect(events.map(\.data) == [#"{"type":"start"}"#, #"{"type":"text-delta","delta":"é🎉"}"#, "[DONE]"])
            #expect(events.map(\.id) == ["0", "1", nil])
        }
    }
}

extension UIMessageChunk: CustomTestStringConvertible {
    public var testDescription: String { self.json.jsonString }
}
