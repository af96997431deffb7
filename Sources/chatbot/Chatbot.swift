import App
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Storage

@main
struct Chatbot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatbot",
        abstract: "A self-hostable AI chat server.",
        version: chatbotVersion,
        subcommands: [Serve.self, Migrate.self, Ask.self, Doctor.self, SetPassword.self],
        defaultSubcommand: Serve.self
    )
}

/// Reads and validates the environment, printing a clear message instead of a stack trace when it is wrong.
func loadConfiguration() throws -> AppConfiguration {
    do {
        return try AppConfiguration(environment: ProcessInfo.processInfo.environment)
    } catch {
        FileHandle.standardError.write(Data("chatbot: configuration error: \(error.description)\n".utf8))
        throw ExitCode(78)  // EX_CONFIG
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web server (the default).")

    func run() async throws {
        let configuration = try loadConfiguration()
        LoggingSetup.bootstrap(format: configuration.logFormat, level: configuration.logLevel)
        let logger = Logger(label: "chatbot")
        let services: AppServices
        do {
            services = try await buildServices(configuration: configuration, logger: logger)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("chatbot: configuration error: \(error.description)\n".utf8))
            throw ExitCode(78)
        } catch {
            logger.critical("could not start", metadata: ["error": .string(String(describing: error)), "database": .string(configuration.database.redacted)])
            throw ExitCode(1)
        }
        let app = buildApplication(services: services)
        try await runApplication(app, services: services)
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations (safe to run twice or from two places at once).")

    func run() async throws {
        let configuration = try loadConfiguration()
        LoggingSetup.bootstrap(format: configuration.logFormat, level: min(configuration.logLevel, .warning))
        let logger = Logger(label: "chatbot.migrate")
        let database = try await DatabaseClients.open(configuration.database, logger: logger)
        do {
            let applied = try await Migrator(database: database, logger: logger).migrate()
            if applied.isEmpty {
                print("Database \(configuration.database.redacted) is up to date (schema version \(Migrator.latestVersion)).")
            } else {
                print("Applied \(applied.count) migration(s) to \(configuration.database.redacted):")
                for migration in applied { print("  \(migration.version): \(migration.name)") }
            }
            await database.close()
        } catch {
            await database.close()
            FileHandle.standardError.write(Data("chatbot migrate: failed: \(String(describing: error))\n".utf8))
            throw ExitCode(1)
        }
    }
}
