import AsyncHTTPClient
import Bedrock
import BedrockFake
import Foundation
import NIOCore
import NIOHTTP1
import UIMessageStream

/// How one answer went, seen from its client.
struct AnswerTiming: Sendable {
    var firstToken: Double?
    var whole: Double
    var failure: String?
}

/// The three clients of the duel. Each reads the stream as it arrives and notes when the first piece of answer text
/// came and when the answer ended, so the three are measured the same way.
enum DuelClients {
    /// One pool for every client, large enough that the client side never queues.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 4096)
        configuration.timeout = .init(connect: .seconds(30), read: .seconds(120))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// The fake model itself, SigV4-signed as Bedrock expects: the pace every server is compared with.
    static func direct(fakeURL: String, modelID: String, prompt: String) async -> AnswerTiming {
        let path = "/model/\(modelID.replacingOccurrences(of: ":", with: "%3A"))/converse-stream"
        let body = Array(#"{"messages":[{"role":"user","content":[{"text":"\#(prompt)"}]}]}"#.utf8)
        let host = URL(string: fakeURL)?.host.map { host in URL(string: fakeURL)?.port.map { "\(host):\($0)" } ?? host } ?? ""
        let credentials = AWSCredentials(accessKeyID: FakeBedrockServer.exampleAccessKeyID, secretAccessKey: FakeBedrockServer.exampleSecret)
        let signature = SigV4Signer(region: "us-east-1").sign(
            method: "POST", path: path, headers: [("host", host), ("content-type", "application/json")], body: body,
            credentials: credentials, date: Date())
        var request = HTTPClientRequest(url: fakeURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in signature.headersToAdd { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        return await self.time(request) { text in
            (first: text.contains("contentBlockDelta"), done: text.contains("messageStop"), failure: text.contains("Exception") ? "exception event" : nil)
        }
    }

    /// A new chat through our server's `POST /api/chat`, as the web client sends it.
    static func chatbot(base: String, cookie: String, modelID: String, prompt: String) async -> AnswerTiming {
        var request = HTTPClientRequest(url: base + "/api/chat")
        request.method = .POST
        request.headers.add(name: "Origin", value: base)
        request.headers.add(name: "Cookie", value: cookie)
        request.headers.add(name: "Content-Type", value: "application/json")
        let ids = (UUID().uuidString.lowercased(), UUID().uuidString.lowercased())
        request.body = .bytes(
            ByteBuffer(
                string:
                    #"{"id":"\#(ids.0)","message":{"id":"\#(ids.1)","role":"user","parts":[{"type":"text","text":"\#(prompt)"}]},"selectedChatModel":"\#(modelID)","selectedVisibilityType":"private"}"#
            ))
        var parser = ServerSentEventParser()
        return await self.time(request) { text in
            var result: (first: Bool, done: Bool, failure: String?) = (false, false, nil)
            for event in parser.feed(text) {
                if event.data.contains(#""type":"text-delta""#) { result.first = true }
                if event.data.contains(#""type":"error""#) { result.failure = event.data }
                if event.data == "[DONE]" { result.done = true }
            }
            return result
        }
    }

    /// The same answer through LiteLLM's OpenAI-compatible proxy.
    static func litellm(base: String, key: String, model: String, prompt: String) async -> AnswerTiming {
        var request = HTTPClientRequest(url: base + "/v1/chat/completions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(
            ByteBuffer(string: #"{"model":"\#(model)","stream":true,"messages":[{"role":"user","content":"\#(prompt)"}]}"#))
        var parser = ServerSentEventParser()
        return await self.time(request) { text in
            var result: (first: Bool, done: Bool, failure: String?) = (false, false, nil)
            for event in parser.feed(text) {
                if event.data.contains(#""content":""#) && !event.data.contains(#""content":"""#) { result.first = true }
                if event.data.hasPrefix(#"{"error""#) { result.failure = event.data }
                if event.data == "[DONE]" { result.done = true }
            }
            return result
        }
    }

    /// A guest session on our server: the cookie its sign-in sets.
    static func guestCookie(base: String) async throws -> String {
        let response = try await self.http.execute(HTTPClientRequest(url: base + "/api/auth/guest?redirectUrl=/"), timeout: .seconds(60))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard let cookie = response.headers["set-cookie"].first.map({ String($0.split(separator: ";")[0]) }) else {
            throw DuelFailure("guest sign-in answered \(response.status.code) without a cookie")
        }
        return cookie
    }

    /// Sends `request` and feeds the body, as text, to `inspect`, which says whether answer text or the end was seen.
    private static func time(
        _ request: HTTPClientRequest, inspect: (String) -> (first: Bool, done: Bool, failure: String?)
    ) async -> AnswerTiming {
        let start = ContinuousClock.now
        var timing = AnswerTiming(firstToken: nil, whole: 0, failure: nil)
        do {
            let response = try await self.http.execute(request, timeout: .seconds(300))
            guard response.status == .ok else {
                let body = try await response.body.collect(upTo: 1 << 16)
                timing.failure = "HTTP \(response.status.code): \(String(buffer: body).prefix(200))"
                timing.whole = seconds(ContinuousClock.now - start)
                return timing
            }
            var done = false
            for try await buffer in response.body {
                let seen = inspect(String(buffer: buffer))
                if seen.first, timing.firstToken == nil { timing.firstToken = seconds(ContinuousClock.now - start) }
                if let failure = seen.failure, timing.failure == nil { timing.failure = String(failure.prefix(200)) }
                if seen.done { done = true }
            }
            if !done, timing.failure == nil { timing.failure = "the stream ended without its end marker" }
        } catch {
            timing.failure = String(describing: error)
        }
        timing.whole = seconds(ContinuousClock.now - start)
        return timing
    }
}

/// A probe of a health URL.
enum Probe {
    static func isOK(_ url: String) async -> Bool {
        guard let response = try? await DuelClients.http.execute(HTTPClientRequest(url: url), timeout: .seconds(1)) else { return false }
        _ = try? await response.body.collect(upTo: 1 << 20)
        return response.status == .ok
    }
}

struct DuelFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
