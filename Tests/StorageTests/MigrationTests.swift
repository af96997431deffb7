import Foundation
import Storage
import TestSupport
import Testing

@Suite("Migrations") struct MigrationTests {
    @Test("PostgreSQL runs unless it was left out on purpose, and never in CI")
    func postgresIsNotSilentlyDropped() {
        #expect(TestDatabase.kinds.contains(.postgres) || TestDatabase.postgresOptedOut)
        #expect(TestDatabase.postgresURL != nil || TestDatabase.postgresOptedOut,
                "set TEST_POSTGRES_URL (scripts/test does) or opt out with TEST_POSTGRES=skip")
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            #expect(!TestDatabase.postgresOptedOut, "CI must test PostgreSQL: TEST_POSTGRES=skip is for quick local runs")
        }
    }

    @Test("a fresh database gets every migration, a second run is a no-op", arguments: TestDatabase.kinds)
    func freshThenRepeated(kind: DatabaseKind) async throws {
        let (configuration, cleanup) = try await TestDatabase.make(kind)
        defer { Task { await cleanup() } }
        try await TestDatabase.withOpen(configuration) { client in
            let migrator = Migrator(database: client, logger: TestDatabase.logger)
            let first = try await migrator.migrate()
            #expect(first.map(\.version) == Migrator.versions)
            let second = try await migrator.migrate()
            #expect(second.isEmpty)
            #expect(try await migrator.appliedVersions() == Migrator.versions)
        }
    }

    @Test("two migrators racing apply each migration exactly once", arguments: TestDatabase.kinds)
    func concurrentMigrators(kind: DatabaseKind) async throws {
        let (configuration, cleanup) = try await TestDatabase.make(kind)
        defer { Task { await cleanup() } }
        // Two separate clients behave like two instances starting at once. Both are closed on every path:
        // an unclosed SQLite connection traps on release (a full run crashed that way under load).
        try await TestDatabase.withOpen(configuration) { a in
            try await TestDatabase.withOpen(configuration) { b in
                async let first = Migrator(database: a, logger: TestDatabase.logger).migrate()
                async let second = Migrator(database: b, logger: TestDatabase.logger).migrate()
                let results = try await [first, second]
                let applied = results.flatMap { $0.map(\.version) }.sorted()
                #expect(applied == Migrator.versions)
                #expect(try await Migrator(database: a, logger: TestDatabase.logger).appliedVersions() == Migrator.versions)
            }
        }
    }
}

@Suite("Database configuration") struct DatabaseConfigurationTests {
    @Test("POSTGRES_URL parses host, port, database and sslmode")
    func parsesURL() throws {
        let settings = try PostgresSettings(url: "postgresql://chatbot_admin:s3cr%40t@db.example.com:6543/chatbot?sslmode=require")
        #expect(settings.host == "db.example.com")
        #expect(settings.port == 6543)
        #expect(settings.username == "chatbot_admin")
        #expect(settings.password == "s3cr@t")
        #expect(settings.database == "chatbot")
        #expect(settings.sslMode == .require)
        #expect(!settings.redacted.contains("s3cr"))
    }

    @Test("a malformed POSTGRES_URL is refused without printing the password")
    func malformedNeverLeaksPassword() {
        for url in ["mysql://u:hunter2secret@h/db", "postgresql://u:hunter2secret@h", "postgresql://u:hunter2secret@h/db?sslmode=sometimes", "postgresql://:hunter2secret@h/db"] {
            do {
                _ = try PostgresSettings(url: url)
                Issue.record("accepted \(url)")
            } catch {
                #expect(!error.description.contains("hunter2secret"), "\(error.description)")
                #expect(error.description.contains("POSTGRES_URL"))
            }
        }
    }

    @Test("without POSTGRES_URL the data lives in SQLite in the data folder")
    func sqliteByDefault() throws {
        #expect(try DatabaseConfiguration.from(postgresURL: nil, dataDirectory: "data") == .sqlite(path: "data/chatbot.sqlite"))
        #expect(try DatabaseConfiguration.from(postgresURL: "  ", dataDirectory: "/tmp/x") == .sqlite(path: "/tmp/x/chatbot.sqlite"))
    }
}
