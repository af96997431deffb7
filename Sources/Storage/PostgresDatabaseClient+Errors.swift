import PostgresNIO
import _ConnectionPoolModule

/// PostgreSQL's failures, told apart by postgres-nio's own types: the client codes of `PSQLError`, the server's
/// SQLSTATE and the pool's `ConnectionPoolError`. Anything else (what a caller's body threw) passes unchanged.
extension PostgresDatabaseClient {
    static func classify(_ error: any Error) -> any Error {
        // A transaction wraps whatever went wrong inside it; the error that caused the rollback is the one that matters.
        if let error = error as? PostgresTransactionError {
            guard let cause = error.closureError ?? error.beginError ?? error.commitError else { return error }
            return self.classify(cause)
        }
        if let error = error as? ConnectionPoolError {
            if error == .connectionCreationCircuitBreakerTripped { return DatabaseUnavailable(reason: "no connection could be made") }
            if error == .poolShutdown { return DatabaseUnavailable(reason: "the connection pool is closed") }
            return error
        }
        guard let error = error as? PSQLError else { return error }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed, .sslUnsupported:
            return DatabaseUnavailable(reason: "\(error.code)")
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            if Self.conflictStates.contains(state) { return DatabaseConflict(reason: "SQLSTATE \(state)") }
            // Class 08 is a connection exception; 53300 too many connections; 57P01-57P03 the server is going down.
            if state.hasPrefix("08") || ["53300", "57P01", "57P02", "57P03"].contains(state) {
                return DatabaseUnavailable(reason: "SQLSTATE \(state)")
            }
            return error
        default:
            return error
        }
    }

    /// 23505 unique_violation, 23503 foreign_key_violation, 40001 serialization_failure, 40P01 deadlock_detected.
    static let conflictStates: Set<String> = ["23505", "23503", "40001", "40P01"]
}
