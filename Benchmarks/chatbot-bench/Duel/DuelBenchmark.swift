import BedrockFake
import Foundation

/// `chatbot-bench duel`: our server on SQLite and on PostgreSQL, and LiteLLM's proxy, in front of the same fake
/// Bedrock streaming 40 deltas 50 ms apart; N clients at once, each a new chat. Every server level is measured
/// right after the fake alone at the same N, so ratios come from one moment of one machine. The fake's own capacity
/// (2,000 streams, or twice the highest level) is checked and printed first.
///
/// Environment: CHATBOT_BIN, FAKE_BEDROCK_BIN (release builds), LITELLM_BIN (optional: LiteLLM is skipped without
/// it), POSTGRES_URL (optional: an empty database; PostgreSQL is skipped without it), DUEL_LEVELS (default
/// 1,20,50,100,200,500,1000), DUEL_CAPACITY (streams for the fake's own check; default 2,000 or twice the highest
/// level), DUEL_SERVER_ENV (extra `K=V` pairs for our server, space-separated).
enum DuelBenchmark {
    static let modelID = "global.amazon.nova-2-lite-v1:0"
    /// "You said: " + this, cut in 6-character deltas, is 40 deltas.
    static let prompt = String(repeating: "x", count: 230)
    static let eventDelayMs = 50
    /// A server whose answers fail more than this at one level is not pushed to higher levels.
    static let fallOverRate = 0.5

    static func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let levels = (environment["DUEL_LEVELS"] ?? "1,20,50,100,200,500,1000").split(separator: ",").compactMap { Int($0) }
        guard let chatbotBin = environment["CHATBOT_BIN"], let fakeBin = environment["FAKE_BEDROCK_BIN"] else {
            throw DuelFailure("set CHATBOT_BIN and FAKE_BEDROCK_BIN (scripts/bench duel does)")
        }
        let maxLevel = levels.max() ?? 1
        // The fake must carry every answer and every title stream of the highest level without being the bottleneck.
        let capacityStreams = environment["DUEL_CAPACITY"].flatMap { Int($0) } ?? max(2000, 2 * maxLevel)
        let work = NSTemporaryDirectory() + "chatbot-duel-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        say("# Duel: fake Bedrock at 40 deltas x \(eventDelayMs) ms; levels \(levels.map(String.init).joined(separator: ", "))")
        say("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; logs in \(work)")
        DuelLimits.prepare(maxLevel: maxLevel, capacityStreams: capacityStreams)

        let fake = try BenchProcess(
            name: "fake", executable: fakeBin, arguments: ["--port", "0", "--delay-ms", "\(eventDelayMs)"], environment: [:],
            logPath: work + "/fake.log")
        defer { fake.stop() }
        let fakeURL = try await self.firstLine(of: work + "/fake.log", startingWith: "http")
        let capacity = try await self.checkFakeCapacity(fakeURL: fakeURL, streams: capacityStreams)

        var contenders: [DuelContender] = [.chatbot(database: "SQLite", postgresURL: nil)]
        if let postgres = environment["POSTGRES_URL"] {
            contenders.append(.chatbot(database: "PostgreSQL", postgresURL: postgres))
        } else {
            say("PostgreSQL: skipped (no POSTGRES_URL)")
        }
        if let litellm = environment["LITELLM_BIN"] {
            contenders.append(.litellm(binary: litellm))
        } else {
            say("LiteLLM: skipped (no LITELLM_BIN)")
        }

        var rows: [DuelRow] = []
        var starts: [String] = []
        for contender in contenders {
            let server = try await contender.start(fakeURL: fakeURL, work: work, chatbotBin: chatbotBin, environment: environment)
            starts.append(String(format: "%@: healthy %.0f ms after exec, idle RSS %.1f MiB", contender.name, server.healthyAfter * 1000, server.idleMiB))
            say(starts.last!)
            for level in levels {
                let direct = await self.load(level) { await DuelClients.direct(fakeURL: fakeURL, modelID: self.modelID, prompt: self.prompt) }
                let sampler = PeakSampler(server.process)
                let cpuBefore = server.process.cpuSeconds()
                let answers = await server.load(level)
                let row = DuelRow(
                    level: level, server: contender.name, direct: direct, answers: answers, peakMiB: await sampler.finish(),
                    cpuSeconds: server.process.cpuSeconds() - cpuBefore)
                rows.append(row)
                say(row.line)
                if Double(row.failures) > Double(level) * self.fallOverRate {
                    say("\(contender.name) failed \(row.failures) of \(level) answers: not pushed further")
                    break
                }
            }
            server.process.stop()
        }
        say("")
        say(DuelRow.table(rows))
        say("- " + capacity)
        for line in starts { say("- " + line) }
        try? FileManager.default.removeItem(atPath: work)
    }

    /// The fake must not be the bottleneck: `streams` concurrent streams read straight from it. Returns the
    /// figure as one line, printed now and again under the table.
    static func checkFakeCapacity(fakeURL: String, streams: Int) async throws -> String {
        let answers = await self.load(streams) { await DuelClients.direct(fakeURL: fakeURL, modelID: self.modelID, prompt: self.prompt) }
        let summary = DuelSummary(answers)
        let line = String(
            format: "fake alone (direct capacity), %d concurrent streams: %d failed; first token p50 %.0f ms p99 %.0f ms; whole answer p50 %.2f s p99 %.2f s (ideal %.2f s)",
            streams, summary.failures, summary.firstP50 * 1000, summary.firstP99 * 1000, summary.wholeP50, summary.wholeP99,
            Double(40 * self.eventDelayMs) / 1000)
        say(line)
        if let failure = answers.compactMap(\.failure).first {
            say("warning: the fake alone failed \(summary.failures) of \(streams) streams, so it may be the bottleneck; first failure: \(failure)")
        }
        return line
    }

    /// Runs `level` clients at once and collects their timings.
    static func load(_ level: Int, _ client: @escaping @Sendable () async -> AnswerTiming) async -> [AnswerTiming] {
        await withTaskGroup(of: AnswerTiming.self) { group in
            for _ in 0..<level { group.addTask { await client() } }
            var answers: [AnswerTiming] = []
            for await answer in group { answers.append(answer) }
            return answers
        }
    }

    /// Waits for a child's log to print a line starting with `prefix` (the fake prints its URL first).
    static func firstLine(of path: String, startingWith prefix: String) async throws -> String {
        for _ in 0..<600 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
                let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) })
            {
                return String(line)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DuelFailure("\(path) never printed a line starting with \(prefix)")
    }
}
