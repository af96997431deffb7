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
import UIMessageStream

@Suite("Chat: runs outlive their connection") struct ChatRunTests {
    static let slowReply = FakeScenario.reply(FakeReply(deltas: (0..<40).map { .text("w\($0) ") }, eventDelay: .milliseconds(25)))

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

    @Test("resuming from Last-Event-ID while the run goes on yields exactly the rest", arguments: TestDatabase.kinds)
    func resumeFromOffset(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind) { client, services, fake in
            let browser = try await Browser.guest(client)
            let chatID = try await self.existingChat(browser, client)
            fake.enqueue(Self.slowReply)
            _ = try await services.engine.send(self.command(chatID, "tell me"), user: try await self.sessionUser(browser, client))
            try await Task.sleep(for: .milliseconds(300))
            let resumed = try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/stream", headers: [HTTPField.Name("Last-Event-ID")!: "4"])
            #expect(resumed.status == .ok)
            var parser = ServerSentEventParser()
            let events = parser.feed(resumed.text)
            #expect(events.first?.id == "5")
            #expect(events.last?.data == "[DONE]")
            let messages = try #require(try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages").json["messages"] as? [[String: Any]])
            let stored = (messages.last?["parts"] as? [[String: Any]])?.compactMap { $0["text"] as? String }.joined()
            #expect(stored == (0..<40).map { "w\($0) " }.joined())
            // After the end there is nothing to resume.
            #expect(try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/stream").status == .noContent)
        }
    }

    @Test("stop cancels the upstream call and keeps the partial answer as stopped")
    func stop() async throws {
        try await ChatTestKit.with { client, services, fake in
            let browser = try await Browser.guest(client)
            let chatID = try await self.existingChat(browser, client)
            fake.enqueue(Self.slowReply)
            _ = try await services.engine.send(self.command(chatID, "long one"), user: try await self.sessionUser(browser, client))
            // Stop once some text has been saved, however slow the machine is.
            for _ in 0..<100 {
                let messages = try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages").json["messages"] as? [[String: Any]]
                let text = (messages?.last?["parts"] as? [[String: Any]])?.compactMap { $0["text"] as? String }.joined() ?? ""
                if !text.isEmpty { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let stop = try await browser.send(client, .post, "/api/chat/\(chatID.lowercasedForTest)/stop")
            #expect(stop.json["stopped"] as? Bool == true)
            var status: String?
            for _ in 0..<50 {
                let messages = try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages").json["messages"] as? [[String: Any]]
                status = (messages?.last?["metadata"] as? [String: Any])?["status"] as? String
                if status != "streaming" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(status == "stopped")
            let messages = try #require(try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages").json["messages"] as? [[String: Any]])
            let text = (messages.last?["parts"] as? [[String: Any]])?.compactMap { $0["text"] as? String }.joined() ?? ""
            #expect(!text.isEmpty && text.count < (0..<40).map { "w\($0) " }.joined().count)
            try await Task.sleep(for: .milliseconds(200))
            #expect(fake.streamCounts.aborted == 1)
        }
    }

    @Test("a client that disconnects mid-answer loses nothing: the answer completes and is stored")
    func disconnect() async throws {
        let fake = FakeBedrockServer(defaultEventDelay: .zero)
        try await fake.start()
        let dataDirectory = NSTemporaryDirectory() + "chatbot-live-" + UUID().uuidString
        let configuration = try AppConfiguration(environment: TestApp.environment(.sqlite(path: dataDirectory + "/db.sqlite"), dataDirectory: dataDirectory,
                                                                                 extra: ChatTestKit.environment(fake: fake)))
        let services = try await buildServices(configuration: configuration, logger: TestDatabase.logger)
        let app = buildApplication(services: services)
        try await app.test(.live) { client in
            let browser = try await Browser.guest(client)
            let port = try #require(client.port)
            let chatID = try await self.existingChat(browser, client)
            fake.enqueue(Self.slowReply)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/chat")
            request.method = .POST
            request.headers.add(name: "Host", value: "localhost:3000")
            request.headers.add(name: "Origin", value: "http://localhost:3000")
            request.headers.add(name: "Cookie", value: browser.cookie ?? "")
            request.headers.add(name: "Content-Type", value: "application/json")
            let body = ChatTestKit.PostBody(id: chatID.lowercasedForTest, message: .init(id: UUID().lowercasedForTest, parts: [.init(text: "go")]),
                                            selectedChatModel: "amazon.nova-lite-v1:0", selectedVisibilityType: "private")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            var received = 0
            for try await _ in response.body {
                received += 1
                if received >= 2 { break }  // walk away mid-answer
            }
            var status: String?
            for _ in 0..<100 {
                let messages = try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages").json["messages"] as? [[String: Any]]
                status = (messages?.last?["metadata"] as? [String: Any])?["status"] as? String
                if status == "complete" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(status == "complete")
            #expect(fake.streamCounts.aborted == 0)
        }
        await services.database.close()
        await fake.stop()
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
        try await buildApplication(services: first).test(.router) { clientA in
            try await buildApplication(services: second).test(.router) { clientB in
                let browser = try await Browser.guest(clientA)
                let chatID = try await self.existingChat(browser, clientA)
                fake.enqueue(Self.slowReply)
                _ = try await first.engine.send(self.command(chatID, "hi"), user: try await self.sessionUser(browser, clientA))
                try await Task.sleep(for: .milliseconds(200))
                let resumed = try await browser.send(clientB, .get, "/api/chat/\(chatID.lowercasedForTest)/stream")
                #expect(resumed.status == .ok)
                let chunks = try ChatTestKit.chunks(of: resumed)
                #expect(ChatTestKit.text(of: chunks) == (0..<40).map { "w\($0) " }.joined())
                #expect(chunks.last == .finish(finishReason: "stop", metadata: nil))
            }
        }
        await first.database.close()
        await second.database.close()
        await cleanup()
        await fake.stop()
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
