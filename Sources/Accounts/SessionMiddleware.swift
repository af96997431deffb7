import Foundation
import HTTPTypes
import Hummingbird

/// Resolves the public origin (refusing untrusted hosts), reads the session cookie into the context,
/// and renews sessions older than a day so active users never expire.
public struct SessionMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    let cookies: SessionCookies
    let originPolicy: OriginPolicy
    /// Paths that answer without an origin check (load balancer health checks use internal addresses).
    let originExemptPaths: Set<String>
    static var renewalAge: TimeInterval { 24 * 3600 }

    public init(cookies: SessionCookies, originPolicy: OriginPolicy, originExemptPaths: Set<String> = ["/api/health"]) {
        self.cookies = cookies
        self.originPolicy = originPolicy
        self.originExemptPaths = originExemptPaths
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if self.originExemptPaths.contains(request.uri.path) {
            return try await next(request, context)
        }
        let origin = try self.originPolicy.origin(for: request.headers, authority: request.head.authority)
        context.publicOrigin = origin
        let now = Date()
        let token = request.cookies[SessionCodec.cookieName].flatMap { self.cookies.codec.decode($0.value, now: now) }
        context.user = token?.user
        var response = try await next(request, context)
        if let token, now.timeIntervalSince(token.issuedAt) > Self.renewalAge, response.headers[.setCookie] == nil {
            response.setCookie(self.cookies.renew(token, origin: origin, now: now))
        }
        return response
    }
}

/// Refuses state-changing requests that come from another site. Browsers send Origin (or at least Referer)
/// on such requests; scripts like curl send neither and carry no ambient credentials to abuse.
public struct CrossSiteRequestMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
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

/// Lets only requests with a session through: API calls get 401, pages go through guest sign-in and back.
public struct RequireSessionMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if context.user != nil {
            return try await next(request, context)
        }
        if request.uri.path.hasPrefix("/api/") {
            throw AccountError.unauthenticated
        }
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        let location = (context.publicOrigin?.description ?? "") + "/api/auth/guest?redirectUrl=" + GuestRedirect.encode(target)
        return Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}

/// The `redirectUrl` of guest sign-in: a same-origin path, never another site.
public enum GuestRedirect {
    static func encode(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? "/"
    }

    /// The path to return to, or "/" when the value is absent or could leave the site
    /// (absolute URLs, `//host`, backslashes, control characters).
    public static func safePath(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\"),
            !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
            !value.hasPrefix("/api/auth/guest")
        else { return "/" }
        return value
    }
}
