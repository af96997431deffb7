import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/api/auth/*`: the JSON sign-in API and the guest sign-in redirect. Parses, calls AccountService, sets cookies.
struct AuthController {
    let accounts: AccountService
    let cookies: SessionCookies
    /// Client addresses come from X-Forwarded-For only behind a trusted proxy.
    let trustForwardedFor: Bool

    struct Credentials: Decodable {
        let email: String
        let password: String
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

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/auth/session", use: self.session)
        router.post("/api/auth/register", use: self.register)
        router.post("/api/auth/login", use: self.login)
        router.post("/api/auth/logout", use: self.logout)
        router.get("/api/auth/guest", use: self.guest)
    }

    @Sendable func session(request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(SessionBody(user: context.user.map(UserBody.init)))
    }

    @Sendable func register(request: Request, context: AppRequestContext) async throws -> Response {
        let credentials = try await request.decodeJSON(as: Credentials.self, context: context, surface: "auth")
        let user = try await self.accounts.register(email: credentials.email, password: credentials.password, currentUser: context.user)
        return try self.signedIn(user, context: context)
    }

    @Sendable func login(request: Request, context: AppRequestContext) async throws -> Response {
        let credentials = try await request.decodeJSON(as: Credentials.self, context: context, surface: "auth")
        let user = try await self.accounts.login(
            email: credentials.email, password: credentials.password,
            clientAddress: self.clientAddress(request, context: context), currentUser: context.user)
        return try self.signedIn(user, context: context)
    }

    @Sendable func logout(request: Request, context: AppRequestContext) async throws -> Response {
        var response = try JSONResponse.make(["ok": true])
        if let origin = context.publicOrigin {
            response.setCookie(self.cookies.clear(origin: origin))
        }
        return response
    }

    /// Creates a guest session and returns to the page that asked for it; an existing session is kept.
    @Sendable func guest(request: Request, context: AppRequestContext) async throws -> Response {
        guard let origin = context.publicOrigin else { throw APIError(.badRequest, "auth", "The request has no usable Host.") }
        let path = GuestRedirect.safePath(request.uri.queryParameters.get("redirectUrl"))
        var response = Response(status: .seeOther, headers: [.location: origin.url(path: path), .cacheControl: "no-store"])
        if context.user == nil {
            let user = try await self.accounts.createGuest()
            response.setCookie(self.cookies.issue(for: user, origin: origin))
        }
        return response
    }

    private func signedIn(_ user: SessionUser, context: AppRequestContext) throws -> Response {
        guard let origin = context.publicOrigin else { throw APIError(.badRequest, "auth", "The request has no usable Host.") }
        var response = try JSONResponse.make(SessionBody(user: UserBody(user)))
        response.setCookie(self.cookies.issue(for: user, origin: origin))
        return response
    }

    private func clientAddress(_ request: Request, context: AppRequestContext) -> String {
        if self.trustForwardedFor, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
            let first = forwarded.split(separator: ",").first
        {
            return first.trimmingCharacters(in: .whitespaces)
        }
        return context.remoteAddress.map { "\($0.ipAddress ?? "unknown")" } ?? "unknown"
    }
}

/// JSON responses with the headers every API answer carries.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)))
        }
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }
}
