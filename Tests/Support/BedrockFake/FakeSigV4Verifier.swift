import Crypto
import Foundation

/// Checks SigV4 the way the AWS front end does, written separately from the client's signer so
/// that a bug in one is not mirrored in the other. Failures carry AWS's codes and messages
/// (BEDROCK-WIRE.md §5).
public struct FakeSigV4Verifier: Sendable {
    /// A rejection: HTTP 403 with this code and message.
    public struct Rejection: Error, Sendable, Equatable {
        /// e.g. `InvalidSignatureException`.
        public var code: String
        /// AWS's message.
        public var message: String

        /// Creates a rejection.
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// The region requests must be scoped to.
    public var region: String
    /// The signing name requests must be scoped to.
    public var service = "bedrock"
    /// Allowed clock difference.
    public var maxSkew: TimeInterval = 300
    /// Accepted keys.
    public var keys: FakeKeyStore

    /// Creates a verifier.
    public init(region: String, keys: FakeKeyStore) {
        self.region = region
        self.keys = keys
    }

    /// Verifies one request. `headers` maps lower-cased names to values (repeats joined with `,`), `path` is the raw target.
    public func verify(method: String, rawTarget: String, headers: [String: String], body: [UInt8], now: Date) -> Rejection? {
        guard let authorization = headers["authorization"] else {
            return Rejection(code: "MissingAuthenticationTokenException", message: "Missing Authentication Token")
        }
        guard authorization.hasPrefix("AWS4-HMAC-SHA256 ") else {
            return Rejection(code: "IncompleteSignatureException", message: "Authorization header requires 'Credential' parameter.")
        }
        var fields: [String: String] = [:]
        for part in authorization.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        for name in ["Credential", "SignedHeaders", "Signature"] where fields[name] == nil {
            return Rejection(code: "IncompleteSignatureException", message: "Authorization header requires '\(name)' parameter.")
        }
        guard let amzDate = headers["x-amz-date"] else {
            return Rejection(
                code: "IncompleteSignatureException",
                message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        let scope = fields["Credential"]!.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, scope[4] == "aws4_request" else {
            return Rejection(code: "IncompleteSignatureException", message: "Credential must have exactly 5 slash-delimited elements.")
        }
        let (keyID, day, region, service) = (scope[0], scope[1], scope[2], scope[3])
        guard service == self.service else {
            return Rejection(code: "InvalidSignatureException", message: "Credential should be scoped to correct service: '\(self.service)'. ")
        }
        guard region == self.region else {
            return Rejection(code: "InvalidSignatureException", message: "Credential should be scoped to a valid region. ")
        }
        guard let sent = Self.parseAMZDate(amzDate), amzDate.hasPrefix(day) else {
            return Rejection(code: "IncompleteSignatureException", message: "Date must be in ISO-8601 'basic format'. Got '\(amzDate)'.")
        }
        if abs(sent.timeIntervalSince(now)) > self.maxSkew {
            let earliest = Self.formatAMZDate(now.addingTimeInterval(-self.maxSkew))
            return Rejection(
                code: "InvalidSignatureException",
                message: "Signature expired: \(amzDate) is now earlier than \(earliest) (\(Self.formatAMZDate(now)) - 5 min.)")
        }
        guard let key = self.keys.key(keyID) else {
            return Rejection(code: "UnrecognizedClientException", message: "The security token included in the request is invalid.")
        }
        if let token = key.token, headers["x-amz-security-token"] != token {
            return Rejection(code: "UnrecognizedClientException", message: "The security token included in the request is invalid.")
        }
        let signedNames = fields["SignedHeaders"]!.split(separator: ";").map(String.init)
        guard signedNames.contains("host"), signedNames.contains("x-amz-date") else {
            return Rejection(code: "InvalidSignatureException", message: "'Host' and 'X-Amz-Date' must be signed headers.")
        }
        if key.token != nil, !signedNames.contains("x-amz-security-token") {
            return Rejection(code: "InvalidSignatureException", message: Self.mismatch)
        }
        let bodyHash = Self.hex(SHA256.hash(data: body))
        if let declared = headers["x-amz-content-sha256"], declared != bodyHash {
            return Rejection(code: "InvalidSignatureException", message: Self.mismatch)
        }
        var canonical = method + "\n" + Self.reencode(rawTarget.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/") + "\n"
        canonical += (rawTarget.contains("?") ? String(rawTarget.split(separator: "?", maxSplits: 1)[1]) : "") + "\n"
        for name in signedNames {
            guard let value = headers[name] else { return Rejection(code: "InvalidSignatureException", message: Self.mismatch) }
            canonical += name + ":" + value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") + "\n"
        }
        canonical += "\n" + signedNames.joined(separator: ";") + "\n" + bodyHash
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(day)/\(region)/\(service)/aws4_request\n" + Self.hex(SHA256.hash(data: Array(canonical.utf8)))
        var signingKey = SymmetricKey(data: Array(("AWS4" + key.secret).utf8))
        for step in [day, region, service, "aws4_request"] {
            signingKey = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(step.utf8), using: signingKey)))
        }
        let expected = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey))
        guard expected == fields["Signature"] else {
            return Rejection(code: "InvalidSignatureException", message: Self.mismatch)
        }
        // A valid signature with credentials past their expiry: checked last, as AWS reports it only for good signatures.
        if let expiration = key.expiration, expiration <= now {
            return Rejection(code: "ExpiredTokenException", message: "The security token included in the request is expired")
        }
        return nil
    }

    static let mismatch =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

    /// The service URI-encodes the received path once more (`%` → `%25`, everything unreserved kept, `/` kept).
    static func reencode(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let scalar = Unicode.Scalar(byte)
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || "-._~/".unicodeScalars.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func parseAMZDate(_ text: String) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let chars = Array(text)
        guard chars.count == 16, chars[8] == "T", chars[15] == "Z" else { return nil }
        func int(_ range: Range<Int>) -> Int? { Int(String(chars[range])) }
        guard let y = int(0..<4), let mo = int(4..<6), let d = int(6..<8), let h = int(9..<11), let mi = int(11..<13), let s = int(13..<15) else {
            return nil
        }
        return calendar.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s))
    }

    static func formatAMZDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
