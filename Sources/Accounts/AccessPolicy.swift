import Foundation

/// Who may get in: an operator's choice, read once at start. Enforced by AccountService and the session routes.
public struct AccessPolicy: Sendable, Equatable {
    /// Whether signed-out visitors get a guest session; off, they are sent to sign in.
    public var guestsEnabled: Bool
    /// Whether anyone may create an account with a password; closed, only SSO and existing accounts get in.
    public var registrationOpen: Bool
    /// Lower-case domains an e-mail must belong to for registration and SSO; empty allows every domain.
    public var allowedEmailDomains: [String]
    /// Lower-case e-mail addresses of the administrators.
    public var adminEmails: Set<String>

    public init(guestsEnabled: Bool = true, registrationOpen: Bool = true, allowedEmailDomains: [String] = [], adminEmails: Set<String> = []) {
        self.guestsEnabled = guestsEnabled
        self.registrationOpen = registrationOpen
        self.allowedEmailDomains = allowedEmailDomains.map { $0.lowercased() }
        self.adminEmails = Set(adminEmails.map { $0.lowercased() })
    }

    /// Whether a normalised e-mail's domain is allowed. Exact matches only: `example.com` does not admit
    /// `evil-example.com` nor `mail.example.com` (list subdomains explicitly).
    public func allowsDomain(of email: String) -> Bool {
        guard !self.allowedEmailDomains.isEmpty else { return true }
        guard let at = email.lastIndex(of: "@") else { return false }
        let domain = email[email.index(after: at)...].lowercased()
        return self.allowedEmailDomains.contains(domain)
    }

    public func isAdmin(_ user: SessionUser) -> Bool {
        guard !user.isGuest, let email = user.email else { return false }
        return self.adminEmails.contains(email.lowercased())
    }
}
