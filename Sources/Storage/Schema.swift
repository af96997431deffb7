import Foundation

/// The product's schema as versioned migrations, written once for both engines.
///
/// Column types are placeholders that each engine fills in: `{UUID}` is `uuid` on PostgreSQL and `TEXT` on SQLite,
/// `{TIME}` is `timestamptz` / `REAL` (seconds since 1970, what SQLiteNIO binds a `Date` as),
/// `{JSON}` is `jsonb` / `TEXT`, `{BOOL}` is `boolean` / `INTEGER`.
enum Schema {
    struct Migration: Sendable {
        let version: Int
        let name: String
        let statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(version: 1, name: "create users, chats, messages, votes", statements: [
            """
            CREATE TABLE users (
                id {UUID} PRIMARY KEY,
                email TEXT UNIQUE,
                password_hash TEXT,
                type TEXT NOT NULL CHECK (type IN ('guest', 'regular')),
                created_at {TIME} NOT NULL
            )
            """,
            """
            CREATE TABLE chats (
                id {UUID} PRIMARY KEY,
                user_id {UUID} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                title TEXT NOT NULL,
                visibility TEXT NOT NULL CHECK (visibility IN ('private', 'public')),
                created_at {TIME} NOT NULL,
                updated_at {TIME} NOT NULL
            )
            """,
            // History: a user's chats, newest first, paged by (created_at, id).
            "CREATE INDEX chats_user_created ON chats (user_id, created_at DESC, id)",
            """
            CREATE TABLE messages (
                id {UUID} PRIMARY KEY,
                chat_id {UUID} NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
                parts {JSON} NOT NULL,
                attachments {JSON} NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('complete', 'streaming', 'stopped', 'failed')),
                error TEXT,
                model TEXT,
                input_tokens INTEGER NOT NULL DEFAULT 0,
                output_tokens INTEGER NOT NULL DEFAULT 0,
                cache_read_tokens INTEGER NOT NULL DEFAULT 0,
                cache_write_tokens INTEGER NOT NULL DEFAULT 0,
                first_token_ms INTEGER,
                duration_ms INTEGER,
                created_at {TIME} NOT NULL
            )
            """,
            "CREATE INDEX messages_chat_created ON messages (chat_id, created_at, id)",
            """
            CREATE TABLE votes (
                chat_id {UUID} NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                message_id {UUID} NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
                is_upvoted {BOOL} NOT NULL,
                PRIMARY KEY (chat_id, message_id)
            )
            """,
        ]),
        Migration(version: 2, name: "create documents and suggestions", statements: [
            // Every save is a new row with the same id: (id, created_at) is one version.
            """
            CREATE TABLE documents (
                id {UUID} NOT NULL,
                created_at {TIME} NOT NULL,
                user_id {UUID} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                chat_id {UUID} REFERENCES chats(id) ON DELETE CASCADE,
                title TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('text', 'code', 'sheet')),
                content TEXT NOT NULL,
                PRIMARY KEY (id, created_at)
            )
            """,
            "CREATE INDEX documents_chat ON documents (chat_id)",
            "CREATE INDEX documents_user ON documents (user_id, created_at)",
            """
            CREATE TABLE suggestions (
                id {UUID} PRIMARY KEY,
                document_id {UUID} NOT NULL,
                document_created_at {TIME} NOT NULL,
                user_id {UUID} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                original_text TEXT NOT NULL,
                suggested_text TEXT NOT NULL,
                description TEXT,
                is_resolved {BOOL} NOT NULL,
                created_at {TIME} NOT NULL,
                FOREIGN KEY (document_id, document_created_at) REFERENCES documents(id, created_at) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX suggestions_document ON suggestions (document_id, document_created_at)",
        ]),
        Migration(version: 3, name: "create generation runs, their chunks, usage and login throttling", statements: [
            // A run is one model answer in progress; its chunks are the UI stream as sent, so any
            // instance can replay and follow it.
            """
            CREATE TABLE generation_runs (
                id {UUID} PRIMARY KEY,
                chat_id {UUID} NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                message_id {UUID} NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
                user_id {UUID} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                model TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'stopped', 'failed')),
                instance_id TEXT NOT NULL,
                cancel_requested {BOOL} NOT NULL,
                error TEXT,
                chunk_count INTEGER NOT NULL DEFAULT 0,
                heartbeat_at {TIME} NOT NULL,
                created_at {TIME} NOT NULL,
                finished_at {TIME}
            )
            """,
            "CREATE INDEX generation_runs_chat ON generation_runs (chat_id, created_at DESC)",
            "CREATE INDEX generation_runs_status ON generation_runs (status, heartbeat_at)",
            """
            CREATE TABLE run_chunks (
                run_id {UUID} NOT NULL REFERENCES generation_runs(id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                chunk TEXT NOT NULL,
                PRIMARY KEY (run_id, seq)
            )
            """,
            // Token usage per answer, kept when chats are deleted so accounting stays true.
            """
            CREATE TABLE usage_events (
                id {UUID} PRIMARY KEY,
                user_id {UUID} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                chat_id {UUID},
                message_id {UUID},
                model TEXT NOT NULL,
                input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                cache_read_tokens INTEGER NOT NULL,
                cache_write_tokens INTEGER NOT NULL,
                created_at {TIME} NOT NULL
            )
            """,
            "CREATE INDEX usage_events_user_created ON usage_events (user_id, created_at)",
            // Each message a user sends, for the rolling 24 h entitlement; survives chat deletion,
            // so deleting chats does not reset the limit.
            """
            CREATE TABLE message_quota (
                id {UUID} PRIMARY KEY,
                user_id {UUID} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at {TIME} NOT NULL
            )
            """,
            "CREATE INDEX message_quota_user_created ON message_quota (user_id, created_at)",
            """
            CREATE TABLE login_failures (
                key TEXT NOT NULL,
                created_at {TIME} NOT NULL
            )
            """,
            "CREATE INDEX login_failures_key_created ON login_failures (key, created_at)",
        ]),
        Migration(version: 4, name: "one running answer per chat", statements: [
            // Races could leave several running runs in one chat: keep the newest running, close the others.
            """
            UPDATE generation_runs SET status = 'failed', error = 'Closed by a migration: another answer was running in this chat.'
            WHERE status = 'running' AND EXISTS (
                SELECT 1 FROM generation_runs newer
                WHERE newer.chat_id = generation_runs.chat_id AND newer.status = 'running'
                  AND (newer.created_at > generation_runs.created_at OR (newer.created_at = generation_runs.created_at AND newer.id > generation_runs.id))
            )
            """,
            "CREATE UNIQUE INDEX generation_runs_one_running ON generation_runs (chat_id) WHERE status = 'running'",
        ]),
        Migration(version: 5, name: "revocable sessions, atomic throttle events, guest sweep index", statements: [
            // One row per signed-in browser: deleting it revokes that cookie at its next request.
            """
            CREATE TABLE sessions (
                id {UUID} PRIMARY KEY,
                user_id {UUID} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at {TIME} NOT NULL,
                expires_at {TIME} NOT NULL
            )
            """,
            "CREATE INDEX sessions_user ON sessions (user_id)",
            "CREATE INDEX sessions_expires ON sessions (expires_at)",
            // Every counted attempt (sign-in, guest creation) writes one row per key it counts against,
            // all with the attempt's id, so a successful sign-in can take its own reservation back.
            """
            CREATE TABLE throttle_events (
                attempt_id {UUID} NOT NULL,
                key TEXT NOT NULL,
                created_at {TIME} NOT NULL,
                PRIMARY KEY (attempt_id, key)
            )
            """,
            "CREATE INDEX throttle_events_key_created ON throttle_events (key, created_at)",
            "CREATE INDEX throttle_events_created ON throttle_events (created_at)",
            "DROP TABLE login_failures",
            // The guest sweep looks for old guests.
            "CREATE INDEX users_type_created ON users (type, created_at)",
        ]),
        Self.access,
        Schema.files,
        Schema.uploads,
    ]

    /// The statement with its type placeholders filled in for `kind`.
    static func render(_ statement: String, for kind: DatabaseKind) -> String {
        let types: [(String, String)] = switch kind {
        case .postgres: [("{UUID}", "uuid"), ("{TIME}", "timestamptz"), ("{JSON}", "jsonb"), ("{BOOL}", "boolean"), ("{BYTES}", "bytea")]
        case .sqlite: [("{UUID}", "TEXT"), ("{TIME}", "REAL"), ("{JSON}", "TEXT"), ("{BOOL}", "INTEGER"), ("{BYTES}", "BLOB")]
        }
        return types.reduce(statement) { text, pair in text.replacingOccurrences(of: pair.0, with: pair.1) }
    }
}
