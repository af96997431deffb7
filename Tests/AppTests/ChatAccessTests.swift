import App
import BedrockFake
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing
import UIMessageStream

@Suite("Chat: ownership, edits and limits") struct ChatAccessTests {
    @Test("another user's private chat gives 404 on every endpoint and never data", arguments: TestDatabase.kinds)
    func ownership(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind) { client, services, _ in
            let owner = try await Browser.guest(client)
            let other = try await Browser.guest(client)
            let chatID = UUID()
            let first = try ChatTestKit.chunks(of: try await ChatTestKit.post(owner, client, chatID: chatID, text: "secret plans"))
            guard case .start(let messageID) = first.first else { Issue.record("no start"); return }
            let id = chatID.lowercasedForTest
            // A document in the chat, with a suggestion: every document endpoint must hide it too.
            let ownerID = try await DocumentAPITests.userID(owner, client)
            let documents = DocumentRepository(database: services.database)
            let document = try #require(try await documents.addVersion(
                DocumentRecord(id: UUID(), userID: ownerID, chatID: chatID, title: "secret plans", kind: .text, content: "secret plans")))
            _ = try await documents.addSuggestion(SuggestionRecord(
                documentID: document.id, documentCreatedAt: document.createdAt, userID: ownerID, originalText: "secret plans",
                suggestedText: "secret plans, refined", description: nil))
            let documentID = document.id.lowercasedForTest
            let versionTime = document.createdAt.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
            let attempts: [(HTTPRequest.Method, String, ByteBuffer?)] = [
                (.get, "/api/chat/\(id)/messages", nil),
                (.get, "/api/chat/\(id)/stream", nil),
                (.post, "/api/chat/\(id)/stop", nil),
                (.patch, "/api/chat/\(id)/visibility", ByteBuffer(string: #"{"visibility":"public"}"#)),
                (.get, "/api/vote?chatId=\(id)", nil),
                (.patch, "/api/vote", ByteBuffer(string: #"{"chatId":"\#(id)","messageId":"\#(messageID)","type":"down"}"#)),
                (.get, "/api/document?id=\(documentID)", nil),
                (.post, "/api/document?id=\(documentID)", ByteBuffer(string: #"{"title":"mine","content":"overwritten","kind":"text"}"#)),
                (.delete, "/api/document?id=\(documentID)&timestamp=\(versionTime)", nil),
                (.get, "/api/suggestions?documentId=\(documentID)", nil),
                (.delete, "/api/chat?id=\(id)", nil),
            ]
            for (method, uri, body) in attempts {
                let response = try await other.send(client, method, uri, body: body)
                #expect(response.status == .notFound, "\(method) \(uri)")
                #expect(!response.text.contains("secret plans"))
            }
            let hijack = try await ChatTestKit.post(other, client, chatID: chatID, text: "let me in")
            #expect(hijack.status == .notFound)
            let history = try await other.send(client, .get, "/api/history")
            #expect((history.json["chats"] as? [Any])?.isEmpty == true)
            // The owner still has everything.
            let mine = try await owner.send(client, .get, "/api/chat/\(id)/messages")
            #expect((mine.json["messages"] as? [Any])?.count == 2)
            #expect(try await documents.versions(of: document.id, ownedBy: ownerID).map(\.content) == ["secret plans"])
            #expect(try await documents.suggestions(documentID: document.id, ownedBy: ownerID).count == 1)
        }
    }

    @Test("a public chat is readable by anyone and writable only by its owner")
    func publicChat() async throws {
        try await ChatTestKit.with { client, _, _ in
            let owner = try await Browser.guest(client)
            let chatID = UUID()
            _ = try await ChatTestKit.post(owner, client, chatID: chatID, text: "share me", visibility: "public")
            let reader = try await Browser.guest(client)
            let view = try await reader.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages")
            #expect(view.status == .ok)
            #expect((view.json["chat"] as? [String: Any])?["isOwner"] as? Bool == false)
            #expect(try await ChatTestKit.post(reader, client, chatID: chatID, text: "mine now").status == .notFound)
            let privateAgain = try await owner.send(client, .patch, "/api/chat/\(chatID.lowercasedForTest)/visibility", body: ByteBuffer(string: #"{"visibility":"private"}"#))
            #expect(privateAgain.status == .ok)
            #expect(try await reader.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages").status == .notFound)
        }
    }

    @Test("editing a message removes it and everything after it, then answers again")
    func edit() async throws {
        try await ChatTestKit.with { client, _, _ in
            let browser = try await Browser.guest(client)
            let chatID = UUID()
            let firstID = UUID()
            _ = try await ChatTestKit.post(browser, client, chatID: chatID, text: "first", messageID: firstID)
            _ = try await ChatTestKit.post(browser, client, chatID: chatID, text: "second")
            let edited = try ChatTestKit.chunks(of: try await ChatTestKit.post(browser, client, chatID: chatID, text: "first, edited", messageID: firstID))
            #expect(ChatTestKit.text(of: edited) == "You said: first, edited")
            let messages = try #require(try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages").json["messages"] as? [[String: Any]])
            #expect(messages.count == 2)
            #expect(messages[0]["id"] as? String == firstID.lowercasedForTest)
            #expect((messages[0]["parts"] as? [[String: Any]])?.first?["text"] as? String == "first, edited")
        }
    }

    @Test("regenerate replaces the last answer")
    func regenerate() async throws {
        try await ChatTestKit.with { client, _, _ in
            let browser = try await Browser.guest(client)
            let chatID = UUID()
            let first = try ChatTestKit.chunks(of: try await ChatTestKit.post(browser, client, chatID: chatID, text: "again please"))
            let body = ChatTestKit.PostBody(id: chatID.lowercasedForTest, message: nil, selectedChatModel: "amazon.nova-lite-v1:0",
                                            selectedVisibilityType: "private", trigger: "regenerate-message")
            let second = try ChatTestKit.chunks(of: try await browser.send(client, .post, "/api/chat", body: browser.json(body)))
            #expect(first.first != second.first)
            let messages = try #require(try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages").json["messages"] as? [[String: Any]])
            #expect(messages.count == 2)
            guard case .start(let newID) = second.first else { Issue.record("no start"); return }
            #expect(messages[1]["id"] as? String == newID)
        }
    }

    @Test("the guest limit is exact: the last allowed message passes, the next gets 429 with the reset time")
    func entitlementBoundary() async throws {
        try await ChatTestKit.with(environment: ["RATE_LIMIT_GUEST": "3"]) { client, _, _ in
            let browser = try await Browser.guest(client)
            for index in 0..<3 {
                #expect(try await ChatTestKit.post(browser, client, chatID: UUID(), text: "message \(index)").status == .ok)
            }
            let refused = try await ChatTestKit.post(browser, client, chatID: UUID(), text: "one too many")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.json["code"] as? String == "rate_limit:chat")
            #expect((refused.json["message"] as? String)?.contains("3 messages per 24 hours") == true)
            #expect(refused.headers[.retryAfter] != nil)
            // Nothing was stored for the refused message.
            #expect((try await browser.send(client, .get, "/api/history").json["chats"] as? [Any])?.count == 3)
        }
    }

    @Test("unknown models, empty and oversized messages are refused before anything is stored")
    func validation() async throws {
        try await ChatTestKit.with(environment: ["MAX_MESSAGE_LENGTH": "20"]) { client, _, fake in
            let browser = try await Browser.guest(client)
            let unknown = try await ChatTestKit.post(browser, client, chatID: UUID(), text: "hi", model: "gpt-17-ultra")
            #expect(unknown.status == .badRequest)
            #expect((unknown.json["message"] as? String)?.contains("gpt-17-ultra") == true)
            let long = try await ChatTestKit.post(browser, client, chatID: UUID(), text: String(repeating: "a", count: 21))
            #expect(long.status == .badRequest)
            #expect((long.json["message"] as? String)?.contains("20 characters") == true)
            #expect(try await ChatTestKit.post(browser, client, chatID: UUID(), text: "   ").status == .badRequest)
            // Refused before anything reached the model, and before anything was stored.
            #expect(fake.requests.isEmpty)
            #expect((try await browser.send(client, .get, "/api/history").json["chats"] as? [Any])?.isEmpty == true)
            let accepted = try await ChatTestKit.post(browser, client, chatID: UUID(), text: String(repeating: "a", count: 20))
            #expect(accepted.status == .ok)
            #expect(ChatTestKit.text(of: try ChatTestKit.chunks(of: accepted)) == "You said: " + String(repeating: "a", count: 20))
            #expect((try await browser.send(client, .get, "/api/history").json["chats"] as? [Any])?.count == 1)
        }
    }

    @Test("votes: owner only, on assistant messages of that chat; delete all clears history")
    func votesAndDeleteAll() async throws {
        try await ChatTestKit.with { client, _, _ in
            let browser = try await Browser.guest(client)
            let chatID = UUID()
            let chunks = try ChatTestKit.chunks(of: try await ChatTestKit.post(browser, client, chatID: chatID, text: "vote on me"))
            guard case .start(let answerID) = chunks.first else { Issue.record("no start"); return }
            let id = chatID.lowercasedForTest
            let vote = try await browser.send(client, .patch, "/api/vote", body: ByteBuffer(string: #"{"chatId":"\#(id)","messageId":"\#(answerID)","type":"up"}"#))
            #expect(vote.status == .ok)
            let listed = try await browser.send(client, .get, "/api/vote?chatId=\(id)")
            let votes = try #require(try JSONSerialization.jsonObject(with: Data(buffer: listed.body)) as? [[String: Any]])
            #expect(votes.count == 1 && votes[0]["isUpvoted"] as? Bool == true)
            let bogus = try await browser.send(client, .patch, "/api/vote", body: ByteBuffer(string: #"{"chatId":"\#(id)","messageId":"\#(UUID().lowercasedForTest)","type":"up"}"#))
            #expect(bogus.status == .notFound)
            #expect(try await browser.send(client, .delete, "/api/history").status == .ok)
            #expect((try await browser.send(client, .get, "/api/history").json["chats"] as? [Any])?.isEmpty == true)
        }
    }
}
