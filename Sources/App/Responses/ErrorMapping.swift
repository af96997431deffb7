import Accounts
import Foundation
import Chat
import Files
import Hummingbird
import Models
import Storage

/// The one place where every error becomes what the client sees.
enum ErrorMapping {
    static func apiError(for error: any Error) -> APIError? {
        switch error {
        case let error as APIError:
            return error
        case let error as AccountError:
            return self.map(error)
        case let error as ChatError:
            return self.map(error)
        case let error as DocumentError:
            return self.map(error)
        case let error as FileError:
            return self.map(error)
        case let error as SSOError:
            return self.map(error)
        case let error as AdminError:
            return self.map(error)
        case let error as ModelError where error.kind == .modelNotReady && error.upstreamCode == "installing":
            return APIError(.offline, "model", error.message, cause: "model installing", retryAfterSeconds: 30)
        case let error as ModelError:
            return APIError(error.kind == .throttled ? .rateLimit : .offline, "model", error.message, cause: error.upstreamCode)
        case let error as HTTPError:
            return self.map(error)
        case is DecodingError:
            return APIError(.badRequest, "api", "The request body is not valid JSON of the expected shape.")
        case let error as DatabaseUnavailable:
            return APIError(.offline, "database", "The database is not answering right now. Please try again in a moment.", cause: error.reason)
        case let error as DatabaseConflict:
            // A race no caller turned into its own error: the request is fine, the moment was not.
            return APIError(.conflict, "database", "Another request changed the same data at the same moment. Reload and try again.", cause: error.reason)
        default:
            return nil
        }
    }

    static func map(_ error: AccountError) -> APIError {
        switch error {
        case .untrustedHost(let host):
            APIError(
                .badRequest, "auth",
                "UntrustedHost: Host must be trusted. This server does not recognise '\(host)'. Set AUTH_URL to the public URL (e.g. https://chat.example.com), or AUTH_TRUST_HOST=true when it runs behind a proxy such as App Runner.",
                cause: "UntrustedHost")
        case .crossSiteRequest:
            APIError(.forbidden, "auth", "This request came from another site and was refused. Reload the page and try again.", cause: "CSRF check failed")
        case .unauthenticated:
            APIError(.unauthorized, "auth", "You need to sign in first. Reload the page to continue as a guest.")
        case .invalidEmail:
            APIError(.badRequest, "auth", "Enter a valid email address, like name@example.com.")
        case .passwordTooShort(let minimum):
            APIError(.badRequest, "auth", "Choose a password of at least \(minimum) characters.")
        case .passwordTooLong(let maximum):
            APIError(.badRequest, "auth", "Choose a password of at most \(maximum) bytes.")
        case .emailTaken:
            // Worded like any other refusal of these details: it neither confirms nor denies an account.
            APIError(.badRequest, "auth", "This email cannot be registered. If it is yours, sign in instead.", cause: "email_unavailable")
        case .invalidCredentials:
            APIError(.unauthorized, "auth", "Invalid email or password.")
        case .tooManyAttempts(let seconds):
            APIError(
                .rateLimit, "auth", "Too many failed sign-in attempts. Try again in \(Self.humanDuration(seconds)).",
                retryAfterSeconds: seconds)
        case .tooManyRegistrations(let seconds):
            APIError(
                .rateLimit, "auth", "Too many accounts were registered from your network. Try again in \(Self.humanDuration(seconds)), or sign in.",
                retryAfterSeconds: seconds)
        case .tooManyGuests(let seconds):
            APIError(
                .rateLimit, "auth", "Too many guest sessions were started from your network. Try again in \(Self.humanDuration(seconds)), or sign in.",
                retryAfterSeconds: seconds)
        case .notLoopback:
            APIError(
                .forbidden, "auth",
                "This server runs in development mode and answers only its own machine. To serve other machines, set CHATBOT_ENV=production with AUTH_SECRET and AUTH_URL.",
                cause: "development mode")
        case .alreadyRegistered:
            APIError(.badRequest, "auth", "You are already signed in to an account. Sign out first to create another.")
        case .guestsDisabled:
            APIError(.unauthorized, "auth", "Guest access is turned off on this server. Sign in to continue.", cause: "guests disabled")
        case .registrationClosed:
            APIError(.forbidden, "auth", "New accounts cannot be created here. Sign in with an existing account or single sign-on.", cause: "registration closed")
        case .emailDomainNotAllowed:
            APIError(.forbidden, "auth", "This e-mail address's domain is not allowed on this server. Use your organisation's address.", cause: "domain not allowed")
        case .addressReserved:
            APIError(
                .forbidden, "auth",
                "This address cannot be registered with a password here. Sign in with single sign-on, or ask the operator to create the account.",
                cause: "address reserved")
        case .accountDisabled:
            APIError(.forbidden, "auth", "This account has been disabled by an administrator. Ask them to re-enable it.", cause: "account disabled")
        case .messageLimitReached(let limit, let resetsAt):
            APIError(
                .rateLimit, "chat",
                "You have reached your limit of \(limit) messages per 24 hours. You can send more at \(resetsAt.formatted(.iso8601)) (in \(Self.humanDuration(Int(resetsAt.timeIntervalSinceNow.rounded(.up))))).",
                cause: "resetsAt=\(resetsAt.formatted(.iso8601))",
                retryAfterSeconds: max(1, Int(resetsAt.timeIntervalSinceNow.rounded(.up))))
        }
    }

