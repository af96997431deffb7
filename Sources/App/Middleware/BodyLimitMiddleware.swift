import Hummingbird

/// Puts the configured body limit into the context, where Hummingbird and `decodeJSON` read it.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let bodyLimit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.bodyLimit = self.bodyLimit
        return try await next(request, context)
    }
}
