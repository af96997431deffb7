import Foundation
import Logging
import SQLKit

/// Applies the schema's missing migrations, under a lock so two instances starting at once take turns.
public struct Migrator: Sendable {
    /// One applied migration, for `chatbot migrate` to print.
    public struct Applied: Sendable, Equatable {
        public let version: Int
        public let name: String
    }

    let database: any DatabaseClient
    let logger: Logger

    public init(database: any DatabaseClient, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// The newest version this build knows.
    public static var latestVersion: Int { Schema.migrations.last?.version ?? 0 }

    /// Every version this build knows, in the order applied (not necessarily contiguous: versions are reserved per branch).
    public static var versions: [Int] { Schema.migrations.map(\.version) }

    /// Applies what is missing and returns it; an up-to-date database returns nothing.
    @discardableResult
    public func migrate() async throws -> [Applied] {
        // SQLite's busy_timeout (10 s) bounds one wait for the write lock, and another process applying the same
        // migrations on a loaded machine can hold it longer: its work is what this one wants, so wait on.
        let clock = ContinuousClock()
        let deadline = clock.now + Self.sqliteLockWait
        while true {
            do {
                return try await self.migrateOnce()
            } catch let error as DatabaseUnavailable where self.database.kind == .sqlite && clock.now < deadline {
                self.logger.notice("waiting for another migrator", metadata: ["reason": .string(error.reason)])
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    /// How long a migrator waits in all for another SQLite migrator to finish.
    static let sqliteLockWait: Duration = .seconds(120)

    private func migrateOnce() async throws -> [Applied] {
        let kind = self.database.kind
        // One transaction holds the lock and all the DDL: both engines roll DDL back on failure,
        // PostgreSQL's advisory transaction lock and SQLite's BEGIN IMMEDIATE serialise processes.
        let applied = try await self.database.transaction { sql in
            if kind == .postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(7265746173) AS locked").run()
            }
            try await sql.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at \(unsafeRaw: kind == .postgres ? "timestamptz" : "REAL") NOT NULL
                )
                """
            ).run()
            let done = Set(try await sql.raw("SELECT version FROM schema_migrations").all().map { try $0.decode(column: "version", as: Int.self) })
            var applied: [Applied] = []
            for migration in Schema.migrations where !done.contains(migration.version) {
                for statement in migration.statements {
                    try await sql.raw("\(unsafeRaw: Schema.render(statement, for: kind))").run()
                }
                try await sql.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Date()))"
                ).run()
                applied.append(Applied(version: migration.version, name: migration.name))
            }
            return applied
        }
        for migration in applied {
            self.logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        }
        return applied
    }

    /// The versions recorded as applied (empty before the first migration).
    public func appliedVersions() async throws -> [Int] {
        try await self.database.withSQL { sql in
            do {
                return try await sql.raw("SELECT version FROM schema_migrations ORDER BY version").all().map {
                    try $0.decode(column: "version", as: Int.self)
                }
            } catch {
                return []
            }
        }
    }
}
