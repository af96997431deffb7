import App
import ArgumentParser
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

struct SetPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-password",
        abstract: "Create an account with a password, or replace an account's password (its sessions end).",
        discussion: """
            The way to make an administrator's account: addresses in ADMIN_EMAILS cannot register themselves \
            with a password. The password is read from standard input (asked for without echo on a terminal), \
            never from the command line, where other users of the machine could see it.
            """
    )

    @Option(help: "The account's e-mail address.")
    var email: String

    func run() async throws {
        let configuration = try loadConfiguration()
        LoggingSetup.bootstrap(format: configuration.logFormat, level: min(configuration.logLevel, .warning))
        guard let password = Self.readPassword(for: self.email), !password.isEmpty else {
            FileHandle.standardError.write(Data("chatbot set-password: no password on standard input\n".utf8))
            throw ExitCode(2)
        }
        do {
            let outcome = try await OperatorAccounts.setPassword(
                email: self.email, password: password, configuration: configuration, logger: Logger(label: "chatbot.set-password"))
            print(outcome == .created ? "Created the account \(self.email)." : "Replaced the password of \(self.email); its sessions have ended.")
        } catch {
            FileHandle.standardError.write(Data("chatbot set-password: \(OperatorAccounts.describe(error))\n".utf8))
            throw ExitCode(1)
        }
    }

    static func readPassword(for email: String) -> String? {
        if isatty(STDIN_FILENO) != 0, let typed = getpass("Password for \(email): ") {
            return String(cString: typed)
        }
        return readLine(strippingNewline: true)
    }
}
