import Accounts
import Hummingbird
import Web

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
