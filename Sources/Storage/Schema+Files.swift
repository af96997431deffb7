extension Schema {
    /// Uploaded files: metadata for every store, bytes here only for the database store (S3 keeps its own).
    /// A blob goes with its row (cascade), so deleting a user, a chat or a row never leaves bytes behind.
    /// `chat_id` has no foreign key: a first message uploads before its chat exists. The sweep and the chat
    /// delete remove files of chats that are gone.
    static let files = Migration(version: 7, name: "create files and file blobs", statements: [
        """
        CREATE TABLE files (
            id {UUID} PRIMARY KEY,
            user_id {UUID} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            chat_id {UUID} NOT NULL,
            message_id {UUID},
            name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            object_key TEXT NOT NULL UNIQUE,
            created_at {TIME} NOT NULL
        )
        """,
        "CREATE INDEX files_chat ON files (chat_id)",
        "CREATE INDEX files_unattached ON files (created_at) WHERE message_id IS NULL",
        """
        CREATE TABLE file_blobs (
            object_key TEXT PRIMARY KEY REFERENCES files(object_key) ON DELETE CASCADE,
            data {BYTES} NOT NULL
        )
        """,
    ])
}
