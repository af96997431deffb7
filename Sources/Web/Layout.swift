/// The document shell every page shares: head, security-friendly asset links, no inline script or style.
enum Layout {
    /// A full HTML document.
    /// - Parameters:
    ///   - title: the page title; "Chatbot" is appended.
    ///   - bodyClass: a class naming the kind of page, for the stylesheet.
    ///   - script: the ES module entry point, if the page needs one.
    ///   - preload: modules to fetch in parallel with the entry point.
    ///   - extraStylesheet: a second stylesheet for pages that need more than the shared one.
    static func page(
        title: String?,
        bodyClass: String,
        script: String? = nil,
        preload: [String] = [],
        extraStylesheet: String? = nil,
        body: HTML
    ) -> HTML {
        let fullTitle = title.map { "\($0) - Chatbot" } ?? "Chatbot"
        let scriptTag: HTML = script.map { "<script type=\"module\" src=\"\($0)\"></script>" } ?? ""
        let extraStyles: HTML = extraStylesheet.map { "<link rel=\"stylesheet\" href=\"\($0)\">" } ?? ""
        let preloads = preload.map { (url: String) -> HTML in "<link rel=\"modulepreload\" href=\"\(url)\">" }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
            <meta name="color-scheme" content="light dark">
            <meta name="referrer" content="strict-origin-when-cross-origin">
            <title>\(fullTitle)</title>
            <link rel="icon" href="\(Assets.favicon)" type="image/svg+xml">
            <link rel="stylesheet" href="\(Assets.stylesheet)">
            \(extraStyles)
            <script src="\(Assets.themeBoot)"></script>
            \(scriptTag)
            \(preloads)
            </head>
            <body class="\(bodyClass)">
            \(body)
            <div class="toasts" id="toasts" role="status" aria-live="polite"></div>
            </body>
            </html>
            """
    }
}
