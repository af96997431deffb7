import Accounts
import App
import Bedrock
import BedrockFake
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Storage
import TestSupport
import Testing

/// Chat rules seen over HTTP: the allowance's reset time and message ids that belong to another chat.
@Suite("Chat rules over HTTP") struct ChatRulesTests {
    @Test("the allowance counts a rolling 24 hours: older messages free up, and the refusal says when the oldest counted one leaves", arguments: TestDatabase.kinds)
    func allowanceResetTime(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind, environment: ["RATE_LIMIT_GUEST": "2"]) { client, services, _ in
            let browser = try await Browser.guest(client)
            let user = try await AuthTests().sessionUser(browser, client)
            let quota = QuotaRepository(database: services.database)
            // One message 25 hours ago (outside the window) and one 23 hours ago (inside it).
            let now = Date()
            for hoursAgo in [25.0, 23.0] {
                #expect(try await quota.takeMessage(userID: user.id, limit: 100, since: .distantPast, at: now.addingTimeInterval(-hoursAgo * 3600)) == nil)
            }
            #expect(try await ChatTestKit.post(browser, client, chatID: UUID(), text: "second of two").status == .ok)
            let asked = Date()
            let refused = try await ChatTestKit.post(browser, client, chatID: UUID(), text: "third")
            let answered = Date()
            #expect(refused.status == .tooManyRequests)
            #expect(refused.json["code"] as? String == "rate_limit:chat")
            // The message from 23 hours ago leaves the window one hour after `now`: the refusal names that
            // instant, and Retry-After counts down to it from when the server answered (however slow that was).
            let resetsAt = try #require((refused.json["cause"] as? String)?.split(separator: "=").last.map(String.init))
            let reset = try #require(ISO8601DateFormatter().date(from: resetsAt))
            #expect(abs(reset.timeIntervalSince(now) - 3600) < 1.5, "resetsAt \(resetsAt)")
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            let bounds = Int(reset.timeIntervalSince(answered)) - 1...Int(reset.timeIntervalSince(asked).rounded(.up)) + 1
            #expect(bounds.contains(retryAfter), "Retry-After \(retryAfter), expected within \(bounds)")
            #expect((refused.json["message"] as? String)?.contains(resetsAt) == true, "\(refused.json)")
        }
    }

    @Test("a message id already used in another chat is refused, and neither chat changes", arguments: TestDatabase.kinds)
    func messageIDOfAnotherChat(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind) { client, _, _ in
            let browser = try await Browser.guest(client)
            let (first, second) = (UUID(), UUID())
            let messageID = UUID()
            #expect(try await ChatTestKit.post(browser, client, chatID: first, text: "mine", messageID: messageID).status == .ok)
            #expect(try await ChatTestKit.post(browser, client, chatID: second, text: "other chat").status == .ok)
            let reused = try await ChatTestKit.post(browser, client, chatID: second, text: "stolen id", messageID: messageID)
            #expect(reused.status == .badRequest)
            #expect((reused.json["message"] as? String)?.contains("already used by another chat") == true, "\(reused.json)")
            for (chat, text) in [(first, "mine"), (second, "other chat")] {
                let messages = try #require(try await browser.send(client, .get, "/api/chat/\(chat.lowercasedForTest)/messages").json["messages"] as? [[String: Any]])
                #expect(messages.count == 2)
                #expect((messages.first?["parts"] as? [[String: Any]])?.first?["text"] as? String == text)
            }
        }
    }

    @Test("a message id of another user's chat cannot start a new chat either", arguments: TestDatabase.kinds)
    func messageIDReusedForNewChat(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind) { client, _, _ in
            let owner = try await Browser.guest(client)
            let messageID = UUID()
            let chat = UUID()
            #expect(try await ChatTestKit.post(owner, client, chatID: chat, text: "mine", messageID: messageID).status == .ok)
            let other = try await Browser.guest(client)
            let reused = try await ChatTestKit.post(other, client, chatID: UUID(), text: "stolen id", messageID: messageID)
            // Found by this test: the id was checked only when the chat existed, so a new chat got a database
            // error (500) and was left behind empty in the history.
            let othersChats = try await other.send(client, .get, "/api/history").json["chats"] as? [Any]
            #expect(reused.status == .badRequest, "\(reused.status) \(reused.text)")
            #expect(othersChats?.isEmpty == true)
            let messages = try #require(try await owner.send(client, .get, "/api/chat/\(chat.lowercasedForTest)/messages").json["messages"] as? [[String: Any]])
            #expect((messages.first?["parts"] as? [[String: Any]])?.first?["text"] as? String == "mine")
        }
    }

    @Test("each answer's token usage is recorded once, for the user, chat, message and model", arguments: TestDatabase.kinds)
    func usageAccounting(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind) { client, services, fake in
            let browser = try await Browser.guest(client)
            let user = try await AuthTests().sessionUser(browser, client)
            let chatID = UUID()
            // The first message also asks for a title; that call is not the answer's usage.
            _ = try await ChatTestKit.post(browser, client, chatID: chatID, text: "warm up")
            fake.enqueue(.reply(FakeReply(deltas: [.text("counted")], usage: Usage(inputTokens: 123, outputTokens: 45, totalTokens: 168, cacheReadInputTokens: 7, cacheWriteInputTokens: 3))))
            let chunks = try ChatTestKit.chunks(of: try await ChatTestKit.post(browser, client, chatID: chatID, text: "count me"))
            guard case .start(let answerID)? = chunks.first, let messageID = UUID(uuidString: answerID) else {
                Issue.record("no start chunk with a message id: \(chunks.prefix(2))")
                return
            }
            struct Row: Decodable, Sendable {
                let user_id: UUID, chat_id: UUID?, model: String
                let input_tokens: Int, output_tokens: Int, cache_read_tokens: Int, cache_write_tokens: Int
            }
            let rows = try await eventuallyValue("the answer's usage to be recorded") {
                let rows = try await services.database.withSQL { sql in
                    try await sql.raw("SELECT * FROM usage_events WHERE message_id = \(bind: messageID)").all(decoding: Row.self)
                }
                return rows.isEmpty ? nil : rows
            }
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(row.user_id == user.id)
            #expect(row.chat_id == chatID)
            #expect(row.model == "amazon.nova-lite-v1:0")
            let tokens: [Int] = [row.input_tokens, row.output_tokens, row.cache_read_tokens, row.cache_write_tokens]
            #expect(tokens == [123, 45, 7, 3])
        }
    }

    @Test("two sends racing for the last message of the allowance: exactly one gets it", arguments: TestDatabase.kinds)
    func lastMessageRace(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind, environment: ["RATE_LIMIT_GUEST": "1"]) { client, _, _ in
            let browser = try await Browser.guest(client)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<4 {
                    group.addTask { try await ChatTestKit.post(browser, client, chatID: UUID(), text: "racer \(index)").status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 3, "\(statuses)")
            #expect((try await browser.send(client, .get, "/api/history").json["chats"] as? [Any])?.count == 1)
        }
    }
}
