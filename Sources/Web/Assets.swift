/// URLs of the browser assets in `Public/`, which the app serves under `/public/`,
/// and of the Markdown libraries it serves from Debian's packages under `/vendor/`.
enum Assets {
    static let stylesheet = "/public/css/app.css"
    /// Classic (non-module) script that applies the saved theme before first paint.
    static let themeBoot = "/public/js/theme-boot.js"
    static let chatApp = "/public/js/app.js"
    static let authApp = "/public/js/auth-page.js"
    static let icons = "/public/icons.svg"
    static let favicon = "/public/favicon.svg"

    /// Modules the chat page needs at once: preloading them flattens the import waterfall.
    static let chatModules = [
        "api.js", "dom.js", "icons.js", "storage.js", "theme.js", "menu.js", "dialog.js", "notices.js",
        "sidebar.js", "history-groups.js", "user-menu.js", "chat.js", "chat-state.js", "sse.js",
        "message-view.js", "markdown.js", "composer.js", "model-select.js", "visibility.js", "scroll.js",
        "greeting.js", "uuid.js", "clipboard.js",
    ].map { "/public/js/\($0)" }
}