    static func map(_ error: SSOError) -> APIError {
        switch error {
        case .notConfigured:
            APIError(.notFound, "auth", "Single sign-on is not set up on this server.")
        case .providerUnavailable:
            APIError(.offline, "auth", "The sign-in provider could not be reached or gave an unusable answer. Try again in a moment.", cause: "provider unavailable")
        case .invalidState:
            APIError(.badRequest, "auth", "This sign-in link has expired or was already used. Start the sign-in again.", cause: "invalid state")
        case .providerRefused(let code):
            APIError(.unauthorized, "auth", "The sign-in provider did not sign you in (\(code)). Start the sign-in again.", cause: "provider refused")
        case .tokenRejected:
            APIError(.unauthorized, "auth", "The sign-in provider's answer could not be verified, so you were not signed in. Start the sign-in again.", cause: "token rejected")
        case .emailMissing:
            APIError(.forbidden, "auth", "The sign-in provider did not share your e-mail address, which this server needs. Ask your administrator.", cause: "email missing")
        case .emailNotVerified:
            APIError(.forbidden, "auth", "Your e-mail address is not verified at the sign-in provider. Verify it there, then sign in again.", cause: "email not verified")
        }
    }

    static func map(_ error: AdminError) -> APIError {
        switch error {
        // Word for word what a missing route answers: the admin API does not exist for anyone else.
        case .notAdmin: self.map(HTTPError(.notFound))
        case .userNotFound: APIError.notFound("admin", "User")
        case .invalidUserID: APIError(.badRequest, "admin", "The user id in the path is not a valid id. Use an id from GET /api/admin/users.")
        case .cannotDisableSelf: APIError(.badRequest, "admin", "You cannot disable your own account. Ask another administrator to do it.")
        case .allowanceOutOfRange(let range):
            APIError(
                .badRequest, "admin",
                "'messagesPerDay' must be a whole number from \(range.lowerBound) to \(range.upperBound), or null to use the default allowance.")
        case .listLimitOutOfRange(let range):
            APIError(.badRequest, "admin", "'limit' must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
    }

    static func map(_ error: ChatError) -> APIError {
        switch error {
        case .unknownModel(let id):
            APIError(.badRequest, "chat", "The model '\(id)' is not available here. Pick one from the model list (GET /api/models).", cause: "unknown model")
        case .emptyMessage:
            APIError(.badRequest, "chat", "The message is empty. Type something to send.")
        case .messageTooLong(let limit):
            APIError(.badRequest, "chat", "The message is too long: the limit is \(limit) characters (counted as Unicode code points). Shorten it or split it in parts.")
        case .chatNotFound:
            APIError.notFound("chat", "Chat")
        case .messageNotFound:
            APIError.notFound("vote", "Message")
        case .nothingToRegenerate:
            APIError(.badRequest, "chat", "There is no answer to regenerate in this chat yet.")
        case .answerInProgress:
            APIError(.conflict, "chat", "An answer is still being written in this chat. Wait for it or stop it first.", cause: "answer in progress")
        case .messageIDTaken:
            APIError(.badRequest, "chat", "This message id is already used by another chat. Send the message with a new id.", cause: "message id taken")
        case .concurrentChange:
            APIError(.conflict, "chat", "This chat was changed by another request at the same moment. Reload the chat and try again.", cause: "concurrent change")
        case .shuttingDown:
            APIError(.offline, "chat", "The server is restarting and cannot start an answer now. Try again in a moment.")
        case .invalidRequest(let message):
            APIError(.badRequest, "chat", message)
        }
    }

    static func map(_ error: DocumentError) -> APIError {
        switch error {
        case .documentNotFound: APIError.notFound("document", "Document")
        case .versionNotFound: APIError(.notFound, "document", "This document has no version at that timestamp. Use a createdAt from GET /api/document.")
        case .invalid(let message): APIError(.badRequest, "document", message)
        }
    }

    static func map(_ error: FileError) -> APIError {
        switch error {
        case .missingFile:
            APIError(.badRequest, "files", "Send the file as multipart/form-data in a field named \"file\".")
        case .malformedUpload(let detail):
            APIError(.badRequest, "files", "The upload is not valid multipart/form-data: \(detail).")
        case .empty:
            APIError(.badRequest, "files", "The file is empty.")
        case .unsupportedType(let name, let detail):
            APIError(
                .badRequest, "files",
                "\(name) cannot be attached: \(detail). Attach PNG, JPEG, GIF or WebP images, or PDF, DOCX, XLSX, CSV, TXT or MD documents.",
                cause: "unsupported type")
        case .tooLarge(let name, let limit, let isImage):
            APIError(
                .tooLarge, "files",
                "\(name) is too large: \(isImage ? "images" : "files") may be at most \(Self.megabytes(limit)).")
        case .imageTooLarge(let name, let width, let height, let limit):
            APIError(
                .badRequest, "files",
                "\(name) is \(width)×\(height) pixels: images may be at most \(limit)×\(limit). Scale it down and attach it again.",
                cause: "image dimensions")
        case .uploadLimit(let files, let bytes, let windowSeconds, let retryAfterSeconds):
            APIError(
                .rateLimit, "files",
                "You have uploaded as much as allowed for now (\(files) files or \(Self.megabytes(bytes)) per \(windowSeconds / 60) minutes). Try again in \(Self.minutes(retryAfterSeconds)).",
                cause: "upload limit", retryAfterSeconds: retryAfterSeconds)
        case .tooManyFiles(let limit):
            APIError(.badRequest, "files", "A message can carry at most \(limit) files. Send this message first, or remove some.")
        case .notFound:
            APIError.notFound("files", "File")
        case .chatNotYours:
            APIError.notFound("files", "Chat")
        }
    }

    static func minutes(_ seconds: Int) -> String {
        seconds < 60 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
    }

    static func megabytes(_ bytes: Int) -> String {
        let value = Double(bytes) / 1_000_000
        return value.formatted(.number.precision(.fractionLength(0...2))) + " MB"
    }

    static func map(_ error: HTTPError) -> APIError {
        switch error.status {
        case .notFound: APIError(.notFound, "api", "There is no such endpoint.")
        case .methodNotAllowed: APIError(.badRequest, "api", "This endpoint does not accept that method.")
        case .contentTooLarge: APIError(.tooLarge, "api", "The request body is too large.")
        case .unauthorized: APIError(.unauthorized, "auth", error.body ?? "You need to sign in first.")
        case .forbidden: APIError(.forbidden, "api", error.body ?? "You may not do that.")
        default: APIError(.badRequest, "api", error.body ?? "The request could not be processed.")
        }
    }

    static func humanDuration(_ seconds: Int) -> String {
        let seconds = max(seconds, 1)
        if seconds < 90 { return "\(seconds) seconds" }
        if seconds < 5400 { return "\((seconds + 59) / 60) minutes" }
        return "\((seconds + 3599) / 3600) hours"
    }
}
