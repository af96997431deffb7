import Crypto
import Foundation
import _CryptoExtras

/// A provider's signing keys as published at its `jwks_uri` (RFC 7517). Only the fields we verify with.
public struct JSONWebKeySet: Decodable, Sendable {
    public var keys: [JSONWebKey]
    public init(keys: [JSONWebKey]) { self.keys = keys }
}

public struct JSONWebKey: Codable, Sendable, Equatable {
    public var kty: String
    public var kid: String?
    public var alg: String?
    public var use: String?
    public var n: String?
    public var e: String?
    public var crv: String?
    public var x: String?
    public var y: String?

    public init(kty: String, kid: String?, alg: String? = nil, use: String? = nil, n: String? = nil, e: String? = nil, crv: String? = nil, x: String? = nil, y: String? = nil) {
        self.kty = kty
        self.kid = kid
        self.alg = alg
        self.use = use
        self.n = n
        self.e = e
        self.crv = crv
        self.x = x
        self.y = y
    }

    /// Whether this key may check a signature made with `algorithm`.
    func fits(_ algorithm: String) -> Bool {
        guard self.use == nil || self.use == "sig" else { return false }
        if let alg = self.alg, alg != algorithm { return false }
        switch algorithm {
        case "RS256": return self.kty == "RSA"
        case "ES256": return self.kty == "EC" && self.crv == "P-256"
        default: return false
        }
    }

    /// Checks `signature` over `signedPart` (the token's `header.payload`, as sent).
    func verifies(_ signature: Data, over signedPart: Data, algorithm: String) -> Bool {
        switch algorithm {
        case "RS256":
            guard let n = self.n.flatMap(Base64URL.decode), let e = self.e.flatMap(Base64URL.decode),
                let key = try? _RSA.Signing.PublicKey(n: n, e: e), key.keySizeInBits >= 2048
            else { return false }
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: signedPart), padding: .insecurePKCS1v1_5)
        case "ES256":
            guard let x = self.x.flatMap(Base64URL.decode), let y = self.y.flatMap(Base64URL.decode), x.count == 32, y.count == 32,
                let key = try? P256.Signing.PublicKey(rawRepresentation: x + y),
                let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
            else { return false }
            return key.isValidSignature(ecdsa, for: SHA256.hash(data: signedPart))
        default:
            return false
        }
    }
}

/// Base64url without padding, as JOSE writes it.
public enum Base64URL {
    public static func decode(_ text: String) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    public static func encode(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
