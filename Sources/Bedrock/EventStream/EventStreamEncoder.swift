/// Writes event-stream messages; used by the fake server, tests and benchmarks.
public enum EventStreamEncoder {
    /// The whole frame of one message, both CRCs included.
    public static func encode(_ message: EventStreamMessage) -> [UInt8] {
        var headers = [UInt8]()
        for header in message.headers {
            let name = Array(header.name.utf8)
            headers.append(UInt8(truncatingIfNeeded: name.count))
            headers.append(contentsOf: name)
            switch header.value {
            case .bool(let value):
                headers.append(value ? 0 : 1)
            case .byte(let value):
                headers.append(2)
                headers.append(UInt8(bitPattern: value))
            case .short(let value):
                headers.append(3)
                Self.append(UInt64(UInt16(bitPattern: value)), bytes: 2, to: &headers)
            case .integer(let value):
                headers.append(4)
                Self.append(UInt64(UInt32(bitPattern: value)), bytes: 4, to: &headers)
            case .long(let value):
                headers.append(5)
                Self.append(UInt64(bitPattern: value), bytes: 8, to: &headers)
            case .byteArray(let value):
                headers.append(6)
                Self.append(UInt64(value.count), bytes: 2, to: &headers)
                headers.append(contentsOf: value)
            case .string(let value):
                headers.append(7)
                let utf8 = Array(value.utf8)
                Self.append(UInt64(utf8.count), bytes: 2, to: &headers)
                headers.append(contentsOf: utf8)
            case .timestamp(let value):
                headers.append(8)
                Self.append(UInt64(bitPattern: value), bytes: 8, to: &headers)
            case .uuid(let value):
                headers.append(9)
                headers.append(contentsOf: value.prefix(16))
            }
        }
        let total = 12 + headers.count + message.payload.count + 4
        var frame = [UInt8]()
        frame.reserveCapacity(total)
        Self.append(UInt64(total), bytes: 4, to: &frame)
        Self.append(UInt64(headers.count), bytes: 4, to: &frame)
        Self.append(UInt64(CRC32.checksum(frame)), bytes: 4, to: &frame)
        frame.append(contentsOf: headers)
        frame.append(contentsOf: message.payload)
        Self.append(UInt64(CRC32.checksum(frame)), bytes: 4, to: &frame)
        return frame
    }

    /// A Bedrock event: `:event-type`, `:content-type: application/json`, `:message-type: event`.
    public static func event(_ type: String, json: [UInt8]) -> [UInt8] {
        Self.encode(
            EventStreamMessage(
                headers: [.init(":event-type", .string(type)), .init(":content-type", .string("application/json")),
                    .init(":message-type", .string("event"))],
                payload: json))
    }

    /// A modelled exception, e.g. `modelStreamErrorException`, with a `{"message": …}` payload.
    public static func exception(_ type: String, json: [UInt8]) -> [UInt8] {
        Self.encode(
            EventStreamMessage(
                headers: [.init(":exception-type", .string(type)), .init(":content-type", .string("application/json")),
                    .init(":message-type", .string("exception"))],
                payload: json))
    }

    static func append(_ value: UInt64, bytes: Int, to out: inout [UInt8]) {
        for shift in stride(from: (bytes - 1) * 8, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}
