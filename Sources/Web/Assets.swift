/// URLs of the browser assets in `Public/`, which the app serves under `/public/`,
/// and of the Markdown libraries it serves from Debian's packages under `/vendor/`.
enum Assets {
    static let stylesheet = "/public/css/app.css"
    /// Extra styles for the sign-in, sign-up and status pages; the chat page never downloads them.
    static let pagesStylesheet = "/public/css/pages.css"
    /// Styles of the messages; a new chat loads them with the conversation modules, a stored chat links them.
    static let conversationStylesheet = "/public/css/conversation.css"
    /// Classic (non-module) script that applies the saved theme before first paint.
    static let themeBoot = "/public/js/theme-boot.js"
    static let chatApp = "/public/js/app.js"
    static let authApp = "/public/js/auth-page.js"
    /// The admin page's module and styles; no other page loads them.
    static let adminApp = "/public/js/admin.js"
    static let adminStylesheet = "/public/css/admin.css"
    static let icons = "/public/icons.svg"
    static let favicon = "/public/favicon.svg"

    /// Modules the chat page needs at once: preloading them flattens the import waterfall.
    static let chatModules = [
        "api.js", "dom.js", "icons.js", "storage.js", "theme.js", "menu.js", "notices.js",
        "sidebar.js", "history-groups.js", "user-menu.js", "chat.js", "composer.js", "model-select.js",
        "visibility.js", "scroll.js", "greeting.js", "uuid.js",
    ].map { "/public/js/\($0)" }

    /// Modules that show messages. A new chat loads them on demand (keeping its first load light);
    /// an existing chat needs them at once.
    static let conversationModules = [
        "conversation.js", "answer-stream.js", "chat-state.js", "clipboard.js", "markdown.js", "message-view.js", "sse.js",
        "markdown-dom.js", "tool-view.js", "artifact-data.js",
    ].map { "/public/js/\($0)" }
}
