import Foundation
import Testing

@testable import Bedrock

/// Typed events from frames: padding and unknown members ignored, unknown event types skipped, exceptions thrown.
@Suite struct ConverseStreamEventTests {
    static func decode(_ type: String, _ json: String) throws -> ConverseStreamEvent? {
        var decoder = EventStreamFrameDecoder()
        decoder.append(EventStreamEncoder.event(type, json: Array(json.utf8)))
        return try ConverseStreamEvent.decode(try #require(try decoder.next()), modelID: "m")
    }

    @Test func eventsDecodeWithPaddingAndUnknownMembers() throws {
        #expect(try Self.decode("messageStart", #"{"p":"abcdef","role":"assistant","future":1}"#) == .messageStart(role: "assistant"))
        #expect(
            try Self.decode("contentBlockStart", #"{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"t1","name":"getWeather"}},"p":"ab"}"#)
                == .contentBlockStart(index: 1, start: .toolUse(toolUseId: "t1", name: "getWeather")))
        #expect(try Self.decode("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":"Hi"},"p":"x"}"#) == .contentBlockDelta(index: 0, delta: .text("Hi")))
        #expect(
            try Self.decode("contentBlockDelta", #"{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"ci"}}}"#)
                == .contentBlockDelta(index: 1, delta: .toolUseInput("{\"ci")))
        #expect(
            try Self.decode("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"hmm"}}}"#)
                == .contentBlockDelta(index: 0, delta: .reasoningText("hmm")))
        #expect(
            try Self.decode("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"sig"}}}"#)
                == .contentBlockDelta(index: 0, delta: .reasoningSignature("sig")))
        #expect(
            try Self.decode("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"reasoningContent":{"redactedContent":"AAEC"}}}"#)
                == .contentBlockDelta(index: 0, delta: .reasoningRedacted(Data([0, 1, 2]))))
        #expect(try Self.decode("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"citation":{}}}"#) == .contentBlockDelta(index: 0, delta: .other))
        #expect(try Self.decode("contentBlockStop", #"{"contentBlockIndex":2,"p":"abc"}"#) == .contentBlockStop(index: 2))
        #expect(try Self.decode("messageStop", #"{"stopReason":"brand_new_reason"}"#) == .messageStop(stopReason: "brand_new_reason", additionalModelResponseFields: nil))
        #expect(
            try Self.decode(
                "metadata", #"{"usage":{"inputTokens":3,"outputTokens":5,"totalTokens":8,"cacheReadInputTokens":2,"cacheWriteInputTokens":1},"metrics":{"latencyMs":42},"p":"q"}"#)
                == .metadata(usage: Usage(inputTokens: 3, outputTokens: 5, totalTokens: 8, cacheReadInputTokens: 2, cacheWriteInputTokens: 1), latencyMs: 42))
    }

    @Test func unknownEventTypesAreSkipped() throws {
        #expect(try Self.decode("somethingNew", #"{"whatever":true}"#) == nil)
    }

    @Test func knownEventWithBadJSONIsInvalidResponse() {
        #expect { try Self.decode("messageStart", "{not json") } throws: { ($0 as? BedrockError)?.code == .invalidResponse }
    }

    @Test(arguments: [
        ("modelStreamErrorException", BedrockError.Code.modelError), ("throttlingException", .throttling),
        ("validationException", .validation), ("internalServerException", .internalServer), ("serviceUnavailableException", .serviceUnavailable),
    ])
    func exceptionEventsBecomeTypedErrors(_ type: String, _ code: BedrockError.Code) throws {
        var decoder = EventStreamFrameDecoder()
        decoder.append(EventStreamEncoder.exception(type, json: Array(#"{"message":"it broke"}"#.utf8)))
        let message = try #require(try decoder.next())
        #expect { try ConverseStreamEvent.decode(message, modelID: "m") } throws: { error in
            guard let error = error as? BedrockError else { return false }
            return error.code == code && error.serviceMessage == "it broke" && error.upstreamCode == type
        }
    }
}
