import Hummingbird

extension Pages {
    /// A friendly 404 page, served with status 404.
    public static func notFound() -> HTML {
        self.statusPage(
            title: "Page not found", code: "404",
            message: "This page does not exist, or the chat is private or was deleted.",
            detail: nil
        ).with(status: .notFound)
    }

    /// A friendly error page, served with status 500. `requestID` lets a user quote the failure to an operator.
    public static func error(message: String, requestID: String?) -> HTML {
        let detail: HTML? = requestID.map { "<p class=\"status-detail\">Request ID: <code>\($0)</code></p>" }
        return self.statusPage(title: "Something went wrong", code: "Error", message: message, detail: detail)
            .with(status: .internalServerError)
    }

    static func statusPage(title: String, code: String, message: String, detail: HTML?) -> HTML {
        let body: HTML = """
            <main class="status-main" id="main">
            <div class="status-card">
            <p class="status-code">\(code)</p>
            <h1 class="status-title">\(title)</h1>
            <p class="status-message">\(message)</p>
            \(detail ?? "")
            <p class="status-actions"><a class="button button-primary" href="/">Go to a new chat</a></p>
            </div>
            </main>
            """
        return Layout.page(title: title, bodyClass: "page-status", extraStylesheet: Assets.pagesStylesheet, body: body)
    }
}
