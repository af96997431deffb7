extension Schema {
    /// Version 6: single sign-on identities and sign-in attempts, disabled accounts, per-user allowances, the admin audit log.
    static let access = Migration(version: 6, name: "single sign-on, disabled users, allowance overrides, admin audit log", statements: [
        "ALTER TABLE users ADD COLUMN disabled_at {TIME}",
        // NULL: the kind's default allowance (RATE_LIMIT_GUEST / RATE_LIMIT_REGULAR).
        "ALTER TABLE users ADD COLUMN message_limit INTEGER",
        // One row per provider account: the provider's (issuer, subject) names a user for good, whatever its e-mail becomes.
        """
        CREATE TABLE user_identities (
            issuer TEXT NOT NULL,
            subject TEXT NOT NULL,
            user_id {UUID} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at {TIME} NOT NULL,
            PRIMARY KEY (issuer, subject)
        )
        """,
        "CREATE INDEX user_identities_user ON user_identities (user_id)",
        // A sign-in in progress, named by its state; deleted when the callback uses it, so a replay finds nothing.
        """
        CREATE TABLE oidc_logins (
            state TEXT PRIMARY KEY,
            nonce TEXT NOT NULL,
            code_verifier TEXT NOT NULL,
            redirect_path TEXT NOT NULL,
            created_at {TIME} NOT NULL
        )
        """,
        "CREATE INDEX oidc_logins_created ON oidc_logins (created_at)",
        """
        CREATE TABLE admin_audit (
            id {UUID} PRIMARY KEY,
            admin_id {UUID},
            admin_email TEXT NOT NULL,
            action TEXT NOT NULL,
            target_user_id {UUID},
            detail TEXT NOT NULL,
            created_at {TIME} NOT NULL
        )
        """,
        "CREATE INDEX admin_audit_created ON admin_audit (created_at)",
    ])
}
