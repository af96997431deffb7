import BedrockFake
import Foundation

/// A server in the duel, and how to start it in front of the fake.
enum DuelContender {
    case chatbot(database: String, postgresURL: String?)
    case litellm(binary: String)

    var name: String {
        switch self {
        case .chatbot(let database, _): "ours (\(database))"
        case .litellm: "LiteLLM"
        }
    }

    /// A started server: its process, start-up figures, and how one of its clients asks.
    struct Running {
        let process: BenchProcess
        let healthyAfter: Double
        let idleMiB: Double
        let load: (Int) async -> [AnswerTiming]
    }

    func start(fakeURL: String, work: String, chatbotBin: String, environment: [String: String]) async throws -> Running {
        let port = Int.random(in: 20000..<40000)
        let base = "http://127.0.0.1:\(port)"
        let inherited = ["PATH", "HOME", "LANG", "TMPDIR"].reduce(into: [String: String]()) { $0[$1] = environment[$1] }
        let start = ContinuousClock.now
        let process: BenchProcess
        let healthURL: String
        switch self {
        case .chatbot(let database, let postgresURL):
            var serverEnvironment = inherited.merging([
                "PORT": "\(port)", "HOST": "127.0.0.1", "DATA_DIR": work + "/data-\(database)", "LOG_LEVEL": "error",
                // Every client signs in as a guest from 127.0.0.1: lift the per-address limits the duel is not about.
                "RATE_LIMIT_GUEST": "100000000", "GUEST_LIMIT_PER_ADDRESS": "100000000", "MODEL_PROVIDER": "bedrock", "AWS_REGION": "us-east-1",
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fakeURL, "AWS_ACCESS_KEY_ID": FakeBedrockServer.exampleAccessKeyID,
                "AWS_SECRET_ACCESS_KEY": FakeBedrockServer.exampleSecret,
            ]) { $1 }
            if let postgresURL { serverEnvironment["POSTGRES_URL"] = postgresURL }
            for pair in (environment["DUEL_SERVER_ENV"] ?? "").split(separator: " ") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { serverEnvironment[parts[0]] = parts[1] }
            }
            process = try BenchProcess(
                name: self.name, executable: chatbotBin, arguments: ["serve"], environment: serverEnvironment,
                logPath: work + "/chatbot-\(database).log")
            healthURL = base + "/api/health"
        case .litellm(let binary):
            let config = work + "/litellm.yaml"
            try Self.litellmConfig(fakeURL: fakeURL).write(toFile: config, atomically: true, encoding: .utf8)
            process = try BenchProcess(
                name: self.name, executable: binary, arguments: ["--config", config, "--port", "\(port)", "--num_workers", "1"],
                environment: inherited.merging([
                    "LITELLM_MASTER_KEY": Self.litellmKey, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "LITELLM_LOG": "ERROR",
                    "NO_PROXY": "127.0.0.1,localhost",
                ]) { $1 },
                logPath: work + "/litellm.log")
            healthURL = base + "/health/liveliness"
        }
        guard let healthy = await process.waitHealthy(url: healthURL, since: start) else {
            process.stop()
            throw DuelFailure("\(self.name) did not become healthy; see its log in \(work)")
        }
        try await Task.sleep(for: .seconds(2))
        let idle = process.residentMiB()
        let load: (Int) async -> [AnswerTiming]
        switch self {
        case .chatbot:
            load = { level in await Self.chatbotLoad(base: base, level: level) }
        case .litellm:
            load = { level in
                await DuelBenchmark.load(level) {
                    await DuelClients.litellm(base: base, key: Self.litellmKey, model: Self.litellmModel, prompt: DuelBenchmark.prompt)
                }
            }
        }
        return Running(process: process, healthyAfter: seconds(healthy), idleMiB: idle, load: load)
    }

    /// Each client signs in as a guest first (not timed), then all send at once.
    private static func chatbotLoad(base: String, level: Int) async -> [AnswerTiming] {
        var cookies: [String] = []
        for batchStart in stride(from: 0, to: level, by: 50) {
            let batch = await withTaskGroup(of: String?.self) { group in
                for _ in batchStart..<min(level, batchStart + 50) { group.addTask { try? await DuelClients.guestCookie(base: base) } }
                return await group.reduce(into: [String?]()) { $0.append($1) }
            }
            cookies += batch.compactMap { $0 }
        }
        let failedSignIns = level - cookies.count
        var answers = await withTaskGroup(of: AnswerTiming.self) { group in
            for cookie in cookies {
                group.addTask { await DuelClients.chatbot(base: base, cookie: cookie, modelID: DuelBenchmark.modelID, prompt: DuelBenchmark.prompt) }
            }
            return await group.reduce(into: [AnswerTiming]()) { $0.append($1) }
        }
        answers += Array(repeating: AnswerTiming(firstToken: nil, whole: 0, failure: "guest sign-in failed"), count: failedSignIns)
        return answers
    }

    static let litellmKey = "sk-duel-bench"
    static let litellmModel = "nova-lite"

    static func litellmConfig(fakeURL: String) -> String {
        """
        model_list:
          - model_name: \(litellmModel)
            litellm_params:
              model: bedrock/converse/\(DuelBenchmark.modelID)
              aws_access_key_id: \(FakeBedrockServer.exampleAccessKeyID)
              aws_secret_access_key: \(FakeBedrockServer.exampleSecret)
              aws_region_name: us-east-1
              aws_bedrock_runtime_endpoint: \(fakeURL)
        litellm_settings:
          telemetry: false
          drop_params: true
        general_settings:
          master_key: \(litellmKey)

        """
    }
}
