import Accounts
import Crypto
import Foundation
import Hummingbird
import Logging
import Storage
import Web

/// `/api/auth/sso` and its callback: OpenID Connect authorization code flow with PKCE, state and nonce.
/// The state names a one-use row in the database (any instance can finish the sign-in) and is also kept in a
/// short-lived cookie, so a callback only completes in the browser that started it.
struct SSOController {
    let provider: OIDCProvider
    let settings: AccessConfiguration.OIDCSettings
    let accounts: SSOAccounts
    let identities: IdentityRepository
    let auth: AuthController
    let logger: Logger
    static let stateCookie = "chatbot_sso_state"
    static let loginLifetime: TimeInterval = 600

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/api/auth/sso", use: self.start)
        routes.get("/api/auth/sso/callback", use: self.callback)
        return routes
    }

    @Sendable func start(request: Request, context: AppRequestContext) async throws -> Response {
        let path = GuestRedirect.safePath(request.uri.queryParameters.get("redirectUrl"))
        guard let origin = context.publicOrigin else { throw APIError(.badRequest, "auth", "The request has no usable Host.") }
        if context.user?.kind == .regular {
            return Response(status: .seeOther, headers: [.location: path, .cacheControl: "no-store"])
        }
        let metadata: OIDCProvider.Metadata
        do {
            metadata = try await self.provider.discovery()
        } catch {
            return try self.failure(error, request: request, context: context)
        }
        let now = Date()
        _ = try? await self.identities.deletePending(olderThan: now.addingTimeInterval(-Self.loginLifetime))
        let pending = IdentityRepository.PendingLogin(
            state: Self.random(), nonce: Self.random(), codeVerifier: Self.random(), redirectPath: path, createdAt: now)
        try await self.identities.savePending(pending)
        let challenge = Base64URL.encode(Data(SHA256.hash(data: Data(pending.codeVerifier.utf8))))
        var authorize = URLComponents(string: metadata.authorization_endpoint)
        let existing = authorize?.queryItems ?? []
        authorize?.queryItems = existing + [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: self.settings.clientID),
            URLQueryItem(name: "redirect_uri", value: Self.callbackURL(origin)),
            URLQueryItem(name: "scope", value: self.settings.scopes.joined(separator: " ")),
            URLQueryItem(name: "state", value: pending.state),
            URLQueryItem(name: "nonce", value: pending.nonce),
            URLQueryItem(name: "code_challenge", value: challenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        guard let location = authorize?.url?.absoluteString else {
            return try self.failure(SSOError.providerUnavailable(reason: "unusable authorization_endpoint"), request: request, context: context)
        }
        var response = Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
        response.setCookie(
            Cookie(
                name: Self.stateCookie, value: pending.state, maxAge: Int(Self.loginLifetime), path: "/api/auth/sso", secure: origin.isSecure,
                httpOnly: true, sameSite: .lax))
        return response
    }

    @Sendable func callback(request: Request, context: AppRequestContext) async throws -> Response {
        do {
            let query = request.uri.queryParameters
            guard let state = query.get("state"), !state.isEmpty, state.utf8.count <= 128 else { throw SSOError.invalidState }
            guard let origin = context.publicOrigin else { throw SSOError.invalidState }
            // Used up either way: a replayed callback finds nothing.
            let pending = try await self.identities.takePending(state: state)
            guard let pending, request.cookies[Self.stateCookie]?.value == state,
                Date().timeIntervalSince(pending.createdAt) < Self.loginLifetime
            else { throw SSOError.invalidState }
            if let code = query.get("error") {
                throw SSOError.providerRefused(code: String(code.prefix(64)))
            }
            guard let code = query.get("code"), !code.isEmpty else { throw SSOError.providerRefused(code: "no code") }
            let token = try await self.provider.exchange(code: code, codeVerifier: pending.codeVerifier, redirectURI: Self.callbackURL(origin))
            let issuer = try await self.provider.discovery().issuer
            let claims: IDTokenClaims
            do {
                claims = try await IDTokenVerifier(issuer: issuer, clientID: self.settings.clientID).verify(token, nonce: pending.nonce) { refresh in
                    try await self.provider.keys(refresh: refresh)
                }
            } catch let error as IDTokenError {
                throw SSOError.tokenRejected(error)
            }
            let user = try await self.accounts.signIn(claims, currentUser: context.user)
            self.logger.info("single sign-on", metadata: ["user": "\(user.id)"])
            var response = Response(status: .seeOther, headers: [.location: pending.redirectPath, .cacheControl: "no-store"])
            response.setCookie(Self.clearedStateCookie(origin))
            return try await self.auth.signedIn(user, context: context, response: response)
        } catch {
            return try self.failure(error, request: request, context: context)
        }
    }

    /// The page the user sees and the line the operator reads; neither holds a token or a stack trace.
    func failure(_ error: any Error, request: Request, context: AppRequestContext) throws -> Response {
        guard let mapped = ErrorMapping.apiError(for: error) else { throw error }
        var metadata: Logger.Metadata = ["reason": .string(Self.logReason(error))]
        metadata["request_id"] = .string(context.requestID)
        self.logger.warning("single sign-on failed", metadata: metadata)
        var response = try Pages.signInFailed(message: mapped.message, ssoName: self.settings.displayName).with(status: mapped.status)
            .response(from: request, context: context)
        if let origin = context.publicOrigin {
            response.setCookie(Self.clearedStateCookie(origin))
        }
        return response
    }

    static func logReason(_ error: any Error) -> String {
        switch error {
        case let error as SSOError:
            switch error {
            case .providerUnavailable(let reason): "provider unavailable: \(reason)"
            case .tokenRejected(let reason): "ID token rejected: \(reason)"
            default: "\(error)"
            }
        default: "\(error)"
        }
    }

    static func clearedStateCookie(_ origin: PublicOrigin) -> Cookie {
        Cookie(name: Self.stateCookie, value: "", maxAge: 0, path: "/api/auth/sso", secure: origin.isSecure, httpOnly: true, sameSite: .lax)
    }

    static func callbackURL(_ origin: PublicOrigin) -> String {
        origin.description + "/api/auth/sso/callback"
    }

    /// 256 random bits, base64url: states, nonces and PKCE verifiers (RFC 7636 asks for 43-128 characters).
    static func random() -> String {
        Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }
}

extension SSOController {
    /// The sign-in routes when OIDC is configured; otherwise the same documented paths answer that single
    /// sign-on is not set up.
    static func routes(_ oidc: AccessConfiguration.OIDCSettings?, services: AppServices, auth: AuthController) -> RouteCollection<AppRequestContext> {
        guard let oidc else {
            let routes = RouteCollection(context: AppRequestContext.self)
            for path in ["/api/auth/sso", "/api/auth/sso/callback"] {
                routes.get(RouterPath(path)) { _, _ -> Response in throw SSOError.notConfigured }
            }
            return routes
        }
        return SSOController(
            provider: OIDCProvider(settings: oidc), settings: oidc,
            accounts: SSOAccounts(database: services.database, policy: services.configuration.access.policy, logger: services.logger),
            identities: IdentityRepository(database: services.database), auth: auth, logger: services.logger
        ).routes
    }
}
