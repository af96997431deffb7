import Foundation

/// What can go wrong signing in or using an allowance; the app maps each case to its envelope in one place.
public enum AccountError: Error, Equatable, Sendable {
    /// The Host header is not the configured origin.
    case untrustedHost(String)
    /// A state-changing request from another site.
    case crossSiteRequest
    /// No valid session on an API call.
    case unauthenticated
    case invalidEmail
    case passwordTooShort(minimum: Int)
    case passwordTooLong(maximum: Int)
    case emailTaken
    case invalidCredentials
    /// Too many failed logins; retry after the given seconds.
    case tooManyAttempts(retryAfterSeconds: Int)
    /// Too many guests created from one address; retry after the given seconds.
    case tooManyGuests(retryAfterSeconds: Int)
    /// Too many registration attempts from one address; retry after the given seconds.
    case tooManyRegistrations(retryAfterSeconds: Int)
    /// Development mode answers only this machine.
    case notLoopback
    /// Registering needs a guest session to turn into the account, or a fresh one.
    case alreadyRegistered
    /// The operator turned guests off (GUESTS_ENABLED=false).
    case guestsDisabled
    /// The operator closed registration (REGISTRATION=closed).
    case registrationClosed
    /// The e-mail's domain is not in ALLOWED_EMAIL_DOMAINS.
    case emailDomainNotAllowed
    /// The address is an administrator's (ADMIN_EMAILS): nobody may claim it with a password they chose,
    /// since registration does not prove the address is theirs; single sign-on or the operator creates it.
    case addressReserved
    /// An administrator disabled the account.
    case accountDisabled
    /// The daily message allowance is used up until `resetsAt`.
    case messageLimitReached(limit: Int, resetsAt: Date)
}
