import Foundation

extension Pages {
    /// Prompts offered on an empty chat; clicking one sends it.
    static let suggestions: [(title: String, detail: String)] = [
        ("What are the advantages", "of using Swift on the server?"),
        ("Write code to", "demonstrate Dijkstra's algorithm"),
        ("Help me write an essay", "about Silicon Valley"),
        ("Explain how", "server-sent events work"),
    ]

    /// The chat application shell: sidebar, header, messages and composer.
    /// - Parameters:
    ///   - email: the signed-in user's email; `nil` for guests.
    ///   - isGuest: whether the session is a guest session.
    ///   - chatID: the chat to show; `nil` for a new chat (the browser picks its id).
    ///   - readOnly: a public chat shown to someone who does not own it: no composer, no votes.
    ///   - chatTitle: the chat's title for `<title>`, when known.
    ///   - isAdmin: whether the user menu links to the admin page.
    public static func chat(user email: String?, isGuest: Bool, chatID: UUID?, readOnly: Bool, chatTitle: String?, isAdmin: Bool = false) -> HTML {
        let chatIDString = chatID.map { $0.uuidString.lowercased() } ?? ""
        let heading = chatTitle ?? (chatID == nil ? "New chat" : "Chat")
        let body: HTML = """
            <a class="skip-link" href="\(readOnly ? "#messages" : "#composer-input")">Skip to \(readOnly ? "messages" : "message box")</a>
            <div class="app" id="app" data-chat-id="\(chatIDString)" data-new-chat="\(chatID == nil ? "true" : "false")" data-read-only="\(readOnly ? "true" : "false")" data-user-type="\(isGuest ? "guest" : "regular")" data-user-email="\(email)"\(isAdmin ? HTML(" data-admin=\"true\"") : "")>
            \(self.sidebar(email: email, isGuest: isGuest))
            <div class="sidebar-backdrop" id="sidebar-backdrop" hidden></div>
            <div class="workspace">
            \(self.header(readOnly: readOnly))
            <main class="chat-main" id="main">
            <h1 class="visually-hidden" id="chat-heading">\(heading)</h1>
            \(readOnly ? self.readOnlyBanner : "")
            <div class="messages" id="messages" tabindex="-1">
            <div class="messages-inner">
            \(chatID == nil ? self.greeting : "")
            <div class="message-list" id="message-list" role="log" aria-label="Messages" aria-live="polite"></div>
            <div class="chat-notice-area" id="chat-notices"></div>
            </div>
            </div>
            <button type="button" class="scroll-bottom" id="scroll-bottom" aria-label="Scroll to latest message" hidden><svg class="icon" aria-hidden="true" focusable="false"><use href="\(Assets.icons)#i-arrow-down"></use></svg></button>
            </main>
            \(readOnly ? "" : self.composer)
            </div>
            </div>
            """
        // A new chat loads the conversation modules and styles on demand; an existing one needs them at once.
        let preload = Assets.chatModules + (chatID == nil ? [] : Assets.conversationModules)
        return Layout.page(
            title: chatTitle, bodyClass: "page-chat", script: Assets.chatApp, preload: preload,
            extraStylesheet: chatID == nil ? nil : Assets.conversationStylesheet, body: body)
    }

    static func sidebar(email: String?, isGuest: Bool) -> HTML {
        let label = isGuest ? "Guest" : (email ?? "Account")
        return """
            <aside class="sidebar" id="sidebar" aria-label="Sidebar">
            <div class="sidebar-head">
            <a class="brand" href="/">Chatbot</a>
            <div class="sidebar-head-actions">
            <button type="button" class="icon-button" id="delete-all" aria-label="Delete all chats" title="Delete all chats"><svg class="icon" aria-hidden="true" focusable="false"><use href="\(Assets.icons)#i-trash"></use></svg></button>
            <a class="icon-button" href="/" id="sidebar-new-chat" aria-label="New chat" title="New chat">\(Icon.plus.html)</a>
            </div>
            </div>
            <nav class="history" id="history" aria-label="Chat history">
            <div id="history-groups"></div>
            <p class="history-status" id="history-status" aria-live="polite">Loading chats…</p>
            <div class="history-sentinel" id="history-sentinel"></div>
            </nav>
            <div class="sidebar-foot">
            <button type="button" class="user-button" id="user-button" aria-haspopup="menu" aria-expanded="false">
            <span class="avatar" id="user-avatar" aria-hidden="true"></span>
            <span class="user-label" id="user-label">\(label)</span>
            \(Icon.chevronDown.html)
            </button>
            </div>
            </aside>
            """
    }

    static func header(readOnly: Bool) -> HTML {
        """
        <header class="chat-header">
        <button type="button" class="icon-button" id="sidebar-toggle" aria-label="Toggle sidebar" aria-controls="sidebar" aria-expanded="true" title="Toggle sidebar (Ctrl+B)">\(Icon.sidebar.html)</button>
        <a class="button button-outline header-new-chat" href="/" id="header-new-chat">\(Icon.plus.html)<span>New chat</span></a>
        <div class="header-spacer"></div>
        \(readOnly ? HTML("") : HTML("<div class=\"visibility-root\" id=\"visibility-root\"></div>"))
        </header>
        """
    }

    static let readOnlyBanner: HTML = """
        <div class="readonly-banner" role="note">\(Icon.globe.html)<span>You are viewing a shared chat. It is read-only.</span> <a href="/">Start your own chat</a></div>
        """

    static var greeting: HTML {
        let buttons = self.suggestions.map { suggestion -> HTML in
            """
            <button type="button" class="suggestion" data-suggestion="\(suggestion.title) \(suggestion.detail)"><span class="suggestion-title">\(suggestion.title)</span><span class="suggestion-detail">\(suggestion.detail)</span></button>
            """
        }
        return """
            <section class="greeting" id="greeting" aria-labelledby="greeting-title">
            <h2 class="greeting-title" id="greeting-title">Hello there!</h2>
            <p class="greeting-subtitle">How can I help you today?</p>
            <div class="suggestions" id="suggestions" aria-label="Suggested prompts" role="group">\(buttons)</div>
            </section>
            """
    }

    static let composer: HTML = """
        <form class="composer" id="composer" aria-label="Send a message">
        <div class="composer-box">
        <ul class="composer-attachments" id="composer-attachments" aria-label="Attachments" hidden></ul>
        <label class="visually-hidden" for="composer-input">Message</label>
        <textarea id="composer-input" name="message" rows="1" placeholder="Send a message..." autocomplete="off" enterkeyhint="send"></textarea>
        <div class="composer-toolbar">
        <div class="composer-tools">
        <button type="button" class="round-button attach-button" id="attach-button" aria-label="Attach images or documents" title="Attach images or documents" hidden>\(Icon.paperclip.html)</button>
        <input type="file" id="attach-input" class="visually-hidden" tabindex="-1" aria-hidden="true" multiple accept="image/png,image/jpeg,image/gif,image/webp,application/pdf,.docx,.xlsx,.csv,.txt,.md,text/plain,text/csv,text/markdown">
        <div class="model-select-root" id="model-select-root"></div>
        </div>
        <div class="composer-actions">
        <button type="submit" class="round-button send-button" id="send-button" aria-label="Send message" title="Send (Enter)" disabled>\(Icon.send.html)</button>
        <button type="button" class="round-button stop-button" id="stop-button" aria-label="Stop generating" title="Stop" hidden>\(Icon.stop.html)</button>
        </div>
        </div>
        </div>
        <p class="composer-note">Chatbot can make mistakes. Check important info.</p>
        </form>
        """
}
