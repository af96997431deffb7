import Accounts
import Crypto
import Foundation
import Testing
import _CryptoExtras

/// The verifier against tokens signed here with keys generated for the test.
@Suite("ID token verification") struct IDTokenVerifierTests {
    static let issuer = "https://idp.example.com"
    static let client = "chatbot"
    static let rsa = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let otherRSA = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let ec = P256.Signing.PrivateKey()

    static func jwk(_ key: _RSA.Signing.PrivateKey, kid: String) throws -> JSONWebKey {
        let primitives = try key.publicKey.getKeyPrimitives()
        return JSONWebKey(kty: "RSA", kid: kid, alg: "RS256", use: "sig", n: Base64URL.encode(primitives.modulus), e: Base64URL.encode(primitives.publicExponent))
    }

    static func jwk(_ key: P256.Signing.PrivateKey, kid: String) -> JSONWebKey {
        let raw = key.publicKey.rawRepresentation
        return JSONWebKey(kty: "EC", kid: kid, crv: "P-256", x: Base64URL.encode(raw.prefix(32)), y: Base64URL.encode(raw.suffix(32)))
    }

    static func claims(_ changes: [String: Any] = [:], now: Date = Date()) -> [String: Any] {
        var claims: [String: Any] = [
            "iss": Self.issuer, "aud": Self.client, "sub": "user-1", "nonce": "n-123", "email": "ann@example.com", "email_verified": true,
            "iat": Int(now.timeIntervalSince1970), "exp": Int(now.timeIntervalSince1970) + 300,
        ]
        for (key, value) in changes { claims[key] = value }
        return claims
    }

    static func sign(_ claims: [String: Any], alg: String = "RS256", kid: String = "k1", rsa: _RSA.Signing.PrivateKey = Self.rsa) throws -> String {
        let header = Base64URL.encode(try JSONSerialization.data(withJSONObject: ["alg": alg, "kid": kid, "typ": "JWT"]))
        let payload = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims))
        let input = Data((header + "." + payload).utf8)
        let signature: Data = switch alg {
        case "ES256": try Self.ec.signature(for: input).rawRepresentation
        default: try rsa.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        }
        return header + "." + payload + "." + Base64URL.encode(signature)
    }

    let verifier = IDTokenVerifier(issuer: Self.issuer, clientID: Self.client)

    func verify(_ token: String, nonce: String = "n-123", keys: [JSONWebKey]? = nil) async throws -> IDTokenClaims {
        let set = JSONWebKeySet(keys: try keys ?? [Self.jwk(Self.rsa, kid: "k1"), Self.jwk(Self.ec, kid: "e1")])
        return try await self.verifier.verify(token, nonce: nonce) { _ in set }
    }

    @Test("a correct RS256 and ES256 token gives its claims")
    func accepts() async throws {
        let claims = try await self.verify(try Self.sign(Self.claims()))
        #expect(claims.subject == "user-1" && claims.email == "ann@example.com" && claims.emailVerified)
        let ec = try await self.verify(try Self.sign(Self.claims(["email_verified": "false"]), alg: "ES256", kid: "e1"))
        #expect(!ec.emailVerified)
    }

    @Test("refusals: audience, issuer, expiry, future issue, nonce, signature, algorithm, unknown key")
    func refuses() async throws {
        let now = Date()
        let cases: [(String, IDTokenError)] = [
            (try Self.sign(Self.claims(["aud": "someone-else"])), .wrongAudience),
            (try Self.sign(Self.claims(["aud": [Self.client, "other"]])), .wrongAudience),
            (try Self.sign(Self.claims(["iss": "https://evil.example.com"])), .wrongIssuer),
            (try Self.sign(Self.claims(["exp": Int(now.timeIntervalSince1970) - 120])), .expired),
            (try Self.sign(Self.claims(["iat": Int(now.timeIntervalSince1970) + 600])), .notYetValid),
            (try Self.sign(Self.claims(["nonce": "replayed-from-another-sign-in"])), .nonceMismatch),
            (try Self.sign(Self.claims(), rsa: Self.otherRSA), .badSignature),
            (try Self.sign(Self.claims(), kid: "unknown"), .unknownKey),
            (try Self.sign(Self.claims(), alg: "HS256"), .unsupportedAlgorithm("HS256")),
            ("not.a-token", .malformed),
        ]
        for (token, expected) in cases {
            await #expect(throws: expected) { try await self.verify(token) }
        }
        // A tampered payload under the original signature.
        let parts = try Self.sign(Self.claims()).split(separator: ".")
        let forged = Base64URL.encode(try JSONSerialization.data(withJSONObject: Self.claims(["sub": "admin"])))
        await #expect(throws: IDTokenError.badSignature) { try await self.verify(parts[0] + "." + forged + "." + parts[2]) }
    }

    @Test("within the clock skew an expired token still passes; a token for `none` never does")
    func skewAndNone() async throws {
        let now = Date()
        _ = try await self.verify(try Self.sign(Self.claims(["exp": Int(now.timeIntervalSince1970) - 30])))
        let header = Base64URL.encode(Data(#"{"alg":"none"}"#.utf8))
        let payload = Base64URL.encode(try JSONSerialization.data(withJSONObject: Self.claims()))
        await #expect(throws: IDTokenError.unsupportedAlgorithm("none")) { try await self.verify(header + "." + payload + ".") }
    }

    @Test("a key the provider rotated in is found by fetching the key set again")
    func rotation() async throws {
        let old = try Self.jwk(Self.otherRSA, kid: "old")
        let new = try Self.jwk(Self.rsa, kid: "new")
        let fetches = Counter()
        let claims = try await self.verifier.verify(try Self.sign(Self.claims(), kid: "new"), nonce: "n-123") { refresh in
            await fetches.add()
            return JSONWebKeySet(keys: refresh ? [old, new] : [old])
        }
        #expect(claims.subject == "user-1")
        #expect(await fetches.value == 2)
    }

    actor Counter {
        var value = 0
        func add() { self.value += 1 }
    }
}
