import Foundation
import Hummingbird

/// What the sign-in pages offer, as the operator configured it.
public struct AuthPageOptions: Sendable {
    public var guestsEnabled: Bool
    public var registrationOpen: Bool
    /// The provider's name for the single sign-on button; nil hides it.
    public var ssoName: String?
    /// A same-origin path to return to after signing in.
    public var redirect: String

    public init(guestsEnabled: Bool = true, registrationOpen: Bool = true, ssoName: String? = nil, redirect: String = "/") {
        self.guestsEnabled = guestsEnabled
        self.registrationOpen = registrationOpen
        self.ssoName = ssoName
        self.redirect = redirect
    }
}

extension Pages {
    /// The sign-in page. `error` is shown above the form; `email` refills the field after a failed attempt.
    public static func login(error: String?, email: String?, options: AuthPageOptions = AuthPageOptions()) -> HTML {
        let footer: HTML = options.registrationOpen
            ? "<p class=\"auth-switch\">Don't have an account? <a href=\"/register\">Sign up</a> for free.</p>" : ""
        return self.authPage(
            kind: "login", title: "Sign In", subtitle: "Use your email and password to sign in",
            submit: "Sign in", error: error, email: email, options: options, footer: footer
        )
    }

    /// The sign-up page. A guest who registers keeps the chats made as a guest.
    public static func register(error: String?, email: String?, options: AuthPageOptions = AuthPageOptions()) -> HTML {
        self.authPage(
            kind: "register", title: "Sign Up", subtitle: "Create an account with your email and password",
            submit: "Sign up", error: error, email: email, options: options,
            footer: "<p class=\"auth-switch\">Already have an account? <a href=\"/login\">Sign in</a> instead.</p>"
        )
    }

    /// Single sign-on could not finish: says why and offers to try again.
    public static func signInFailed(message: String, ssoName: String?) -> HTML {
        let retry: HTML = ssoName.map { "<p class=\"status-actions\"><a class=\"button button-primary\" href=\"/api/auth/sso\">Try \($0) again</a></p>" } ?? ""
        return self.statusPage(title: "Sign-in failed", code: "Sign-in", message: message, detail: retry).with(status: .badRequest)
    }

    /// The browser refused the session cookie, so no page can remember who it is.
    public static func cookiesNeeded() -> HTML {
        self.statusPage(
            title: "Cookies are needed", code: "Cookies",
            message: "This site needs a cookie to remember your session, and your browser did not keep it. Allow cookies for this site, then reload the page.",
            detail: nil
        ).with(status: .badRequest)
    }

    /// One form for both pages. Without JavaScript it posts `email` and `password` form-encoded to
    /// its own path; with JavaScript `auth-page.js` sends JSON to `/api/auth/<kind>` instead.
    static func authPage(
        kind: String, title: String, subtitle: String, submit: String, error: String?, email: String?, options: AuthPageOptions, footer: HTML
    ) -> HTML {
        let errorBlock: HTML = """
            <p class="form-error" id="auth-error" role="alert"\(error == nil ? HTML(" hidden") : HTML(""))>\(error)</p>
            """
        let passwordAutocomplete = kind == "login" ? "current-password" : "new-password"
        // The length rule helps when choosing a password, not when typing an existing one.
        let hint: HTML = kind == "register" ? "<p class=\"field-hint\" id=\"password-hint\">At least 8 characters.</p>" : ""
        let describedBy: HTML = kind == "register" ? " aria-describedby=\"password-hint\"" : ""
        let sso: HTML = options.ssoName.map {
            """
            <a class="button button-primary button-block" id="sso-button" href="/api/auth/sso?redirectUrl=\(Self.queryValue(options.redirect))">Sign in with \($0)</a>
            <p class="auth-or">or</p>
            """
        } ?? ""
        let guest: HTML = options.guestsEnabled ? "<p class=\"auth-back\"><a href=\"/\">Continue as guest</a></p>" : ""
        let body: HTML = """
            <main class="auth-main" id="main">
            <div class="auth-card">
            <a class="brand auth-brand" href="/">\(Icon.sparkles.html)<span>Chatbot</span></a>
            <h1 class="auth-title">\(title)</h1>
            <p class="auth-subtitle">\(subtitle)</p>
            \(sso)
            <form class="auth-form" id="auth-form" method="post" action="/\(kind)" data-kind="\(kind)" data-redirect="\(options.redirect)" novalidate>
            \(errorBlock)
            <input type="hidden" name="redirectUrl" value="\(options.redirect)">
            <div class="field">
            <label for="email">Email address</label>
            <input id="email" name="email" type="email" placeholder="user@acme.com" autocomplete="email" required autofocus value="\(email)">
            </div>
            <div class="field">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="\(passwordAutocomplete)" required\(describedBy)>
            \(hint)
            </div>
            <button type="submit" class="button button-primary button-block" id="auth-submit">\(submit)</button>
            </form>
            \(footer)
            \(guest)
            </div>
            </main>
            """
        return Layout.page(title: title, bodyClass: "page-auth", script: Assets.authApp, extraStylesheet: Assets.pagesStylesheet, body: body)
    }
}

extension Pages {
    /// A path as a query value (the HTML escaping is applied on top when interpolated).
    static func queryValue(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? "/"
    }
}
