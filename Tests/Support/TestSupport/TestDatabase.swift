import Foundation
import Logging
import PostgresNIO
import Storage

/// Real databases for tests: a SQLite file, or a fresh PostgreSQL database on the server named by
/// TEST_POSTGRES_URL (scripts/test starts a throwaway cluster and sets it).
public enum TestDatabase {
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when PostgreSQL was left out on purpose: `TEST_POSTGRES=skip` (a quick local run).
    public static var postgresOptedOut: Bool {
        ProcessInfo.processInfo.environment["TEST_POSTGRES"] == "skip"
    }

    /// The engines to run repository and app suites against: SQLite and PostgreSQL, as production uses
    /// PostgreSQL. Without TEST_POSTGRES_URL the PostgreSQL cases fail, saying how to fix it, instead of
    /// vanishing; `TEST_POSTGRES=skip` leaves them out knowingly.
    public static var kinds: [DatabaseKind] {
        self.postgresOptedOut ? [.sqlite] : [.sqlite, .postgres]
    }

    static let missingPostgres = """
        TEST_POSTGRES_URL is not set, so the PostgreSQL half of this test cannot run. Run the tests through \
        scripts/test (it starts a throwaway cluster), or `. scripts/lib/postgres.sh && start_test_postgres` first; \
        to leave PostgreSQL out knowingly, set TEST_POSTGRES=skip.
        """

    public static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()

    /// A configuration pointing at a new, empty database of `kind`; `cleanup` removes it.
    public static func make(_ kind: DatabaseKind) async throws -> (configuration: DatabaseConfiguration, cleanup: @Sendable () async -> Void) {
        switch kind {
        case .sqlite:
            let folder = NSTemporaryDirectory() + "chatbot-test-" + UUID().uuidString
            let path = folder + "/chatbot.sqlite"
            return (.sqlite(path: path), { try? FileManager.default.removeItem(atPath: folder) })
        case .postgres:
            guard let url = self.postgresURL else { throw TestSetupError(self.missingPostgres) }
            var settings = try PostgresSettings(url: url)
            let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            try await self.admin(settings) { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            }
            let admin = settings
            settings.database = String(name)
            let configuration = DatabaseConfiguration.postgres(settings)
            return (configuration, {
                try? await self.admin(admin) { connection in
                    try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
                }
            })
        }
    }

    /// Runs `body` with a client open on `configuration` and closes it however `body` ends: an SQLite
    /// connection released without `close()` traps, taking the whole test process (and every other test's
    /// result) with it, instead of failing the one test.
    public static func withOpen<T: Sendable>(_ configuration: DatabaseConfiguration, _ body: (any DatabaseClient) async throws -> T) async throws -> T {
        let client = try await DatabaseClients.open(configuration, logger: self.logger)
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch {
            await client.close()
            throw error
        }
    }

    /// Runs `body` with an open, migrated database of `kind`, then removes it.
    public static func withMigrated<T: Sendable>(_ kind: DatabaseKind, _ body: (any DatabaseClient) async throws -> T) async throws -> T {
        let (configuration, cleanup) = try await self.make(kind)
        let client = try await DatabaseClients.open(configuration, logger: self.logger)
        do {
            try await Migrator(database: client, logger: self.logger).migrate()
            let result = try await body(client)
            await client.close()
            await cleanup()
            return result
        } catch {
            await client.close()
            await cleanup()
            throw error
        }
    }

    static func admin(_ settings: PostgresSettings, _ body: (PostgresConnection) async throws -> Void) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: settings.host, port: settings.port, username: settings.username, password: settings.password,
                                 database: settings.database, tls: .disable),
            id: 1, logger: self.logger)
        do {
            try await body(connection)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
