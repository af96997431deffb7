import Accounts
import Foundation
import Hummingbird

/// Builds the session cookie with the flags the public origin calls for.
public struct SessionCookies: Sendable {
    public let codec: SessionCodec

    public init(codec: SessionCodec) { self.codec = codec }

    /// The cookie that carries `token`, living as long as the token does.
    public func cookie(for token: SessionToken, origin: PublicOrigin, now: Date = Date()) -> Cookie {
        // Secure follows the origin the browser sees, not the connection we got from the proxy: that is
        // what made the original loop on redirects behind TLS-terminating load balancers.
        Cookie(
            name: SessionCodec.cookieName,
            value: self.codec.encode(token),
            maxAge: max(1, Int(token.expiresAt.timeIntervalSince(now))),
            path: "/",
            secure: origin.isSecure,
            httpOnly: true,
            sameSite: .lax
        )
    }

    /// Expires the cookie in the browser.
    public func clear(origin: PublicOrigin) -> Cookie {
        Cookie(name: SessionCodec.cookieName, value: "", maxAge: 0, path: "/", secure: origin.isSecure, httpOnly: true, sameSite: .lax)
    }
}
