import Accounts
import Hummingbird

/// Lets only requests with a session through: API calls get 401, pages go through guest sign-in and back.
struct RequireSessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if context.user != nil {
            return try await next(request, context)
        }
        if request.uri.path.hasPrefix("/api/") {
            throw AccountError.unauthenticated
        }
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        // Relative: a redirect built from request headers could be pointed at another site.
        let location = "/api/auth/guest?redirectUrl=" + GuestRedirect.encode(target)
        return Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
