import Hummingbird
import Logging

/// Turns every error into what the client sees: the JSON envelope for API calls, an error page for a browser
/// asking for a page. Errors nobody mapped are logged at error level with their detail, never shown.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// Renders an error for a browser page (not an API call).
    let errorPage: @Sendable (_ error: APIError, _ requestID: String) -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return self.render(error, request: request, context: context)
        }
    }

    func render(_ error: any Error, request: Request, context: Context) -> Response {
        let apiError: APIError
        if let mapped = ErrorMapping.apiError(for: error) {
            apiError = mapped
        } else {
            context.logger.error("unhandled error", metadata: ["error": .string(String(reflecting: error))])
            apiError = APIError(
                .internal, "api", "Something went wrong on our side. Please try again; if it keeps happening, quote request id \(context.requestID).")
        }
        if apiError.kind == .offline || apiError.kind == .internal {
            context.logger.warning("request failed", metadata: ["code": .string(apiError.code), "cause": .string(apiError.cause ?? "")])
        }
        let wantsPage = request.method == .get && !request.uri.path.hasPrefix("/api/")
            && (request.headers[.accept]?.contains("text/html") ?? false)
        if wantsPage {
            var response = self.errorPage(apiError, context.requestID)
            response.status = apiError.status
            return response
        }
        return (try? apiError.response(from: request, context: context)) ?? Response(status: apiError.status)
    }
}
