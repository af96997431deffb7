import Accounts
@testable import App
import Files
import Foundation
import HTTPTypes
import Models
import Testing

/// Every AccountError and ModelError has one envelope: status, code, an actionable message.
/// The switches are exhaustive on purpose: a new case does not compile here until its mapping is decided.
@Suite("Error mapping") struct ErrorMappingTests {
    static let accountErrors: [AccountError] = [
        .untrustedHost("evil.example"), .crossSiteRequest, .unauthenticated, .invalidEmail, .passwordTooShort(minimum: 8),
        .passwordTooLong(maximum: 72), .emailTaken, .invalidCredentials, .tooManyAttempts(retryAfterSeconds: 125), .alreadyRegistered,
        .tooManyGuests(retryAfterSeconds: 125), .tooManyRegistrations(retryAfterSeconds: 125), .notLoopback, .guestsDisabled, .registrationClosed,
        .emailDomainNotAllowed, .addressReserved, .accountDisabled,
        .messageLimitReached(limit: 20, resetsAt: Date().addingTimeInterval(2 * 3600)),
    ]

    static func expected(_ error: AccountError) -> (status: HTTPResponse.Status, code: String, says: String) {
        switch error {
        case .untrustedHost: (.badRequest, "bad_request:auth", "AUTH_URL")
        case .crossSiteRequest: (.forbidden, "forbidden:auth", "another site")
        case .unauthenticated: (.unauthorized, "unauthorized:auth", "sign in")
        case .invalidEmail: (.badRequest, "bad_request:auth", "name@example.com")
        case .passwordTooShort: (.badRequest, "bad_request:auth", "at least 8 characters")
        case .passwordTooLong: (.badRequest, "bad_request:auth", "at most 72 bytes")
        case .emailTaken: (.badRequest, "bad_request:auth", "cannot be registered")
        case .invalidCredentials: (.unauthorized, "unauthorized:auth", "Invalid email or password")
        case .tooManyAttempts: (.tooManyRequests, "rate_limit:auth", "3 minutes")
        case .alreadyRegistered: (.badRequest, "bad_request:auth", "Sign out first")
        case .tooManyGuests: (.tooManyRequests, "rate_limit:auth", "3 minutes")
        case .tooManyRegistrations: (.tooManyRequests, "rate_limit:auth", "3 minutes")
        case .notLoopback: (.forbidden, "forbidden:auth", "CHATBOT_ENV=production")
        case .guestsDisabled: (.unauthorized, "unauthorized:auth", "Guest access is turned off")
        case .registrationClosed: (.forbidden, "forbidden:auth", "cannot be created")
        case .emailDomainNotAllowed: (.forbidden, "forbidden:auth", "domain is not allowed")
        case .addressReserved: (.forbidden, "forbidden:auth", "single sign-on")
        case .accountDisabled: (.forbidden, "forbidden:auth", "disabled")
        case .messageLimitReached: (.tooManyRequests, "rate_limit:chat", "20 messages per 24 hours")
        }
    }

    @Test("each AccountError maps to its status, code and advice", arguments: Self.accountErrors)
    func accountError(_ error: AccountError) throws {
        let mapped = try #require(ErrorMapping.apiError(for: error))
        let expected = Self.expected(error)
        #expect(mapped.status == expected.status)
        #expect(mapped.code == expected.code)
        #expect(mapped.message.contains(expected.says), "\(mapped.message)")
        switch error {
        case .tooManyAttempts(let seconds), .tooManyGuests(let seconds), .tooManyRegistrations(let seconds): #expect(mapped.retryAfterSeconds == seconds)
        case .messageLimitReached(_, let resetsAt):
            // Counted down from now to the reset: compare with the same count taken right after.
            #expect(abs(Double(mapped.retryAfterSeconds ?? 0) - resetsAt.timeIntervalSinceNow) < 2)
        default: #expect(mapped.retryAfterSeconds == nil)
        }
    }

