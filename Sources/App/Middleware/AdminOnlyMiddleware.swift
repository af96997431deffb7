import Accounts
import Hummingbird

/// The admin page and API exist only for administrators. For anyone else (signed out, a guest, another user) every
/// method on every path under `/admin` and `/api/admin` answers exactly as a missing route does, so the answer
/// tells nobody who the administrators are. The handlers check again (a path the router normalises differently).
struct AdminOnlyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let policy: AccessPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.isAdminPath(request.uri.path), !(context.user.map(self.policy.isAdmin) ?? false) {
            throw HTTPError(.notFound)
        }
        return try await next(request, context)
    }

    static func isAdminPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        return parts.first == "admin" || (parts.first == "api" && parts.dropFirst().first == "admin")
    }
}
