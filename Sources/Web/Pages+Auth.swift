extension Pages {
    /// The sign-in page. `error` is shown above the form; `email` refills the field after a failed attempt.
    public static func login(error: String?, email: String?) -> HTML {
        self.authPage(
            kind: "login", title: "Sign In", subtitle: "Use your email and password to sign in",
            submit: "Sign in", error: error, email: email,
            footer: "<p class=\"auth-switch\">Don't have an account? <a href=\"/register\">Sign up</a> for free.</p>"
        )
    }

    /// The sign-up page. A guest who registers keeps the chats made as a guest.
    public static func register(error: String?, email: String?) -> HTML {
        self.authPage(
            kind: "register", title: "Sign Up", subtitle: "Create an account with your email and password",
            submit: "Sign up", error: error, email: email,
            footer: "<p class=\"auth-switch\">Already have an account? <a href=\"/login\">Sign in</a> instead.</p>"
        )
    }

    /// One form for both pages. Without JavaScript it posts `email` and `password` form-encoded to
    /// its own path; with JavaScript `auth-page.js` sends JSON to `/api/auth/<kind>` instead.
    static func authPage(kind: String, title: String, subtitle: String, submit: String, error: String?, email: String?, footer: HTML) -> HTML {
        let errorBlock: HTML = """
            <p class="form-error" id="auth-error" role="alert"\(error == nil ? HTML(" hidden") : HTML(""))>\(error)</p>
            """
        let passwordAutocomplete = kind == "login" ? "current-password" : "new-password"
        // The length rule helps when choosing a password, not when typing an existing one.
        let hint: HTML = kind == "register" ? "<p class=\"field-hint\" id=\"password-hint\">At least 8 characters.</p>" : ""
        let describedBy: HTML = kind == "register" ? " aria-describedby=\"password-hint\"" : ""
        let body: HTML = """
            <main class="auth-main" id="main">
            <div class="auth-card">
            <a class="brand auth-brand" href="/">\(Icon.sparkles.html)<span>Chatbot</span></a>
            <h1 class="auth-title">\(title)</h1>
            <p class="auth-subtitle">\(subtitle)</p>
            <form class="auth-form" id="auth-form" method="post" action="/\(kind)" data-kind="\(kind)" novalidate>
            \(errorBlock)
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
            <p class="auth-back"><a href="/">Continue as guest</a></p>
            </div>
            </main>
            """
        return Layout.page(title: title, bodyClass: "page-auth", script: Assets.authApp, extraStylesheet: Assets.pagesStylesheet, body: body)
    }
}
