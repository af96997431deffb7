import HTTPTypes
import Hummingbird

/// Adds the security headers to every response, error pages included, unless a handler set its own.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let headers: [(HTTPField.Name, String)] = [
        (.contentSecurityPolicy,
         "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
        (.xContentTypeOptions, "nosniff"),
        (.referrerPolicy, "strict-origin-when-cross-origin"),
        (.xFrameOptions, "DENY"),
        (.permissionsPolicy, "camera=(), microphone=(), geolocation=()"),
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for (name, value) in Self.headers where response.headers[name] == nil {
            response.headers[name] = value
        }
        return response
    }
}
