import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Web

/// `/api/auth/*`: the JSON sign-in API, the guest sign-in redirect and session management; and the
/// no-JavaScript form posts to /login and /register. Parses, calls AccountService, sets cookies.
struct AuthController {
    let accounts: AccountService
    let cookies: SessionCookies
    var ssoName: String?

    struct Credentials: Decodable {
        let email: String
        let password: String
    }

    struct PasswordChange: Decodable {
        let currentPassword: String
        let newPassword: String
    }

    struct UserBody: Encodable {
        let id: String
        let email: String?
        let type: String
        init(_ user: SessionUser) {
            self.id = user.id.uuidString.lowercased()
            self.email = user.email
            self.type = user.kind.rawValue
        }

        /// Guests have `"email": null`, not a missing key: clients test for null.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.id, forKey: .id)
            try container.encode(self.email, forKey: .email)
            try container.encode(self.type, forKey: .type)
        }
        enum CodingKeys: String, CodingKey { case id, email, type }
    }

    struct SessionBody: Encodable {
        let user: UserBody?
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.user, forKey: .user)
        }
        enum CodingKeys: String, CodingKey { case user }
    }

    /// Open to anyone: these are how a session starts. Handlers that need a user check for it themselves.
    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/api/auth/session", use: self.session)
        routes.post("/api/auth/register", use: self.register)
        routes.post("/api/auth/login", use: self.login)
        routes.post("/api/auth/logout", use: self.logout)
        routes.post("/api/auth/logout-all", use: self.logoutEverywhere)
        routes.post("/api/auth/password", use: self.changePassword)
        routes.get("/api/auth/guest", use: self.guest)
        routes.post("/login", use: self.loginForm)
        routes.post("/register", use: self.registerForm)
        return routes
    }

    @Sendable func session(request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(SessionBody(user: context.user.map(UserBody.init)))
    }

    @Sendable func register(request: Request, context: AppRequestContext) async throws -> Response {
        let credentials = try await request.decodeJSON(as: Credentials.self, context: context, surface: "auth")
        let user = try await self.accounts.register(
            email: credentials.email, password: credentials.password, currentUser: context.user, clientAddress: context.clientAddress)
        return try await self.signedIn(user, context: context, response: JSONResponse.make(SessionBody(user: UserBody(user))))
    }

    @Sendable func login(request: Request, context: AppRequestContext) async throws -> Response {
        let credentials = try await request.decodeJSON(as: Credentials.self, context: context, surface: "auth")
        let user = try await self.accounts.login(
            email: credentials.email, password: credentials.password, clientAddress: context.clientAddress, currentUser: context.user)
        return try await self.signedIn(user, context: context, response: JSONResponse.make(SessionBody(user: UserBody(user))))
    }

    /// Ends this browser's session: the cookie stops working at once, wherever a copy of it is.
    @Sendable func logout(request: Request, context: AppRequestContext) async throws -> Response {
        if let session = context.session {
            try await self.accounts.endSession(session)
        }
        return try self.signedOut(JSONResponse.make(["ok": true]), context: context)
    }

    /// Ends every session of the user, this one included.
    @Sendable func logoutEverywhere(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let ended = try await self.accounts.endAllSessions(userID: user.id)
        return try self.signedOut(JSONResponse.make(["ended": ended]), context: context)
    }

    /// Changes the password, ends every other session and starts a new one for this browser.
    @Sendable func changePassword(request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let body = try await request.decodeJSON(as: PasswordChange.self, context: context, surface: "auth")
        try await self.accounts.changePassword(
            user: user, currentPassword: body.currentPassword, newPassword: body.newPassword, clientAddress: context.clientAddress)
        return try await self.signedIn(user, context: context, response: JSONResponse.make(SessionBody(user: UserBody(user))))
    }

    /// Creates a guest session and returns to the page that asked for it; an existing session is kept.
    /// The redirect is a path, never built from request headers.
    /// With guests off, it sends the visitor to the sign-in page instead. A new guest returns with the
    /// cookie-check marker, so a browser that drops the cookie sees a page saying so rather than a redirect loop.
    @Sendable func guest(request: Request, context: AppRequestContext) async throws -> Response {
        let path = GuestRedirect.safePath(request.uri.queryParameters.get("redirectUrl"))
        guard context.user == nil else {
            return Response(status: .seeOther, headers: [.location: path, .cacheControl: "no-store"])
        }
        guard self.accounts.policy.guestsEnabled else {
            return Response(status: .seeOther, headers: [.location: "/login?redirectUrl=" + GuestRedirect.encode(path), .cacheControl: "no-store"])
        }
        let user = try await self.accounts.createGuest(clientAddress: context.clientAddress)
        let response = Response(status: .seeOther, headers: [.location: CookieCheck.marked(path), .cacheControl: "no-store"])
        return try await self.signedIn(user, context: context, response: response)
    }

    /// What the sign-in pages offer, with the path to return to.
    func pageOptions(redirect: String?) -> AuthPageOptions {
        AuthPageOptions(
            guestsEnabled: self.accounts.policy.guestsEnabled, registrationOpen: self.accounts.policy.registrationOpen, ssoName: self.ssoName,
            redirect: GuestRedirect.safePath(redirect))
    }

    func signedIn(_ user: SessionUser, context: AppRequestContext, response: Response) async throws -> Response {
        guard let origin = context.publicOrigin else { throw APIError(.badRequest, "auth", "The request has no usable Host.") }
        // A new session every sign-in (no fixation); the one it replaces ends.
        if let old = context.session {
            try await self.accounts.endSession(old)
        }
        let token = try await self.accounts.startSession(for: user)
        var response = response
        response.setCookie(self.cookies.cookie(for: token, origin: origin))
        return response
    }

    private func signedOut(_ response: Response, context: AppRequestContext) throws -> Response {
        var response = response
        if let origin = context.publicOrigin {
            response.setCookie(self.cookies.clear(origin: origin))
        }
        return response
    }
}
