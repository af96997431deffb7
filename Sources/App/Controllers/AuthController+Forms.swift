import Accounts
import Hummingbird
import NIOCore
import Web

/// The sign-in and sign-up forms without JavaScript: form-encoded posts to the pages' own paths.
/// Success is a 303 to the chat; failure is the same page with the error and the email filled in.
/// The cross-site check runs on these as on every other POST.
extension AuthController {
    struct FormCredentials: Decodable {
        let email: String?
        let password: String?
        var redirectUrl: String?
    }

    @Sendable func loginForm(request: Request, context: AppRequestContext) async throws -> Response {
        try await self.handleForm(request, context: context, page: { Pages.login(error: $0, email: $1, options: $2) }) { credentials in
            try await self.accounts.login(
                email: credentials.email ?? "", password: credentials.password ?? "", clientAddress: context.clientAddress,
                currentUser: context.user)
        }
    }

    @Sendable func registerForm(request: Request, context: AppRequestContext) async throws -> Response {
        try await self.handleForm(request, context: context, page: { Pages.register(error: $0, email: $1, options: $2) }) { credentials in
            try await self.accounts.register(
                email: credentials.email ?? "", password: credentials.password ?? "", currentUser: context.user, clientAddress: context.clientAddress)
        }
    }

    private func handleForm(
        _ request: Request, context: AppRequestContext, page: @escaping @Sendable (_ error: String?, _ email: String?, _ options: AuthPageOptions) -> HTML,
        action: (FormCredentials) async throws -> SessionUser
    ) async throws -> Response {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.bodyLimit)
        } catch is NIOTooManyBytesError {
            throw APIError(.tooLarge, "auth", "The form is larger than the \(context.bodyLimit / 1024) KB limit.")
        }
        let credentials = (try? URLEncodedFormDecoder().decode(FormCredentials.self, from: String(buffer: buffer))) ?? FormCredentials(email: nil, password: nil)
        do {
            let user = try await action(credentials)
            let redirect = Response(status: .seeOther, headers: [.location: GuestRedirect.safePath(credentials.redirectUrl), .cacheControl: "no-store"])
            return try await self.signedIn(user, context: context, response: redirect)
        } catch let error as AccountError {
            let apiError = ErrorMapping.map(error)
            // Refill the email only when it is plausible; the page escapes it either way.
            let email = credentials.email.flatMap { $0.utf8.count <= AccountService.maximumEmailBytes ? $0 : nil }
            var response = try page(apiError.message, email, self.pageOptions(redirect: credentials.redirectUrl)).with(status: apiError.status).response(from: request, context: context)
            if let seconds = apiError.retryAfterSeconds {
                response.headers[.retryAfter] = String(seconds)
            }
            return response
        }
    }
}
