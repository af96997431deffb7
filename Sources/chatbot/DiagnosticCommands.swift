import App
import ArgumentParser
import Foundation
import Logging

struct Ask: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ask a model one question and stream the answer to stdout.")

    @Option(name: .shortAndLong, help: "The model id (default: the default chat model).")
    var model: String?

    @Argument(help: "The prompt.")
    var prompt: String

    func run() async throws {
        let configuration = try loadConfiguration()
        LoggingSetup.bootstrap(format: configuration.logFormat, level: .error)
        do {
            let usage = try await Diagnostics.ask(
                prompt: self.prompt, modelID: self.model, configuration: configuration, logger: Logger(label: "chatbot.ask")
            ) { text in
                FileHandle.standardOutput.write(Data(text.utf8))
            }
            print("")
            FileHandle.standardError.write(Data("\(usage)\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("\nchatbot ask: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the database, AWS credentials and every model, and say how to fix what fails.")

    func run() async throws {
        let configuration = try loadConfiguration()
        LoggingSetup.bootstrap(format: configuration.logFormat, level: .error)
        let (report, healthy) = await Diagnostics.doctor(configuration: configuration, logger: Logger(label: "chatbot.doctor"))
        print(report)
        if !healthy { throw ExitCode(1) }
    }
}
