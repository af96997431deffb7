import Accounts
import HTTPTypes
import Hummingbird

/// Refuses state-changing requests that come from another site. Browsers send Origin (or at least Referer)
/// on such requests; scripts like curl send neither and carry no ambient credentials to abuse.
struct CrossSiteRequestMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method), let origin = context.publicOrigin else {
            return try await next(request, context)
        }
        if request.headers[.secFetchSite] == "cross-site" {
            throw AccountError.crossSiteRequest
        }
        if let sent = request.headers[.origin] {
            guard sent != "null", PublicOrigin(url: sent) == origin else { throw AccountError.crossSiteRequest }
        } else if let referer = request.headers[.referer] {
            guard PublicOrigin(url: referer) == origin else { throw AccountError.crossSiteRequest }
        }
        return try await next(request, context)
    }
}
