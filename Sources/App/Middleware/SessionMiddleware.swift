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
