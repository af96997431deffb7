import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import Web

/// Refuses other machines in development, resolves the client address and the public origin (refusing
/// untrusted hosts), checks the session cookie against the database, and renews sessions older than a day.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: AccountService
    let cookies: SessionCookies
    let originPolicy: OriginPolicy
    let clientAddresses: ClientAddressPolicy
    /// Development mode: only this machine may connect, whatever the Host header says (DNS rebinding).
    let loopbackOnly: Bool
    /// Paths that answer without an origin check (load balancer health checks use internal addresses).
    let originExemptPaths: Set<String>
    static var renewalAge: TimeInterval { 24 * 3600 }

    init(
        accounts: AccountService, cookies: SessionCookies, originPolicy: OriginPolicy, clientAddresses: ClientAddressPolicy, loopbackOnly: Bool,
        originExemptPaths: Set<String> = ["/api/health"]
    ) {
        self.accounts = accounts
        self.cookies = cookies
        self.originPolicy = originPolicy
        self.clientAddresses = clientAddresses
        self.loopbackOnly = loopbackOnly
        self.originExemptPaths = originExemptPaths
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if self.loopbackOnly, !ClientAddressPolicy.isLoopback(context.remoteAddress) {
            throw AccountError.notLoopback
        }
        context.clientAddress = self.clientAddresses.clientAddress(headers: request.headers, peer: context.remoteAddress)
        if self.originExemptPaths.contains(request.uri.path) {
            return try await next(request, context)
        }
        let origin = try self.originPolicy.origin(for: request.headers, authority: request.head.authority)
        context.publicOrigin = origin
        let now = Date()
        let token = request.cookies[SessionCodec.cookieName].flatMap { self.cookies.codec.decode($0.value, now: now) }
        var revoked = false
        if let token {
            if let user = try await self.accounts.resolve(token, now: now) {
                context.user = user
                context.session = token
            } else {
                revoked = true
            }
        }
        var response = try await next(request, context)
        if response.headers[.setCookie] == nil {
            if revoked {
                response.setCookie(self.cookies.clear(origin: origin))
            } else if let token = context.session, now.timeIntervalSince(token.issuedAt) > Self.renewalAge {
                response.setCookie(self.cookies.cookie(for: token.renewed(at: now), origin: origin, now: now))
            }
        }
        return response
    }
}

/// Refuses state-changing requests that come from another site. Browsers send Origin (or at least Referer)
/// on such requests; scripts like curl send neither and carry no ambient credentials to abuse.
struct CrossSiteRequestMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method), let origin = context.publicOrigin else {
            return try await next(request, context)
        }
        if request.headers[HTTPField.Name("Sec-Fetch-Site")!] == "cross-site" {
            throw AccountError.crossSiteRequest
        }
        if let sent = request.headers[HTTPField.Name("Origin")!] {
            guard sent != "null", PublicOrigin(url: sent) == origin else { throw AccountError.crossSiteRequest }
        } else if let referer = request.headers[.referer] {
            guard PublicOrigin(url: referer) == origin else { throw AccountError.crossSiteRequest }
        }
        return try await next(request, context)
    }
}

/// Lets only requests with a session through: API calls get 401; pages go through guest sign-in and back,
/// or to the sign-in page when guests are off.
struct RequireSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let guestsEnabled: Bool

    init(guestsEnabled: Bool = true) {
        self.guestsEnabled = guestsEnabled
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if context.user != nil {
            if let clean = CookieCheck.withoutMarker(path: request.uri.path, query: request.uri.query) {
                return Response(status: .seeOther, headers: [.location: clean, .cacheControl: "no-store"])
            }
            return try await next(request, context)
        }
        if request.uri.path.hasPrefix("/api/") {
            throw AccountError.unauthenticated
        }
        if CookieCheck.hasMarker(request.uri.query) {
            // We set a session cookie on the way here and the browser did not send it back: redirecting
            // again would loop until the browser gives up.
            return try Pages.cookiesNeeded().response(from: request, context: context)
        }
        let target = CookieCheck.withoutMarker(path: request.uri.path, query: request.uri.query) ?? (request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))
        // Relative: a redirect built from request headers could be pointed at another site.
        let start = self.guestsEnabled ? "/api/auth/guest" : "/login"
        let location = start + "?redirectUrl=" + GuestRedirect.encode(target)
        return Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}

/// The marker a fresh sign-in adds to the page it returns to: arriving with it and without a session means
/// the browser does not keep cookies.
enum CookieCheck {
    static let name = "cookie-check"

    static func hasMarker(_ query: String?) -> Bool {
        query?.split(separator: "&").contains { $0 == Self.name || $0.hasPrefix(Self.name + "=") } ?? false
    }

    /// The path to return to after a sign-in that set a cookie.
    static func marked(_ path: String) -> String {
        path + (path.contains("?") ? "&" : "?") + Self.name + "=1"
    }

    /// The request's path and query without the marker, or nil when it has none.
    static func withoutMarker(path: String, query: String?) -> String? {
        guard Self.hasMarker(query), let query else { return nil }
        let rest = query.split(separator: "&").filter { !($0 == Self.name || $0.hasPrefix(Self.name + "=")) }
        return path + (rest.isEmpty ? "" : "?" + rest.joined(separator: "&"))
    }
}

/// The `redirectUrl` of guest sign-in: a same-origin path, never another site.
enum GuestRedirect {
    static func encode(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? "/"
    }

    /// The path to return to, or "/" when the value is absent or could leave the site
    /// (absolute URLs, `//host`, backslashes, control characters).
    static func safePath(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\"),
            !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
            !value.hasPrefix("/api/auth/guest")
        else { return "/" }
        return value
    }
}
