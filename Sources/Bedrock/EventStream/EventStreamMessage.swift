/// One `application/vnd.amazon.eventstream` message: typed headers and a payload.
public struct EventStreamMessage: Sendable, Equatable {
    /// Headers in wire order; names are unique within a message.
    public var headers: [EventStreamHeader]
    /// The payload bytes (JSON for Bedrock).
    public var payload: [UInt8]

    public init(headers: [EventStreamHeader], payload: [UInt8]) {
        self.headers = headers
        self.payload = payload
    }

    /// The value of a string header, e.g. `:event-type`.
    public func string(_ name: String) -> String? {
        for header in self.headers where header.name == name {
            if case .string(let value) = header.value { return value }
        }
        return nil
    }
}

/// A named, typed header.
public struct EventStreamHeader: Sendable, Equatable {
    /// The header name (UTF-8, at most 255 bytes).
    public var name: String
    public var value: EventStreamHeaderValue

    public init(_ name: String, _ value: EventStreamHeaderValue) {
        self.name = name
        self.value = value
    }
}

/// The ten header value types of the format; the raw type code is in the comment of each.
public enum EventStreamHeaderValue: Sendable, Equatable {
    /// Type 0 (true) or 1 (false); no value bytes.
    case bool(Bool)
    /// Type 2: a signed byte.
    case byte(Int8)
    /// Type 3: a signed 16-bit integer.
    case short(Int16)
    /// Type 4: a signed 32-bit integer.
    case integer(Int32)
    /// Type 5: a signed 64-bit integer.
    case long(Int64)
    /// Type 6: bytes with a 16-bit length.
    case byteArray([UInt8])
    /// Type 7: UTF-8 with a 16-bit length.
    case string(String)
    /// Type 8: milliseconds since the epoch.
    case timestamp(Int64)
    /// Type 9: 16 bytes.
    case uuid([UInt8])
}

/// Why bytes are not a valid event stream. Decoding stops at the first one.
public enum EventStreamDecodingError: Error, Sendable, Equatable {
    /// The CRC of the 8 prelude bytes does not match.
    case preludeChecksumMismatch
    /// The CRC of the whole message does not match.
    case messageChecksumMismatch
    /// The lengths in the prelude are impossible.
    case invalidLength(total: UInt32, headers: UInt32)
    /// Headers longer than 128 KiB.
    case headersTooLarge(UInt32)
    /// A payload longer than 24 MiB.
    case payloadTooLarge(UInt32)
    /// A header that does not parse (unknown type, overrun, bad UTF-8).
    case invalidHeader(String)
    /// A header name that appears twice.
    case duplicateHeader(String)
    /// The stream ended in the middle of a message.
    case truncated(bufferedBytes: Int)
}
