import Foundation
import SQLKit
import TestSupport
import Testing
import _ConnectionPoolModule

@testable import Storage

/// Each client turns its driver's errors into `DatabaseConflict` and `DatabaseUnavailable` itself, so callers
/// match two types instead of driver internals.
@Suite("Database errors") struct DatabaseErrorTests {
    struct Marker: Error {}

    @Test("a duplicate key is a DatabaseConflict, inside a transaction and outside", arguments: TestDatabase.kinds)
    func duplicateKey(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            try await db.withSQL { sql in try await sql.raw("CREATE TABLE error_probe (id INTEGER PRIMARY KEY)").run() }
            try await db.withSQL { sql in try await sql.raw("INSERT INTO error_probe (id) VALUES (1)").run() }
            await #expect(throws: DatabaseConflict.self) {
                try await db.withSQL { sql in try await sql.raw("INSERT INTO error_probe (id) VALUES (1)").run() }
            }
            await #expect(throws: DatabaseConflict.self) {
                try await db.transaction { sql in
                    try await sql.raw("INSERT INTO error_probe (id) VALUES (2)").run()
                    try await sql.raw("INSERT INTO error_probe (id) VALUES (1)").run()
                }
            }
            // The failed transaction left nothing behind.
            let count = try await db.withSQL { sql in try await sql.raw("SELECT COUNT(*) AS n FROM error_probe").first()?.decode(column: "n", as: Int.self) }
            #expect(count == 1)
        }
    }

    @Test("what a transaction's body throws arrives unchanged", arguments: TestDatabase.kinds)
    func bodyErrorPassesThrough(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            await #expect(throws: Marker.self) {
                try await db.transaction { _ in throw Marker() }
            }
            await #expect(throws: Marker.self) {
                try await db.withSQL { _ in throw Marker() }
            }
        }
    }

    @Test("a PostgreSQL connection the server ends is DatabaseUnavailable")
    func terminatedConnection() async throws {
        guard TestDatabase.kinds.contains(.postgres) else { return }
        try await TestDatabase.withMigrated(.postgres) { db in
            await #expect(throws: DatabaseUnavailable.self) {
                try await db.withSQL { sql in try await sql.raw("SELECT pg_terminate_backend(pg_backend_pid())").run() }
            }
        }
    }

    @Test("the pool giving up on connecting is DatabaseUnavailable; other errors pass unchanged")
    func poolErrors() {
        #expect(PostgresDatabaseClient.classify(ConnectionPoolError.connectionCreationCircuitBreakerTripped) is DatabaseUnavailable)
        #expect(PostgresDatabaseClient.classify(ConnectionPoolError.poolShutdown) is DatabaseUnavailable)
        #expect(PostgresDatabaseClient.classify(CancellationError()) is CancellationError)
        #expect(SQLiteDatabaseClient.classify(Marker()) is Marker)
    }
}
