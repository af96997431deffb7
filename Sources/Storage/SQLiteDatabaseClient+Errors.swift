import SQLiteNIO

/// SQLite's failures, told apart by SQLiteNIO's result codes. Anything else (what a caller's body threw) passes unchanged.
extension SQLiteDatabaseClient {
    static func classify(_ error: any Error) -> any Error {
        guard let error = error as? SQLiteError else { return error }
        switch error.reason {
        case .constraint, .constraintUniqueFailed, .constraintPrimaryKeyFailed, .constraintForeignKeyFailed:
            return DatabaseConflict(reason: "\(error.reason)")
        // Another process holds the write lock past busy_timeout.
        case .busy, .busyTimeout, .busyInRecovery, .busyInSnapshot, .locked, .lockedBySharedCache, .lockedVirtualTable:
            return DatabaseUnavailable(reason: "\(error.reason)")
        default:
            return error
        }
    }
}
