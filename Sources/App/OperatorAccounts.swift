import Accounts
import Foundation
import Logging
import Storage

/// What the operator does to accounts from the command line, with the database in hand: the way an
/// administrator's account is made when ADMIN_EMAILS addresses may not register themselves.
public enum OperatorAccounts {
    public enum Outcome: Sendable, Equatable { case created, passwordReplaced }

    /// Creates the account with this password, or replaces the password of an existing one (ending its
    /// sessions). Migrates first, so it works on a database the server has not started on yet.
    public static func setPassword(email: String, password: String, configuration: AppConfiguration, logger: Logger) async throws -> Outcome {
        let database = try await DatabaseClients.open(configuration.database, logger: logger)
        do {
            _ = try await Migrator(database: database, logger: logger).migrate()
            let accounts = makeAccountService(configuration: configuration, database: database, logger: logger)
            let created = try await accounts.setPassword(email: email, password: password)
            await database.close()
            return created ? .created : .passwordReplaced
        } catch {
            await database.close()
            throw error
        }
    }

    /// What to print for a failure: an account rule's own message, anything else as it is.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? AccountError else { return String(describing: error) }
        return ErrorMapping.map(error).message
    }
}
