import Foundation

/// Why an ID token was refused. Never carries the token itself, so it can be logged.
public enum IDTokenError: Error, Equatable, Sendable {
    case malformed
    case unsupportedAlgorithm(String)
    /// No published key has the token's key id, even after fetching the keys again.
    case unknownKey
    case badSignature
    case wrongIssuer
    case wrongAudience
    case expired
    case notYetValid
    case nonceMismatch
    case missingClaim(String)
}

/// What we use from a verified ID token.
public struct IDTokenClaims: Sendable, Equatable {
    public var issuer: String
    public var subject: String
    public var email: String?
    public var emailVerified: Bool
    public var name: String?

    public init(issuer: String, subject: String, email: String?, emailVerified: Bool, name: String? = nil) {
        self.issuer = issuer
        self.subject = subject
        self.email = email
        self.emailVerified = emailVerified
        self.name = name
    }
}

/// Verifies an OpenID Connect ID token in full (Core 1.0 §3.1.3.7): the signature against the provider's
/// keys (RS256 or ES256; `none` and HMAC are refused), issuer, audience and authorised party, expiry and
/// issue time with a small clock skew, and the nonce this sign-in sent.
public struct IDTokenVerifier: Sendable {
    public let issuer: String
    public let clientID: String
    public let skew: TimeInterval

    public init(issuer: String, clientID: String, skew: TimeInterval = 60) {
        self.issuer = issuer
        self.clientID = clientID
        self.skew = skew
    }

    struct Header: Decodable {
        let alg: String
        let kid: String?
    }

    /// `keys(refresh)` gives the provider's key set; with `refresh` true it must fetch it again (the provider
    /// rotated its keys and signs with one we have not seen).
    public func verify(
        _ token: String, nonce expectedNonce: String, now: Date = Date(), keys: (_ refresh: Bool) async throws -> JSONWebKeySet
    ) async throws -> IDTokenClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard token.utf8.count < 64 * 1024, parts.count == 3, let headerData = Base64URL.decode(String(parts[0])),
            let payloadData = Base64URL.decode(String(parts[1])), let signature = Base64URL.decode(String(parts[2])),
            let header = try? JSONDecoder().decode(Header.self, from: headerData),
            let payload = try? JSONSerialization.jsonObject(with: payloadData) as? [String: Any]
        else { throw IDTokenError.malformed }
        guard ["RS256", "ES256"].contains(header.alg) else { throw IDTokenError.unsupportedAlgorithm(header.alg) }
        let signedPart = Data(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))

        var key = Self.key(for: header, in: try await keys(false))
        if key == nil {
            key = Self.key(for: header, in: try await keys(true))
        }
        guard let key else { throw IDTokenError.unknownKey }
        guard key.verifies(signature, over: signedPart, algorithm: header.alg) else { throw IDTokenError.badSignature }

        guard let issuer = payload["iss"] as? String else { throw IDTokenError.missingClaim("iss") }
        guard issuer == self.issuer else { throw IDTokenError.wrongIssuer }
        let audiences: [String] = (payload["aud"] as? String).map { [$0] } ?? (payload["aud"] as? [String]) ?? []
        guard audiences.contains(self.clientID) else { throw IDTokenError.wrongAudience }
        if let azp = payload["azp"] as? String, azp != self.clientID { throw IDTokenError.wrongAudience }
        if audiences.count > 1, payload["azp"] == nil { throw IDTokenError.wrongAudience }
        guard let exp = Self.number(payload["exp"]) else { throw IDTokenError.missingClaim("exp") }
        guard now.timeIntervalSince1970 < exp + self.skew else { throw IDTokenError.expired }
        guard let iat = Self.number(payload["iat"]) else { throw IDTokenError.missingClaim("iat") }
        guard iat <= now.timeIntervalSince1970 + self.skew else { throw IDTokenError.notYetValid }
        if let nbf = Self.number(payload["nbf"]), nbf > now.timeIntervalSince1970 + self.skew { throw IDTokenError.notYetValid }
        guard let nonce = payload["nonce"] as? String, Self.constantTimeEqual(nonce, expectedNonce) else { throw IDTokenError.nonceMismatch }
        guard let subject = payload["sub"] as? String, !subject.isEmpty else { throw IDTokenError.missingClaim("sub") }

        // Some providers (Cognito among them at times) send the flag as the string "true".
        let verified = (payload["email_verified"] as? Bool) ?? ((payload["email_verified"] as? String)?.lowercased() == "true")
        return IDTokenClaims(
            issuer: issuer, subject: subject, email: payload["email"] as? String, emailVerified: verified,
            name: payload["name"] as? String)
    }

    static func key(for header: Header, in set: JSONWebKeySet) -> JSONWebKey? {
        let candidates = set.keys.filter { $0.fits(header.alg) }
        if let kid = header.kid {
            return candidates.first { $0.kid == kid }
        }
        // Without a key id only an unambiguous key set will do.
        return candidates.count == 1 ? candidates[0] : nil
    }

    static func number(_ value: Any?) -> Double? {
        (value as? NSNumber)?.doubleValue
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
