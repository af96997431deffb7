import Accounts
import Chat
import Foundation
import Hummingbird
import NIOCore
import Storage
import Web

/// The HTML pages. Data comes from the JSON API; these only render the shell for the right viewer.
struct PageController {
    let chats: ChatQueries
    let vendorDirectory: String
    let access: AccessConfiguration

    /// Debian's packaged browser libraries we serve, by public name: nothing else under the folder is reachable.
    static let vendorFiles = [
        "marked.min.js": "marked/marked.min.js",
        // Syntax highlighting in the artifact panel's code editor (libjs-highlight.js); optional.
        "highlight.min.js": "highlight.js/highlight.min.js",
    ]

    /// The new-chat page: a visitor without a session is signed in as a guest first.
    var sessionRoutes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/", use: self.newChat)
        return routes
    }

    /// A chat page decides for itself (public chats need no session); sign-in pages and scripts are open.
    var publicRoutes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/chat/{id}", use: self.chatPage)
        routes.get("/login", use: self.login)
        routes.get("/register", use: self.register)
        routes.get("/vendor/{file}", use: self.vendor)
        return routes
    }

    @Sendable func newChat(request: Request, context: AppRequestContext) async throws -> HTML {
        let user = try context.requireUser()
        return Pages.chat(
            user: user.email, isGuest: user.isGuest, chatID: nil, readOnly: false, chatTitle: nil, isAdmin: self.access.policy.isAdmin(user))
    }

    /// Owners get the chat; anyone gets a public chat read-only (no session needed for that);
    /// someone else's private chat is a 404 page.
    @Sendable func chatPage(request: Request, context: AppRequestContext) async throws -> Response {
        guard let raw = context.parameters.get("id"), let chatID = UUID(uuidString: raw) else {
            return try Pages.notFound().with(status: .notFound).response(from: request, context: context)
        }
        if context.user != nil, let clean = CookieCheck.withoutMarker(path: request.uri.path, query: request.uri.query) {
            return Response(status: .seeOther, headers: [.location: clean, .cacheControl: "no-store"])
        }
        do {
            let view = try await self.chats.view(chatID: chatID, viewer: context.user)
            let user = context.user
            return try Pages.chat(
                user: user?.email, isGuest: user?.isGuest ?? true, chatID: chatID, readOnly: !view.isOwner, chatTitle: view.chat.title,
                isAdmin: user.map(self.access.policy.isAdmin) ?? false
            ).response(from: request, context: context)
        } catch ChatError.chatNotFound {
            if context.user == nil {
                // Maybe it is the visitor's own chat from a session they no longer send: sign in as guest first.
                return try await RequireSessionMiddleware(guestsEnabled: self.access.policy.guestsEnabled).handle(request, context: context) { _, _ in Response(status: .ok) }
            }
            return try Pages.notFound().with(status: .notFound).response(from: request, context: context)
        }
    }

    @Sendable func login(request: Request, context: AppRequestContext) async throws -> Response {
        if context.user?.kind == .regular { return Self.home(context) }
        return try Pages.login(error: nil, email: nil, options: self.options(request)).response(from: request, context: context)
    }

    @Sendable func register(request: Request, context: AppRequestContext) async throws -> Response {
        if context.user?.kind == .regular { return Self.home(context) }
        guard self.access.policy.registrationOpen else { return Response(status: .seeOther, headers: [.location: "/login"]) }
        return try Pages.register(error: nil, email: nil, options: self.options(request)).response(from: request, context: context)
    }

    @Sendable func vendor(request: Request, context: AppRequestContext) async throws -> Response {
        guard let name = context.parameters.get("file"), let relative = Self.vendorFiles[name],
            let data = FileManager.default.contents(atPath: (self.vendorDirectory as NSString).appendingPathComponent(relative))
        else {
            throw APIError(.notFound, "api", "There is no such file.")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=86400"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func options(_ request: Request) -> AuthPageOptions {
        AuthPageOptions(
            guestsEnabled: self.access.policy.guestsEnabled, registrationOpen: self.access.policy.registrationOpen,
            ssoName: self.access.oidc?.displayName, redirect: GuestRedirect.safePath(request.uri.queryParameters.get("redirectUrl")))
    }

    static func home(_ context: AppRequestContext) -> Response {
        Response(status: .seeOther, headers: [.location: "/"])
    }
}
