import Crypto
import Foundation

/// AWS Signature Version 4 for header-signed requests, as botocore's `SigV4Auth` computes it.
///
/// Pure: the instant and the credentials are parameters, so the stages are golden-tested
/// against vectors botocore produced (`scripts/gen-sigv4-vectors.py`).
public struct SigV4Signer: Sendable {
    /// The region of the credential scope, e.g. `us-east-1`.
    public var region: String
    /// The signing name, `bedrock` for Bedrock Runtime (not the endpoint prefix `bedrock-runtime`).
    public var service: String

    /// Headers botocore never signs: proxies and clients may rewrite them.
    static let unsignedHeaders: Set<String> = ["expect", "transfer-encoding", "user-agent", "x-amzn-trace-id", "authorization"]

    /// Creates a signer for one region and service.
    public init(region: String, service: String = "bedrock") {
        self.region = region
        self.service = service
    }

    /// Signs a request and returns the headers to add (`x-amz-date`, `x-amz-security-token`, `authorization`).
    ///
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - path: the path exactly as it goes on the wire (labels already percent-encoded).
    ///   - query: the raw query string without `?`, empty for Bedrock's operations.
    ///   - headers: the headers to sign, including `host`; names in any case.
    ///   - body: the request body.
    public func sign(
        method: String, path: String, query: String = "", headers: [(String, String)], body: some Collection<UInt8>,
        credentials: AWSCredentials, date: Date
    ) -> SigV4Signature {
        let amzDate = AMZDate.timestamp(date)
        var all = headers
        all.append(("x-amz-date", amzDate))
        if let token = credentials.sessionToken {
            all.append(("x-amz-security-token", token))
        }
        let payloadHash = headers.first { $0.0.lowercased() == "x-amz-content-sha256" }?.1 ?? Self.hexSHA256(body)
        let canonical = self.canonicalRequest(method: method, path: path, query: query, headers: all, payloadHash: payloadHash)
        let scope = "\(amzDate.prefix(8))/\(self.region)/\(self.service)/aws4_request"
        let toSign = self.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonical.text)
        let signature = self.signature(stringToSign: toSign, secret: credentials.secretAccessKey, day: String(amzDate.prefix(8)))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
        var added = [("x-amz-date", amzDate)]
        if let token = credentials.sessionToken {
            added.append(("x-amz-security-token", token))
        }
        added.append(("authorization", authorization))
        return SigV4Signature(
            canonicalRequest: canonical.text, stringToSign: toSign, signature: signature, authorization: authorization, headersToAdd: added
        )
    }

    /// The canonical request and the `;`-joined list of signed header names.
    func canonicalRequest(method: String, path: String, query: String, headers: [(String, String)], payloadHash: String) -> (
        text: String, signedHeaders: String
    ) {
        var grouped: [String: [String]] = [:]
        for (name, value) in headers {
            let lower = name.lowercased()
            guard !Self.unsignedHeaders.contains(lower) else { continue }
            grouped[lower, default: []].append(Self.normalizeValue(value))
        }
        let names = grouped.keys.sorted()
        var lines = ""
        for name in names {
            lines += name + ":" + grouped[name]!.joined(separator: ",") + "\n"
        }
        let signed = names.joined(separator: ";")
        let text = [method.uppercased(), Self.canonicalURI(path), Self.canonicalQuery(query), lines, signed, payloadHash].joined(separator: "\n")
        return (text, signed)
    }

    /// `AWS4-HMAC-SHA256`, the timestamp, the scope, and the hash of the canonical request.
    func stringToSign(amzDate: String, scope: String, canonicalRequest: String) -> String {
        "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(Self.hexSHA256(Array(canonicalRequest.utf8)))"
    }

    /// The hex signature, with the key derived from the secret, the day, the region and the service.
    func signature(stringToSign: String, secret: String, day: String) -> String {
        var key = SymmetricKey(data: Array("AWS4\(secret)".utf8))
        for part in [day, self.region, self.service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key)
        return Self.hex(mac)
    }

    /// Non-S3 services URI-encode the path once more, so `%3A` on the wire becomes `%253A` here.
    static func canonicalURI(_ path: String) -> String {
        path.isEmpty ? "/" : AWSPercentEncoding.encodePath(path)
    }

    /// Sorts `name=value` pairs; the values are taken as already encoded.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&").map { part -> (String, String) in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(pieces[0]), pieces.count > 1 ? String(pieces[1]) : "")
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Trims the value and collapses runs of whitespace into one space, as botocore does.
    static func normalizeValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Lower-case hex of SHA-256.
    public static func hexSHA256(_ bytes: some Collection<UInt8>) -> String {
        var hasher = SHA256()
        if let done = bytes.withContiguousStorageIfAvailable({ hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }) {
            _ = done
        } else {
            hasher.update(data: Array(bytes))
        }
        return Self.hex(hasher.finalize())
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(Self.lowerHex[Int(byte >> 4)])
            out.append(Self.lowerHex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)
}

/// The result of signing: every stage, for tests and debugging, and the headers to send.
public struct SigV4Signature: Sendable {
    /// The canonical request that was hashed.
    public var canonicalRequest: String
    /// The string whose HMAC is the signature.
    public var stringToSign: String
    /// The hex signature.
    public var signature: String
    /// The `Authorization` header value.
    public var authorization: String
    /// Headers to add to the request, in order.
    public var headersToAdd: [(String, String)]
}
