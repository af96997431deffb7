import App
import AsyncHTTPClient
import BedrockFake
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Storage
import Synchronization
import UIMessageStream

/// What the server adds between the model's events and the client's SSE chunks: time to first token and
/// per-token overhead against the same fake model streamed directly, then concurrent streams with
/// p50/p99 and memory. The fake streams at a fixed rate, so differences are the server's.
enum ChatBenchmark {
    /// Redirects are not followed: the guest sign-in answers with one, and its cookie is what we want.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 128)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
    static let tokens = 100
    static let eventDelay = Duration.milliseconds(5)

    static func run() async throws {
        say("Chat streaming benchmark: fake Bedrock streaming \(self.tokens) deltas, \(self.eventDelay) apart (release build recommended)")
        let fake = FakeBedrockServer(defaultEventDelay: self.eventDelay)
        let fakeURL = try await fake.start()
        let dataDirectory = NSTemporaryDirectory() + "chatbot-bench-" + UUID().uuidString
        let port = Int.random(in: 20000..<40000)
        var environment: [String: String] = [
            "PORT": "\(port)", "HOST": "127.0.0.1", "DATA_DIR": dataDirectory, "LOG_LEVEL": "error", "RATE_LIMIT_GUEST": "100000",
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fakeURL, "AWS_ACCESS_KEY_ID": FakeBedrockServer.exampleAccessKeyID,
            "AWS_SECRET_ACCESS_KEY": FakeBedrockServer.exampleSecret, "MODEL_PROVIDER": "bedrock",
        ]
        if let url = ProcessInfo.processInfo.environment["POSTGRES_URL"] { environment["POSTGRES_URL"] = url }
        let configuration = try AppConfiguration(environment: environment)
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let services = try await buildServices(configuration: configuration, logger: logger)
        let app = buildApplication(services: services)
        let server = Task { try await app.run() }
        try await Task.sleep(for: .milliseconds(300))
        say("database: \(configuration.database.redacted)")
        let base = "http://127.0.0.1:\(port)"
        let prompt = String(repeating: "x", count: self.tokens * 6 - 10)

        // Baseline: the fake's own pace, measured by a plain HTTP client reading its event stream.
        let direct = try await self.timeDirect(fakeURL: fakeURL, fake: fake, prompt: prompt)
        say(String(format: "direct from model: first event %.1f ms, all %d deltas %.1f ms", direct.first * 1000, self.tokens, direct.total * 1000))

        let rssBefore = self.residentMemoryKB()
        for concurrency in [1, 10, 50] {
            var firsts: [Double] = []
            var totals: [Double] = []
            try await withThrowingTaskGroup(of: (Double, Double).self) { group in
                for _ in 0..<concurrency {
                    group.addTask { try await self.timeChat(base: base, prompt: prompt) }
                }
                for try await (first, total) in group {
                    firsts.append(first)
                    totals.append(total)
                }
            }
            let p50 = self.percentile(firsts, 0.5), p99 = self.percentile(firsts, 0.99)
            let t50 = self.percentile(totals, 0.5), t99 = self.percentile(totals, 0.99)
            let overhead = (t50 - direct.total) / Double(self.tokens)
            say(String(format: "%3d concurrent: first token p50 %.1f ms p99 %.1f ms (+%.1f ms vs direct) | whole answer p50 %.1f ms p99 %.1f ms | per-token overhead p50 %.3f ms",
                         concurrency, p50 * 1000, p99 * 1000, (p50 - direct.first) * 1000, t50 * 1000, t99 * 1000, overhead * 1000))
        }
        let rssAfter = self.residentMemoryKB()
        say("resident memory: \(rssBefore / 1024) MB before, \(rssAfter / 1024) MB after the runs; peak \(self.peakMemoryKB() / 1024) MB")
        server.cancel()
        _ = await server.result
        await services.database.close()
        await fake.stop()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    /// One chat through our server: guest session, POST /api/chat, read SSE until [DONE].
    static func timeChat(base: String, prompt: String) async throws -> (first: Double, total: Double) {
        var guest = HTTPClientRequest(url: base + "/api/auth/guest?redirectUrl=/")
        let guestResponse = try await self.client.execute(guest, timeout: .seconds(30))
        let cookie = guestResponse.headers["set-cookie"].first.map { String($0.split(separator: ";")[0]) } ?? ""
        _ = try await guestResponse.body.collect(upTo: 1 << 20)
        var request = HTTPClientRequest(url: base + "/api/chat")
        request.method = .POST
        request.headers.add(name: "Origin", value: base)
        request.headers.add(name: "Cookie", value: cookie)
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = #"{"id":"\#(UUID().uuidString.lowercased())","message":{"id":"\#(UUID().uuidString.lowercased())","role":"user","parts":[{"type":"text","text":"\#(prompt)"}]},"selectedChatModel":"global.amazon.nova-2-lite-v1:0","selectedVisibilityType":"private"}"#
        request.body = .bytes(ByteBuffer(string: body))
        let start = ContinuousClock.now
        let response = try await self.client.execute(request, timeout: .seconds(120))
        var parser = ServerSentEventParser()
        var first: Double?
        for try await buffer in response.body {
            for event in parser.feed(String(buffer: buffer)) {
                if first == nil, event.data.contains("\"text-delta\"") { first = self.seconds(ContinuousClock.now - start) }
                if event.data == "[DONE]" { return (first ?? 0, self.seconds(ContinuousClock.now - start)) }
            }
        }
        return (first ?? 0, self.seconds(ContinuousClock.now - start))
    }

    /// The same answer read straight from the fake (signed by the fake's example keys via the chatbot's client).
    static func timeDirect(fakeURL: String, fake: FakeBedrockServer, prompt: String) async throws -> (first: Double, total: Double) {
        let environment = [
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fakeURL, "AWS_ACCESS_KEY_ID": FakeBedrockServer.exampleAccessKeyID,
            "AWS_SECRET_ACCESS_KEY": FakeBedrockServer.exampleSecret, "MODEL_PROVIDER": "bedrock", "DATA_DIR": NSTemporaryDirectory(),
        ]
        let start = ContinuousClock.now
        let first = FirstToken()
        _ = try await Diagnostics.ask(prompt: prompt, modelID: "global.amazon.nova-2-lite-v1:0", configuration: try AppConfiguration(environment: environment),
                                     logger: Logger(label: "bench")) { _ in first.mark(start) }
        return (first.value ?? 0, self.seconds(ContinuousClock.now - start))
    }

    final class FirstToken: Sendable {
        private let first = Mutex<Double?>(nil)
        var value: Double? { self.first.withLock { $0 } }
        func mark(_ start: ContinuousClock.Instant) {
            self.first.withLock { if $0 == nil { $0 = ChatBenchmark.seconds(ContinuousClock.now - start) } }
        }
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func residentMemoryKB() -> Int { self.statusField("VmRSS:") }
    static func peakMemoryKB() -> Int { self.statusField("VmHWM:") }

    static func statusField(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}

/// Prints at once: figures must survive whatever happens after them.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
