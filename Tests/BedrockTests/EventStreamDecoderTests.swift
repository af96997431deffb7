import Foundation
import NIOCore
import Testing

@testable import Bedrock

/// The frame decoder against frames botocore decoded (`scripts/gen-eventstream-vectors.py`) and hostile input.
@Suite struct EventStreamDecoderTests {
    struct Vector: Decodable, CustomTestStringConvertible {
        struct Decoded: Decodable {
            var headers: [String: JSONValue]
            var payload: String
        }
        var name: String
        var bytes: String
        var messages: [Decoded]?
        var botocoreError: String?
        var testDescription: String { self.name }
        var data: [UInt8] { Array(Data(base64Encoded: self.bytes)!) }
    }
    struct File: Decodable { var vectors: [Vector] }

    static let vectors: [Vector] = {
        let url = Bundle.module.url(forResource: "eventstream", withExtension: "json", subdirectory: "Vectors")!
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).vectors
    }()

    static func decodeAll(_ bytes: [UInt8], chunk: Int) throws -> [EventStreamMessage] {
        var decoder = EventStreamFrameDecoder()
        var messages: [EventStreamMessage] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            decoder.append(bytes[offset..<end])
            while let message = try decoder.next() { messages.append(message) }
            offset = end
        }
        try decoder.finish()
        return messages
    }

    /// The decoded header as botocore represents it in the vector file.
    static func botocoreView(_ value: EventStreamHeaderValue) -> JSONValue {
        switch value {
        case .bool(let value): return .bool(value)
        case .byte(let value): return .int(Int(value))
        case .short(let value): return .int(Int(value))
        case .integer(let value): return .int(Int(value))
        case .long(let value), .timestamp(let value): return .int(Int(value))
        case .byteArray(let value), .uuid(let value): return .object(["base64": .string(Data(value).base64EncodedString())])
        case .string(let value): return .string(value)
        }
    }

    @Test(arguments: Self.vectors.filter { $0.messages != nil })
    func decodesWhatBotocoreDecodes(_ vector: Vector) throws {
        let messages = try Self.decodeAll(vector.data, chunk: .max)
        let expected = try #require(vector.messages)
        #expect(messages.count == expected.count)
        for (message, want) in zip(messages, expected) {
            var view: [String: JSONValue] = [:]
            for header in message.headers { view[header.name] = Self.botocoreView(header.value) }
            #expect(view == want.headers)
            #expect(Data(message.payload).base64EncodedString() == want.payload)
            // Our encoder writes the identical bytes back.
            #expect(EventStreamEncoder.encode(message) == vector.data)
        }
    }

    @Test(arguments: Self.vectors.filter { $0.botocoreError != nil })
    func rejectsWhatBotocoreRejects(_ vector: Vector) {
        #expect(throws: EventStreamDecodingError.self) { try Self.decodeAll(vector.data, chunk: .max) }
    }

    @Test func allHeaderTypesHaveTheirTypeCodes() throws {
        let vector = try #require(Self.vectors.first { $0.name == "all-header-types" })
        let message = try #require(try Self.decodeAll(vector.data, chunk: 7).first)
        #expect(message.headers.map(\.name) == ["true", "false", "byte", "short", "int", "long", "bytes", "string", "timestamp", "uuid"])
        #expect(message.headers[8].value == .timestamp(1_735_689_600_123))
        #expect(message.headers[9].value == .uuid(Array(UUID(uuidString: "0123ABCD-4567-89EF-0123-456789ABCDEF")!.uuidStringBytes)))
    }

    /// Every vector concatenated, delivered split at every possible byte boundary (two reads), then one byte at a time.
    @Test func splitAtEveryByteBoundary() throws {
        let good = Self.vectors.filter { $0.messages != nil }
        let stream = good.flatMap(\.data)
        let whole = try Self.decodeAll(stream, chunk: .max)
        #expect(whole.count == good.count)
        for cut in 0...stream.count {
            var decoder = EventStreamFrameDecoder()
            var messages: [EventStreamMessage] = []
            decoder.append(stream[..<cut])
            while let message = try decoder.next() { messages.append(message) }
            decoder.append(stream[cut...])
            while let message = try decoder.next() { messages.append(message) }
            try decoder.finish()
            #expect(messages == whole, "cut at \(cut)")
        }
        #expect(try Self.decodeAll(stream, chunk: 1) == whole)
    }

    @Test func manyFramesInOneRead() throws {
        let frames = (0..<500).flatMap { EventStreamEncoder.event("contentBlockDelta", json: Array(#"{"contentBlockIndex":0,"delta":{"text":"\#($0)"}}"#.utf8)) }
        let messages = try Self.decodeAll(frames, chunk: .max)
        #expect(messages.count == 500)
        #expect(messages.last.map { String(decoding: $0.payload, as: UTF8.self) } == #"{"contentBlockIndex":0,"delta":{"text":"499"}}"#)
    }

    @Test func truncatedInputIsAnErrorAtTheEnd() {
        let frame = EventStreamEncoder.event("messageStart", json: Array(#"{"role":"assistant"}"#.utf8))
        for length in 1..<frame.count {
            #expect(throws: EventStreamDecodingError.truncated(bufferedBytes: length)) { try Self.decodeAll(Array(frame.prefix(length)), chunk: 3) }
        }
    }

    @Test func everySingleBitFlipIsDetected() {
        let frame = EventStreamEncoder.event("messageStart", json: Array(#"{"role":"assistant"}"#.utf8))
        for index in frame.indices {
            for bit in 0..<8 {
                var broken = frame
                broken[index] ^= UInt8(1 << bit)
                // A flip in the length may make the decoder wait for more bytes; then the end reports truncation.
                #expect(throws: EventStreamDecodingError.self) { try Self.decodeAll(broken, chunk: .max) }
            }
        }
    }

    @Test func oversizedLengthsAreRejectedBeforeBuffering() throws {
        func prelude(total: UInt32, headers: UInt32) -> [UInt8] {
            var bytes: [UInt8] = []
            EventStreamEncoder.append(UInt64(total), bytes: 4, to: &bytes)
            EventStreamEncoder.append(UInt64(headers), bytes: 4, to: &bytes)
            EventStreamEncoder.append(UInt64(CRC32.checksum(bytes)), bytes: 4, to: &bytes)
            return bytes
        }
        var decoder = EventStreamFrameDecoder()
        decoder.append(prelude(total: 16 + 200_000, headers: 200_000))
        #expect(throws: EventStreamDecodingError.headersTooLarge(200_000)) { try decoder.next() }
        decoder = EventStreamFrameDecoder()
        decoder.append(prelude(total: 30_000_000, headers: 0))
        #expect(throws: EventStreamDecodingError.payloadTooLarge(30_000_000 - 16)) { try decoder.next() }
        decoder = EventStreamFrameDecoder()
        decoder.append(prelude(total: 10, headers: 0))
        #expect(throws: EventStreamDecodingError.invalidLength(total: 10, headers: 0)) { try decoder.next() }
        decoder = EventStreamFrameDecoder()
        decoder.append(prelude(total: 20, headers: 10))
        #expect(throws: EventStreamDecodingError.invalidLength(total: 20, headers: 10)) { try decoder.next() }
    }

    @Test func malformedHeadersAreErrors() {
        func frame(headers: [UInt8]) -> [UInt8] {
            var bytes: [UInt8] = []
            EventStreamEncoder.append(UInt64(16 + headers.count), bytes: 4, to: &bytes)
            EventStreamEncoder.append(UInt64(headers.count), bytes: 4, to: &bytes)
            EventStreamEncoder.append(UInt64(CRC32.checksum(bytes)), bytes: 4, to: &bytes)
            bytes += headers
            EventStreamEncoder.append(UInt64(CRC32.checksum(bytes)), bytes: 4, to: &bytes)
            return bytes
        }
        #expect(throws: EventStreamDecodingError.self) { try Self.decodeAll(frame(headers: [1, 0x61, 42]), chunk: .max) }  // type 42
        #expect(throws: EventStreamDecodingError.self) { try Self.decodeAll(frame(headers: [1, 0x61, 7, 0, 9, 0x62]), chunk: .max) }  // overrun
        #expect(throws: EventStreamDecodingError.self) { try Self.decodeAll(frame(headers: [1, 0x61, 7, 0, 1, 0xFF]), chunk: .max) }  // bad UTF-8
        #expect(throws: EventStreamDecodingError.self) { try Self.decodeAll(frame(headers: [0, 0]), chunk: .max) }  // empty name
    }

    @Test func crcMatchesZlib() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func asyncSequenceOverByteBuffers() async throws {
        let frames = (0..<20).flatMap { EventStreamEncoder.event("x", json: Array("{\"n\":\($0)}".utf8)) }
        let source = AsyncStream<ByteBuffer> { continuation in
            for start in stride(from: 0, to: frames.count, by: 13) {
                continuation.yield(ByteBuffer(bytes: frames[start..<min(start + 13, frames.count)]))
            }
            continuation.finish()
        }
        var count = 0
        for try await message in EventStreamMessages(source) {
            #expect(message.string(":event-type") == "x")
            count += 1
        }
        #expect(count == 20)
        let cut = AsyncStream<ByteBuffer> { continuation in
            continuation.yield(ByteBuffer(bytes: frames.prefix(40)))
            continuation.finish()
        }
        await #expect(throws: EventStreamDecodingError.self) {
            for try await _ in EventStreamMessages(cut) {}
        }
    }
}

extension UUID {
    var uuidStringBytes: [UInt8] {
        withUnsafeBytes(of: self.uuid) { Array($0) }
    }
}
