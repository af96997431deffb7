import Accounts
import App
import AsyncHTTPClient
import BedrockFake
import Chat
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import TestSupport
import Testing

/// `/metrics`: where it is served, who may read it, and that the counters move with real traffic.
/// Metrics are process-wide (swift-metrics has one backend per process), and other suites run in the same
/// process, so the checks compare before and after and ask only for "at least".
@Suite("Metrics: /metrics for an operator to scrape") struct MetricsTests {
    static let token = "metrics-token-0123456789abcdef"

    /// The sum of the samples of `name` whose labels include every pair of `labels`.
    static func value(_ name: String, _ labels: [String: String] = [:], in text: String) -> Double {
        var sum = 0.0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let seriesName = series.split(separator: "{", maxSplits: 1).first.map(String.init) ?? ""
            guard seriesName == name, labels.allSatisfy({ series.contains("\($0.key)=\"\($0.value)\"") }) else { continue }
            sum += Double(line[line.index(after: space)...]) ?? 0
        }
        return sum
    }

    static func scrape(port: Int, token: String? = nil) async throws -> (status: Int, text: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 4 << 20)))
    }

    @Test("on its own port, /metrics counts requests by route, answers, tokens and guests, and no label holds an id", arguments: TestDatabase.kinds)
    func countersMove(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind, environment: ["METRICS_PORT": "0", "METRICS_TOKEN": Self.token]) { client, services, _ in
            let port = try await eventuallyValue("the metrics listener to bind") { services.metricsListener.port }
            #expect(try await Self.scrape(port: port).status == 401)
            let before = try await Self.scrape(port: port, token: Self.token).text
            let model = "amazon.nova-lite-v1:0"

            let browser = try await Browser.guest(client)
            let chatID = UUID()
            let response = try await ChatTestKit.post(browser, client, chatID: chatID, text: "hello metrics", model: model)
            #expect(response.status == .ok)
            #expect(try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages").status == .ok)
            // The answer is saved (and its timing and tokens recorded) just after its stream ends.
            let after = try await eventuallyValue("the answer's metrics") { () -> String? in
                let text = try await Self.scrape(port: port, token: Self.token).text
                let saved = Self.value("chatbot_answer_duration_seconds_count", ["model": model], in: text)
                    > Self.value("chatbot_answer_duration_seconds_count", ["model": model], in: before)
                return saved ? text : nil
            }
            func moved(_ name: String, _ labels: [String: String] = [:], by amount: Double = 1) -> Bool {
                Self.value(name, labels, in: after) - Self.value(name, labels, in: before) >= amount
            }
            #expect(moved("chatbot_http_requests_total", ["route": "/api/chat", "method": "POST", "status": "200"]))
            // The route label is the pattern, not the path with the chat's id in it.
            #expect(moved("chatbot_http_requests_total", ["route": "/api/chat/{id}/messages", "method": "GET", "status": "200"]))
            #expect(moved("chatbot_http_request_duration_seconds_count", ["route": "/api/chat", "method": "POST"]))
            #expect(moved("chatbot_guests_created_total"))
            #expect(moved("chatbot_answers_started_total", ["model": model]))
            #expect(moved("chatbot_answers_finished_total", ["model": model, "outcome": "completed"]))
            #expect(moved("chatbot_answer_first_token_seconds_count", ["model": model]))
            // A new chat's title is settled (written, fallen back or given up) before its answer is saved.
            #expect(moved("chatbot_titles_total"))
            // Gauges go back down when the answer ends; that they exist shows the answer and its model call were tracked.
            #expect(after.contains("chatbot_answers_in_flight{model=\"\(model)\"}"))
            #expect(after.contains("chatbot_model_calls_in_flight{purpose=\"answer\"}"))
            // The fake reports 10 tokens in and one out per piece of its reply.
            #expect(moved("chatbot_model_input_tokens_total", ["model": model], by: 10))
            #expect(moved("chatbot_model_output_tokens_total", ["model": model]))
            if kind == .postgres {
                #expect(moved("chatbot_database_connection_wait_seconds_count"))
            }
            // No label value is a user, chat, run or message id.
            let uuid = try Regex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
            #expect(!after.contains(uuid))
            #expect(!after.contains(chatID.lowercasedForTest))
        }
    }

    @Test("a failed answer is counted as failed, by the model error's kind")
    func failureIsCountedByKind() async throws {
        try await ChatTestKit.with(environment: ["METRICS_TOKEN": Self.token]) { client, _, _ in
            let auth: HTTPFields = [.hostHeader: "localhost:3000", .authorization: "Bearer \(Self.token)"]
            let model = "amazon.nova-lite-v1:0"
            let before = try await client.execute(uri: "/metrics", method: .get, headers: auth).text
            let browser = try await Browser.guest(client)
            _ = try await ChatTestKit.post(browser, client, chatID: UUID(), text: "fake:error:AccessDeniedException", model: model)
            let failed = ["model": model, "error_kind": "accessDenied"]
            let after = try await eventuallyValue("the failure to be counted") { () -> String? in
                let text = try await client.execute(uri: "/metrics", method: .get, headers: auth).text
                return Self.value("chatbot_answers_failed_total", failed, in: text) > Self.value("chatbot_answers_failed_total", failed, in: before)
                    ? text : nil
            }
            let outcome = ["model": model, "outcome": "failed"]
            #expect(Self.value("chatbot_answers_finished_total", outcome, in: after) - Self.value("chatbot_answers_finished_total", outcome, in: before) >= 1)
        }
    }

    @Test("a reader coming back to a running answer is counted as a resume from memory")
    func resumeIsCounted() async throws {
        try await ChatTestKit.with(environment: ["METRICS_TOKEN": Self.token]) { client, services, fake in
            let auth: HTTPFields = [.hostHeader: "localhost:3000", .authorization: "Bearer \(Self.token)"]
            let browser = try await Browser.guest(client)
            // A chat with its title already, so the next answer is the fake's only call (its script is first in, first out).
            let chatID = UUID()
            _ = try await ChatTestKit.post(browser, client, chatID: chatID, text: "warm up")
            let session = try #require(try await browser.send(client, .get, "/api/auth/session").json["user"] as? [String: Any])
            let user = SessionUser(id: try #require(UUID(uuidString: session["id"] as? String ?? "")), email: nil, kind: .guest)
            // 80 pieces 50 ms apart: the answer runs for 4 s, long enough to be reached while it runs on a loaded machine.
            fake.enqueue(.reply(FakeReply(deltas: (0..<80).map { .text("w\($0) ") }, eventDelay: .milliseconds(50))))
            let before = try await client.execute(uri: "/metrics", method: .get, headers: auth).text
            _ = try await services.engine.send(
                .init(chatID: chatID, trigger: .submit, messageID: UUID(), parts: [["type": "text", "text": "tell me"]],
                      modelID: "amazon.nova-lite-v1:0", visibility: .private),
                user: user)
            let resumed = try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/stream")
            try #require(resumed.status == .ok, "the run had already ended: the test did not reach it in time")
            let after = try await client.execute(uri: "/metrics", method: .get, headers: auth).text
            let source = ["source": "memory"]
            #expect(Self.value("chatbot_stream_resumes_total", source, in: after) - Self.value("chatbot_stream_resumes_total", source, in: before) >= 1)
        }
    }

    @Test("with only METRICS_TOKEN, /metrics is on the public port for the token alone; without it the path is a 404")
    func publicPortNeedsTheToken() async throws {
        try await TestApp.with(environment: ["METRICS_TOKEN": Self.token]) { client, _ in
            let bare = try await client.execute(uri: "/metrics", method: .get, headers: [.hostHeader: "localhost:3000"])
            #expect(bare.status == .notFound)
            let wrong = try await client.execute(
                uri: "/metrics", method: .get, headers: [.hostHeader: "localhost:3000", .authorization: "Bearer not-the-token-at-all-000"])
            #expect(wrong.status == .notFound)
            let right = try await client.execute(
                uri: "/metrics", method: .get, headers: [.hostHeader: "localhost:3000", .authorization: "Bearer \(Self.token)"])
            #expect(right.status == .ok)
            #expect(right.headers[.contentType]?.hasPrefix("text/plain") == true)
            // The scrape before this one was counted under its route pattern.
            #expect(right.text.contains("chatbot_http_requests_total{route=\"/metrics\""))
        }
    }

    @Test("without METRICS_PORT or METRICS_TOKEN there is no /metrics")
    func offByDefault() async throws {
        try await TestApp.with { client, _ in
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.hostHeader: "localhost:3000"])
            #expect(response.status == .notFound)
        }
    }

    @Test("metrics configuration is checked at start, naming the variable and the fix")
    func configuration() throws {
        func error(_ env: [String: String]) -> ConfigurationError? {
            do {
                _ = try AppConfiguration(environment: ["AUTH_SECRET": "test-secret-0123456789-abcdefghij"].merging(env) { _, new in new })
                return nil
            } catch {
                return error
            }
        }
        let off = try AppConfiguration(environment: [:]).metrics
        #expect(!off.isEnabled)
        let ownPort = try AppConfiguration(environment: ["METRICS_PORT": "9464"]).metrics
        #expect(ownPort.port == 9464 && ownPort.host == "127.0.0.1" && !ownPort.onPublicPort)
        #expect(try AppConfiguration(environment: ["METRICS_PORT": "9464", "METRICS_HOST": "0.0.0.0"]).metrics.host == "0.0.0.0")
        #expect(try AppConfiguration(environment: ["METRICS_TOKEN": Self.token]).metrics.onPublicPort)
        #expect(error(["METRICS_PORT": "metrics"])?.variable == "METRICS_PORT")
        #expect(error(["METRICS_PORT": "70000"])?.variable == "METRICS_PORT")
        #expect(error(["METRICS_PORT": "3000"])?.message.contains("must differ from PORT") == true)
        #expect(error(["METRICS_HOST": "0.0.0.0"])?.variable == "METRICS_HOST")
        #expect(error(["METRICS_TOKEN": "short"])?.variable == "METRICS_TOKEN")
    }
}
