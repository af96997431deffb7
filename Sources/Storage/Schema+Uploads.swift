extension Schema {
    /// Version 10: per-user upload limits and finding a user's files.
    static let uploads = Migration(version: 10, name: "weighted throttle events, files by user", statements: [
        // An event's weight: 1 for an attempt, the byte count for an upload's bytes (`ThrottleRepository.reserve`).
        "ALTER TABLE throttle_events ADD COLUMN amount BIGINT NOT NULL DEFAULT 1",
        // The guest sweep keeps guests with files; "delete all history" finds the chats holding a user's files.
        "CREATE INDEX files_user ON files (user_id)",
    ])
}