    static let modelKinds: [ModelError.Kind] = [
        .accessDenied, .inferenceProfileRequired, .marketplaceSubscription, .credentialsMissing, .credentialsExpired, .throttled,
        .modelNotReady, .invalidRequest, .modelNotFound, .timeout, .unavailable, .modelStreamError, .invalidResponse, .network, .unknown,
        .modelNotEnabled, .legacyModel, .busy,
    ]

    /// Throttling is the client's to wait out (429); every other model failure is the service being unable (503).
    static func expectedStatus(_ kind: ModelError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .throttled: .tooManyRequests
        case .accessDenied, .inferenceProfileRequired, .marketplaceSubscription, .credentialsMissing, .credentialsExpired, .modelNotReady,
            .invalidRequest, .modelNotFound, .timeout, .unavailable, .modelStreamError, .invalidResponse, .network, .unknown,
            .modelNotEnabled, .legacyModel, .busy:
            .serviceUnavailable
        }
    }

    @Test("each ModelError kind maps to its status, keeps its message and names the upstream code", arguments: Self.modelKinds)
    func modelError(_ kind: ModelError.Kind) throws {
        let error = ModelError(kind: kind, message: "What happened to \(kind.rawValue), and the fix.", upstreamCode: "Upstream\(kind.rawValue)")
        let mapped = try #require(ErrorMapping.apiError(for: error))
        #expect(mapped.status == Self.expectedStatus(kind))
        #expect(mapped.code == (kind == .throttled ? "rate_limit:model" : "offline:model"))
        #expect(mapped.message == error.message)
        #expect(mapped.cause == "Upstream\(kind.rawValue)")
    }

    static let fileErrors: [FileError] = [
        .missingFile, .malformedUpload("no boundary"), .empty, .unsupportedType(name: "cat.png", detail: "HTML, SVG and XML are not accepted"),
        .tooLarge(name: "big.png", limit: 3_750_000, isImage: true), .tooManyFiles(limit: 20), .notFound, .chatNotYours,
        .imageTooLarge(name: "wide.png", width: 9000, height: 10, limit: 8000),
        .uploadLimit(files: 200, bytes: 300_000_000, windowSeconds: 3600, retryAfterSeconds: 125),
    ]

    static func expected(_ error: FileError) -> (status: HTTPResponse.Status, code: String, says: String) {
        switch error {
        case .missingFile: (.badRequest, "bad_request:files", "named \"file\"")
        case .malformedUpload: (.badRequest, "bad_request:files", "no boundary")
        case .empty: (.badRequest, "bad_request:files", "empty")
        case .unsupportedType: (.badRequest, "bad_request:files", "cat.png cannot be attached: HTML, SVG")
        case .tooLarge: (.contentTooLarge, "too_large:files", "big.png is too large: images may be at most 3.75 MB")
        case .tooManyFiles: (.badRequest, "bad_request:files", "at most 20 files")
        case .notFound: (.notFound, "not_found:files", "File was not found")
        case .chatNotYours: (.notFound, "not_found:files", "Chat was not found")
        case .imageTooLarge: (.badRequest, "bad_request:files", "wide.png is 9000×10 pixels: images may be at most 8000×8000")
        case .uploadLimit: (.tooManyRequests, "rate_limit:files", "(200 files or 300 MB per 60 minutes). Try again in 3 minutes")
        }
    }

    @Test("each FileError maps to its status, code and advice", arguments: Self.fileErrors)
    func fileError(_ error: FileError) throws {
        let mapped = try #require(ErrorMapping.apiError(for: error))
        let expected = Self.expected(error)
        #expect(mapped.status == expected.status)
        #expect(mapped.code == expected.code)
        #expect(mapped.message.contains(expected.says), "\(mapped.message)")
        if case .uploadLimit(_, _, _, let seconds) = error { #expect(mapped.retryAfterSeconds == seconds) }
    }

    @Test("an error nobody mapped is not given an envelope here (it becomes a logged 500 with a request id)")
    func unmapped() {
        struct Surprise: Error {}
        #expect(ErrorMapping.apiError(for: Surprise()) == nil)
    }
}
