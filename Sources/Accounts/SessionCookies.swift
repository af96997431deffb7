import Foundation
import Hummingbird

/// Builds the session cookie with the flags the public origin calls for.
public struct SessionCookies: Sendable {
    public let codec: SessionCodec

    public init(codec: SessionCodec) { self.codec = codec }

    /// A new session for `user` (a new session id every time: no fixation).
    public func issue(for user: SessionUser, origin: PublicOrigin, now: Date = Date()) -> Cookie {
        let token = SessionToken(user: user, issuedAt: now, lifetime: SessionCodec.lifetime)
        return self.cookie(for: token, origin: origin)
    }

    /// The same session with a renewed lifetime.
    public func renew(_ token: SessionToken, origin: PublicOrigin, now: Date = Date()) -> Cookie {
        let renewed = SessionToken(user: token.user, sessionID: token.sessionID, issuedAt: now, lifetime: SessionCodec.lifetime)
        return self.cookie(for: renewed, origin: origin)
    }

    /// Expires the cookie in the browser.
    public func clear(origin: PublicOrigin) -> Cookie {
        Cookie(name: SessionCodec.cookieName, value: "", maxAge: 0, path: "/", secure: origin.isSecure, httpOnly: true, sameSite: .lax)
    }

    func cookie(for token: SessionToken, origin: PublicOrigin) -> Cookie {
        // Secure follows the origin the browser sees, not the connection we got from the proxy: that is
        // what made the original loop on redirects behind TLS-terminating load balancers.
        Cookie(
            name: SessionCodec.cookieName,
            value: self.codec.encode(token),
            maxAge: Int(SessionCodec.lifetime),
            path: "/",
            secure: origin.isSecure,
            httpOnly: true,
            sameSite: .lax
        )
    }
}
