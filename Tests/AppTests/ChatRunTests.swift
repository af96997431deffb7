import Accounts
import App
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
import UIMessageStream

@Suite("Chat: runs outlive their connection") struct ChatRunTests {
    /// 80 pieces 50 ms apart: a run that lasts 4 s, so a test that has seen it running can reach it
    /// while it still runs, however loaded the machine.
    static let words = (0..<80).map { "w\($0) " }
    static let slowReply = FakeScenario.reply(FakeReply(deltas: Self.words.map { .text($0) }, eventDelay: .milliseconds(50)))
    static var fullText: String { Self.words.joined() }

    func sessionUser(_ browser: Browser, _ client: some TestClientProtocol) async throws -> SessionUser {
        let user = try #require(try await browser.send(client, .get, "/api/auth/session").json["user"] as? [String: Any])
        return SessionUser(id: UUID(uuidString: user["id"] as! String)!, email: user["email"] as? String, kind: user["type"] as? String == "regular" ? .regular : .guest)
    }

    /// A chat that already has its title, so the next answer is the only model call (the fake's script is FIFO).
    func existingChat(_ browser: Browser, _ client: some TestClientProtocol) async throws -> UUID {
        let chatID = UUID()
        _ = try await ChatTestKit.post(browser, client, chatID: chatID, text: "warm up")
        return chatID
    }

    func command(_ chatID: UUID, _ text: String) -> AnswerEngine.Command {
        .init(chatID: chatID, trigger: .submit, messageID: UUID(), parts: [["type": "text", "text": .string(text)]], modelID: "amazon.nova-lite-v1:0", visibility: .private)
    }

    /// The last stored answer as the messages API shows it.
    struct StoredAnswer { var text: String; var status: String?; var activeRun: Bool }

    func storedAnswer(_ browser: Browser, _ client: some TestClientProtocol, _ chatID: UUID) async throws -> StoredAnswer {
        let view = try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages").json
        let last = (view["messages"] as? [[String: Any]])?.last
        let text = (last?["parts"] as? [[String: Any]])?.compactMap { $0["text"] as? String }.joined() ?? ""
        return StoredAnswer(text: text, status: (last?["metadata"] as? [String: Any])?["status"] as? String, activeRun: view["activeRun"] as? Bool == true)
    }

    /// Waits until the run is going and has saved some of its answer.
    func waitUntilStreaming(_ browser: Browser, _ client: some TestClientProtocol, _ chatID: UUID) async throws {
        try await eventually("the answer to start streaming") {
            let answer = try await self.storedAnswer(browser, client, chatID)
            return answer.activeRun && answer.status == "streaming" && !answer.text.isEmpty
        }
    }

