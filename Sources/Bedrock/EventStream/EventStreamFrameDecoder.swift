/// Cuts event-stream messages out of bytes that arrive in arbitrary pieces.
///
/// Feed it with `append(_:)` as reads arrive, take messages with `next()` until it returns
/// `nil`, and call `finish()` at the end of the input: leftover bytes mean a truncated stream.
/// It never traps on hostile input: every inconsistency is an `EventStreamDecodingError`.
public struct EventStreamFrameDecoder: Sendable {
    /// botocore's limits.
    public static let maxHeadersLength: UInt32 = 128 * 1024
    /// botocore's limits.
    public static let maxPayloadLength: UInt32 = 24 * 1024 * 1024

    var buffer: [UInt8] = []
    var readIndex = 0

    public init() {}

    /// Bytes received but not yet part of a returned message.
    public var bufferedByteCount: Int { self.buffer.count - self.readIndex }

    /// Adds bytes from the transport.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        // Drop consumed bytes once they are the larger half, so the buffer stays bounded by
        // one frame plus one read without copying on every call.
        if self.readIndex > 0, self.readIndex >= self.buffer.count / 2 {
            self.buffer.removeSubrange(0..<self.readIndex)
            self.readIndex = 0
        }
        self.buffer.append(contentsOf: bytes)
    }

    /// The next whole message, or `nil` if more bytes are needed.
    public mutating func next() throws(EventStreamDecodingError) -> EventStreamMessage? {
        let available = self.buffer.count - self.readIndex
        guard available >= 12 else { return nil }
        let start = self.readIndex
        let total = self.uint32(at: start)
        let headersLength = self.uint32(at: start + 4)
        let preludeCRC = self.uint32(at: start + 8)
        let computedPrelude = self.buffer.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<start + 8])) }
        guard computedPrelude == preludeCRC else { throw .preludeChecksumMismatch }
        guard headersLength <= Self.maxHeadersLength else { throw .headersTooLarge(headersLength) }
        guard total >= 16, UInt64(headersLength) + 16 <= UInt64(total) else {
            throw .invalidLength(total: total, headers: headersLength)
        }
        let payloadLength = total - 16 - headersLength
        guard payloadLength <= Self.maxPayloadLength else { throw .payloadTooLarge(payloadLength) }
        guard available >= Int(total) else { return nil }
        let end = start + Int(total)
        let messageCRC = self.uint32(at: end - 4)
        let computed = self.buffer.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<end - 4])) }
        guard computed == messageCRC else { throw .messageChecksumMismatch }
        let headersStart = start + 12
        let headers = try Self.parseHeaders(self.buffer[headersStart..<headersStart + Int(headersLength)])
        let payload = Array(self.buffer[(headersStart + Int(headersLength))..<(end - 4)])
        self.readIndex = end
        return EventStreamMessage(headers: headers, payload: payload)
    }

    /// Checks that the input ended on a message boundary.
    public func finish() throws(EventStreamDecodingError) {
        if self.bufferedByteCount > 0 { throw .truncated(bufferedBytes: self.bufferedByteCount) }
    }

    func uint32(at index: Int) -> UInt32 {
        UInt32(self.buffer[index]) << 24 | UInt32(self.buffer[index + 1]) << 16 | UInt32(self.buffer[index + 2]) << 8
            | UInt32(self.buffer[index + 3])
    }

    static func parseHeaders(_ bytes: ArraySlice<UInt8>) throws(EventStreamDecodingError) -> [EventStreamHeader] {
        var headers: [EventStreamHeader] = []
        headers.reserveCapacity(4)
        var index = bytes.startIndex
        func take(_ count: Int) throws(EventStreamDecodingError) -> ArraySlice<UInt8> {
            guard count >= 0, bytes.endIndex - index >= count else { throw .invalidHeader("header overruns its block") }
            defer { index += count }
            return bytes[index..<index + count]
        }
        func integer(_ count: Int) throws(EventStreamDecodingError) -> UInt64 {
            try take(count).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        while index < bytes.endIndex {
            let nameLength = Int(try integer(1))
            guard nameLength > 0 else { throw .invalidHeader("empty header name") }
            guard let name = String(validating: try take(nameLength), as: UTF8.self) else { throw .invalidHeader("name is not UTF-8") }
            let type = try integer(1)
            let value: EventStreamHeaderValue
            switch type {
            case 0: value = .bool(true)
            case 1: value = .bool(false)
            case 2: value = .byte(Int8(truncatingIfNeeded: try integer(1)))
            case 3: value = .short(Int16(truncatingIfNeeded: try integer(2)))
            case 4: value = .integer(Int32(truncatingIfNeeded: try integer(4)))
            case 5: value = .long(Int64(bitPattern: try integer(8)))
            case 6: value = .byteArray(Array(try take(Int(try integer(2)))))
            case 7:
                guard let text = String(validating: try take(Int(try integer(2))), as: UTF8.self) else {
                    throw .invalidHeader("value of \(name) is not UTF-8")
                }
                value = .string(text)
            case 8: value = .timestamp(Int64(bitPattern: try integer(8)))
            case 9: value = .uuid(Array(try take(16)))
            default: throw .invalidHeader("unknown type \(type) for \(name)")
            }
            // A message has a handful of headers: a linear scan beats hashing into a set per message.
            guard !headers.contains(where: { $0.name == name }) else { throw .duplicateHeader(name) }
            headers.append(EventStreamHeader(name, value))
        }
        return headers
    }
}
