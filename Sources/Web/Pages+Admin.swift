extension Pages {
    /// The admin page's shell: `admin.js` fills the users table and the audit log from `/api/admin/*`.
    /// Only administrators are ever served it.
    public static func admin(email: String, userID: String) -> HTML {
        let body: HTML = """
            <main class="admin-main" id="admin" data-admin-id="\(userID)">
            <header class="admin-header">
            <a class="brand" href="/">Chatbot</a>
            <h1 class="admin-title">Administration</h1>
            <span class="admin-who">Signed in as \(email)</span>
            </header>
            <section class="admin-section" aria-labelledby="users-title">
            <h2 id="users-title">Users</h2>
            <p class="admin-note" id="users-note" aria-live="polite">Loading users…</p>
            <div class="admin-table-wrap">
            <table class="admin-table" id="users-table">
            <thead><tr><th scope="col">User</th><th scope="col">Sign-in</th><th scope="col">Created</th><th scope="col">Last active</th><th scope="col">Messages this month</th><th scope="col">Tokens this month</th><th scope="col">Messages per 24 hours</th><th scope="col">Status</th></tr></thead>
            <tbody id="users-body"></tbody>
            </table>
            </div>
            </section>
            <section class="admin-section" aria-labelledby="audit-title">
            <h2 id="audit-title">Audit log</h2>
            <p class="admin-note" id="audit-note" aria-live="polite">Loading the audit log…</p>
            <div class="admin-table-wrap">
            <table class="admin-table" id="audit-table">
            <thead><tr><th scope="col">When</th><th scope="col">Administrator</th><th scope="col">Action</th><th scope="col">Detail</th></tr></thead>
            <tbody id="audit-body"></tbody>
            </table>
            </div>
            </section>
            </main>
            """
        return Layout.page(title: "Administration", bodyClass: "page-admin", script: Assets.adminApp, extraStylesheet: Assets.adminStylesheet, body: body)
    }
}
