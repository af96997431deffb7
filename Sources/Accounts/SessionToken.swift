import Crypto
import Foundation

/// The session cookie's value: the user and session ids with their lifetime, signed with HMAC-SHA256.
///
/// The signature lets a forged or foreign cookie be refused without touching the database; the session id
/// names a row in `sessions`, checked on every request, so deleting the row revokes the cookie.
public struct SessionToken: Sendable, Equatable, Codable {
    public let user: SessionUser
    /// A fresh id for every sign-in, so a session fixed before login is worthless after it.
    public let sessionID: UUID
    /// When this cookie was issued or last renewed.
    public let issuedAt: Date
    public let expiresAt: Date
    /// When the user signed in: renewals keep it, so no session outlives `SessionCodec.absoluteLifetime`.
    public let authenticatedAt: Date

    public init(user: SessionUser, sessionID: UUID = UUID(), issuedAt: Date, lifetime: TimeInterval, authenticatedAt: Date? = nil) {
        self.user = user
        self.sessionID = sessionID
        self.issuedAt = issuedAt
        let authenticatedAt = authenticatedAt ?? issuedAt
        self.authenticatedAt = authenticatedAt
        self.expiresAt = min(issuedAt.addingTimeInterval(lifetime), authenticatedAt.addingTimeInterval(SessionCodec.absoluteLifetime))
    }

    /// The same session, renewed at `now`: a later idle expiry, never past the absolute one.
    public func renewed(at now: Date) -> SessionToken {
        SessionToken(user: self.user, sessionID: self.sessionID, issuedAt: now, lifetime: SessionCodec.idleLifetime, authenticatedAt: self.authenticatedAt)
    }
}

/// Signs and verifies session tokens with a key derived from AUTH_SECRET.
public struct SessionCodec: Sendable {
    private let key: SymmetricKey
    public static let cookieName = "chatbot_session"
    /// A session unused for 7 days ends; each day of use renews it (rolling)…
    public static let idleLifetime: TimeInterval = 7 * 24 * 3600
    /// …but never past 30 days after sign-in, however often it is renewed.
    public static let absoluteLifetime: TimeInterval = 30 * 24 * 3600

    public init(secret: String) {
        // Derive a purpose-bound key so the raw secret is never used directly as a MAC key.
        self.key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)),
            info: Data("chatbot session cookie v1".utf8),
            outputByteCount: 32
        )
    }

    public func encode(_ token: SessionToken) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let payload = (try? encoder.encode(token)) ?? Data()
        let signature = HMAC<SHA256>.authenticationCode(for: payload, using: self.key)
        return "v1." + Self.base64URL(payload) + "." + Self.base64URL(Data(signature))
    }

    /// The token when its signature is ours and it has not expired; nil otherwise (a changed
    /// AUTH_SECRET simply makes old cookies unreadable, so their holders become new guests).
    public func decode(_ value: String, now: Date = Date()) -> SessionToken? {
        let pieces = value.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0] == "v1", let payload = Self.data(base64URL: pieces[1]),
            let signature = Self.data(base64URL: pieces[2]),
            HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: payload, using: self.key)
        else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        guard let token = try? decoder.decode(SessionToken.self, from: payload), token.expiresAt > now,
            token.authenticatedAt.addingTimeInterval(Self.absoluteLifetime) > now
        else { return nil }
        return token
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64URL text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
