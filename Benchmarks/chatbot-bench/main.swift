import Foundation

/// `chatbot-bench <suite>`: benchmarks that print figures. Each suite lives in its own file.
let suites: [String: () async throws -> Void] = [
    "bedrock": BedrockBenchmark.run,
    "chat": ChatBenchmark.run,
    "duel": DuelBenchmark.run,
]

let name = CommandLine.arguments.dropFirst().first ?? ""
guard let suite = suites[name] else {
    print("usage: chatbot-bench <\(suites.keys.sorted().joined(separator: "|"))>")
    exit(2)
}
try await suite()
