import Chat
import Foundation
import Logging
import Models
import Storage

/// What `chatbot ask` and `chatbot doctor` do, so an operator can check a deployment from inside its container.
public enum Diagnostics {
    /// Streams one answer to `output`; returns the usage line for stderr.
    public static func ask(prompt: String, modelID: String?, configuration: AppConfiguration, logger: Logger, output: @escaping @Sendable (String) -> Void)
        async throws -> String
    {
        let setup = try ModelSetup.make(configuration: configuration, logger: logger)
        let model = modelID ?? setup.policy.defaultModel
        guard setup.catalog.contains(model) else {
            throw ConfigurationError(
                variable: "--model", message: "The model '\(model)' is not in the catalog. Available: \(setup.catalog.models.map(\.id).joined(separator: ", ")).")
        }
        let result = try await setup.model.ask(prompt, modelID: model, system: [setup.policy.systemPrompt], onText: output)
        return "[\(model): \(result.usage.inputTokens) input tokens, \(result.usage.outputTokens) output tokens, finish: \(result.finishReason.rawValue)]"
    }

    /// Checks the database, the credentials and every catalog model; returns the report and whether all is well.
    public static func doctor(configuration: AppConfiguration, logger: Logger) async -> (report: String, healthy: Bool) {
        var lines: [String] = []
        var healthy = true
        do {
            let database = try await DatabaseClients.open(configuration.database, logger: logger)
            do {
                try await database.ping(timeout: .seconds(5))
                let versions = try await Migrator(database: database, logger: logger).appliedVersions()
                let state = versions.last == Migrator.latestVersion ? "schema up to date (version \(Migrator.latestVersion))"
                    : "schema at version \(versions.last ?? 0) of \(Migrator.latestVersion): run `chatbot migrate` (or start the server with AUTO_MIGRATE=true)"
                lines.append("database     ok: \(configuration.database.redacted), \(state)")
            } catch {
                healthy = false
                lines.append("database     FAIL: \(configuration.database.redacted) does not answer (\(error)). Check POSTGRES_URL, the security group and that the database is running.")
            }
            await database.close()
        } catch {
            healthy = false
            lines.append("database     FAIL: \(error)")
        }
        do {
            let setup = try ModelSetup.make(configuration: configuration, logger: logger)
            let report = await setup.stack.doctor()
            healthy = healthy && report.allModelsOK
            return ((lines + [report.render()]).joined(separator: "\n"), healthy)
        } catch {
            lines.append("models       FAIL: \(error)")
            return (lines.joined(separator: "\n"), false)
        }
    }
}
