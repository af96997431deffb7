/// Percent-encoding as botocore does it (`urllib.parse.quote` with a `safe` set).
///
/// Everything outside the RFC 3986 unreserved set (`A-Z a-z 0-9 - . _ ~`) is encoded,
/// byte by byte over UTF-8, with upper-case hex digits.
public enum AWSPercentEncoding {
    /// Encodes one URI label, e.g. a model id: `:` becomes `%3A` and `/` becomes `%2F`.
    public static func encodeLabel(_ value: String) -> String {
        self.encode(value, keepingSlash: false)
    }

    /// Encodes a path, keeping `/`. Applied to an already-encoded path this is SigV4's "double encoding".
    public static func encodePath(_ value: String) -> String {
        self.encode(value, keepingSlash: true)
    }

    static func encode(_ value: String, keepingSlash: Bool) -> String {
        var out = [UInt8]()
        out.reserveCapacity(value.utf8.count + 16)
        for byte in value.utf8 {
            if Self.isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(Self.hexDigits[Int(byte >> 4)])
                out.append(Self.hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