    @Test("resuming from Last-Event-ID while the run goes on yields exactly the rest", arguments: TestDatabase.kinds)
    func resumeFromOffset(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind) { client, services, fake in
            let browser = try await Browser.guest(client)
            let chatID = try await self.existingChat(browser, client)
            fake.enqueue(Self.slowReply)
            _ = try await services.engine.send(self.command(chatID, "tell me"), user: try await self.sessionUser(browser, client))
            try await self.waitUntilStreaming(browser, client, chatID)
            let resumed = try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/stream", headers: [HTTPField.Name("Last-Event-ID")!: "4"])
            try #require(resumed.status == .ok, "the run had already ended: the test did not reach it in time")
            var parser = ServerSentEventParser()
            let events = parser.feed(resumed.text)
            #expect(events.first?.id == "5")
            #expect(events.last?.data == "[DONE]")
            #expect(events.dropLast().map(\.id) == (5..<(5 + events.count - 1)).map { String($0) })
            #expect(try await self.storedAnswer(browser, client, chatID).text == Self.fullText)
            // After the end there is nothing to resume.
            #expect(try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/stream").status == .noContent)
        }
    }

    @Test("stop cancels the upstream call and keeps the partial answer as stopped", arguments: TestDatabase.kinds)
    func stop(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind) { client, services, fake in
            let browser = try await Browser.guest(client)
            let chatID = try await self.existingChat(browser, client)
            fake.enqueue(Self.slowReply)
            _ = try await services.engine.send(self.command(chatID, "long one"), user: try await self.sessionUser(browser, client))
            try await self.waitUntilStreaming(browser, client, chatID)
            let stop = try await browser.send(client, .post, "/api/chat/\(chatID.lowercasedForTest)/stop")
            #expect(stop.json["stopped"] as? Bool == true)
            let answer = try await eventuallyValue("the run to end after stop") {
                let answer = try await self.storedAnswer(browser, client, chatID)
                return answer.status == "streaming" ? nil : answer
            }
            #expect(answer.status == "stopped")
            #expect(!answer.text.isEmpty && answer.text.count < Self.fullText.count && Self.fullText.hasPrefix(answer.text))
            try await eventually("the fake to see the upstream call aborted") { fake.streamCounts.aborted == 1 }
        }
    }

    @Test("a client that hangs up mid-answer loses nothing: the answer completes and is stored in full", arguments: TestDatabase.kinds)
    func disconnect(kind: DatabaseKind) async throws {
        let fake = FakeBedrockServer(defaultEventDelay: .zero)
        try await fake.start()
        let (database, cleanup) = try await TestDatabase.make(kind)
        let dataDirectory = NSTemporaryDirectory() + "chatbot-live-" + UUID().uuidString
        let configuration = try AppConfiguration(environment: TestApp.environment(database, dataDirectory: dataDirectory, extra: ChatTestKit.environment(fake: fake)))
        let services = try await buildServices(configuration: configuration, logger: TestDatabase.logger)
        let app = buildApplication(services: services)
        // Cleanup runs however the test ends: an unclosed SQLite connection would trap the whole process.
        defer {
            Task {
                await services.database.close()
                await cleanup()
                await fake.stop()
            }
        }
        try await app.test(.live) { client in
            let browser = try await Browser.guest(client)
            let port = try #require(client.port)
            let chatID = try await self.existingChat(browser, client)
            fake.enqueue(Self.slowReply)
            let body = String(decoding: try JSONEncoder().encode(ChatTestKit.PostBody(
                id: chatID.lowercasedForTest, message: .init(id: UUID().lowercasedForTest, parts: [.init(text: "go")]),
                selectedChatModel: "amazon.nova-lite-v1:0", selectedVisibilityType: "private")), as: UTF8.self)
            let request = "POST /api/chat HTTP/1.1\r\nHost: localhost:3000\r\nOrigin: http://localhost:3000\r\nCookie: \(browser.cookie ?? "")\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
            // Read until the answer has begun, then close the socket: the browser tab is gone.
            let seen = try await RawHTTP.sendThenHangUp(port: port, request: request, until: "\"text-delta\"")
            #expect(seen.hasPrefix("HTTP/1.1 200"))
            #expect(!seen.contains("w79 "), "hung up before the end")
            let answer = try await eventuallyValue("the answer to complete without its client") {
                let answer = try await self.storedAnswer(browser, client, chatID)
                return answer.status == "streaming" ? nil : answer
            }
            #expect(answer.status == "complete")
            #expect(answer.text == Self.fullText)
            #expect(fake.streamCounts.aborted == 0)
        }
    }

    @Test("a second instance on the same database resumes a run the first is generating", arguments: TestDatabase.kinds)
    func secondInstance(kind: DatabaseKind) async throws {
        let fake = FakeBedrockServer()
        try await fake.start()
        let (database, cleanup) = try await TestDatabase.make(kind)
        let dataDirectory = NSTemporaryDirectory() + "chatbot-two-" + UUID().uuidString
        let environment = TestApp.environment(database, dataDirectory: dataDirectory, extra: ChatTestKit.environment(fake: fake))
        let first = try await buildServices(configuration: try AppConfiguration(environment: environment), logger: TestDatabase.logger)
        let second = try await buildServices(configuration: try AppConfiguration(environment: environment), logger: TestDatabase.logger)
        defer {
            Task {
                await first.database.close()
                await second.database.close()
                await cleanup()
                await fake.stop()
            }
        }
        try await buildApplication(services: first).test(.router) { clientA in
            try await buildApplication(services: second).test(.router) { clientB in
                let browser = try await Browser.guest(clientA)
                let chatID = try await self.existingChat(browser, clientA)
                fake.enqueue(Self.slowReply)
                _ = try await first.engine.send(self.command(chatID, "hi"), user: try await self.sessionUser(browser, clientA))
                // The second instance sees the run only through the database.
                try await self.waitUntilStreaming(browser, clientB, chatID)
                let resumed = try await browser.send(clientB, .get, "/api/chat/\(chatID.lowercasedForTest)/stream")
                try #require(resumed.status == .ok, "the run had already ended: the test did not reach it in time")
                let chunks = try ChatTestKit.chunks(of: resumed)
                #expect(ChatTestKit.text(of: chunks) == Self.fullText)
                #expect(chunks.last == .finish(finishReason: "stop", metadata: nil))
            }
        }
    }

    @Test("a run whose instance died is closed as failed on the next read, keeping what was saved")
    func deadInstance() async throws {
        try await ChatTestKit.with { client, services, _ in
            let browser = try await Browser.guest(client)
            let user = try await self.sessionUser(browser, client)
            let chatID = UUID()
            let chats = ChatRepository(database: services.database)
            try await chats.create(ChatRecord(id: chatID, userID: user.id, title: "t", visibility: .private))
            let answer = MessageRecord(id: UUID(), chatID: chatID, role: .assistant, parts: [["type": "text", "text": "half an ans"]], status: .streaming)
            try await MessageRepository(database: services.database).insert(answer)
            try await RunRepository(database: services.database).create(
                RunRecord(chatID: chatID, messageID: answer.id, userID: user.id, model: "m", instanceID: "gone", heartbeatAt: Date().addingTimeInterval(-120)))
            #expect(try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/stream").status == .noContent)
            let view = try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages")
            #expect(view.json["activeRun"] as? Bool == false)
            let last = try #require((view.json["messages"] as? [[String: Any]])?.last)
            #expect((last["metadata"] as? [String: Any])?["status"] as? String == "failed")
            #expect((last["parts"] as? [[String: Any]])?.first?["text"] as? String == "half an ans")
        }
    }
}
