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

@Suite("Chat: the streamed answer") struct ChatStreamTests {
    @Test("a new chat streams the AI SDK protocol chunk by chunk and stores both messages", arguments: TestDatabase.kinds)
    func fullProtocol(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind) { client, services, fake in
            let browser = try await Browser.guest(client)
            let chatID = UUID()
            let response = try await ChatTestKit.post(browser, client, chatID: chatID, text: "hello there")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(response.headers[HTTPField.Name("x-vercel-ai-ui-message-stream")!] == "v1")
            let chunks = try ChatTestKit.chunks(of: response)
            guard case .start(let messageID) = chunks.first else { Issue.record("no start chunk"); return }
            #expect(chunks[1] == .startStep)
            let textIDs = Set(chunks.compactMap { if case .textDelta(let id, _) = $0 { id } else { nil } })
            #expect(textIDs.count == 1)
            let textID = try #require(textIDs.first)
            let starts = chunks.firstIndex(of: .textStart(id: textID))
            let ends = chunks.firstIndex(of: .textEnd(id: textID))
            #expect(starts != nil && ends != nil && starts! < ends!)
            #expect(ChatTestKit.text(of: chunks) == "You said: hello there")
            let title = chunks.compactMap { if case .data("chat-title", let data, _) = $0 { data.stringValue } else { nil } }.first
            #expect(title?.isEmpty == false)
            #expect(Array(chunks.suffix(2)) == [.finishStep, .finish(finishReason: "stop", metadata: nil)])

            let view = try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages")
            let messages = try #require(view.json["messages"] as? [[String: Any]])
            #expect(messages.count == 2)
            #expect(messages[1]["id"] as? String == messageID)
            let metadata = try #require(messages[1]["metadata"] as? [String: Any])
            #expect(metadata["status"] as? String == "complete")
            #expect(metadata["model"] as? String == "amazon.nova-lite-v1:0")
            #expect(((metadata["usage"] as? [String: Any])?["outputTokens"] as? Int ?? 0) > 0)
            let parts = try #require(messages[1]["parts"] as? [[String: Any]])
            #expect(parts.contains { $0["type"] as? String == "text" && $0["text"] as? String == "You said: hello there" })
            let history = try await browser.send(client, .get, "/api/history?limit=10")
            let chats = try #require(history.json["chats"] as? [[String: Any]])
            #expect(chats.first?["title"] as? String == title)
            // Every request reached the fake signed correctly.
            #expect(fake.requests.allSatisfy { $0.authError == nil })
        }
    }

    @Test("reasoning streams as reasoning chunks and is replayed with its signature on the next turn")
    func reasoning() async throws {
        try await ChatTestKit.with { client, _, fake in
            let browser = try await Browser.guest(client)
            let chatID = UUID()
            let sonnet = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
            let first = try ChatTestKit.chunks(of: try await ChatTestKit.post(browser, client, chatID: chatID, text: "fake:reasoning", model: sonnet))
            let reasoningStart = first.firstIndex { if case .reasoningStart = $0 { true } else { false } }
            let textStart = first.firstIndex { if case .textStart = $0 { true } else { false } }
            #expect(reasoningStart != nil && textStart != nil && reasoningStart! < textStart!)
            _ = try await ChatTestKit.post(browser, client, chatID: chatID, text: "and again", model: sonnet)
            let replay = try #require(fake.requests.last { $0.operation == "converse-stream" && String(decoding: $0.body, as: UTF8.self).contains("and again") })
            let body = String(decoding: replay.body, as: UTF8.self)
            #expect(body.contains("fake-signature-1"))
            #expect(body.contains("reasoningContent"))
        }
    }

    @Test("a model error before the stream becomes an actionable error chunk and a failed message")
    func upstreamError() async throws {
        try await ChatTestKit.with { client, _, _ in
            let browser = try await Browser.guest(client)
            let chatID = UUID()
            let chunks = try ChatTestKit.chunks(of: try await ChatTestKit.post(browser, client, chatID: chatID, text: "fake:error:AccessDeniedException"))
            guard case .error(let text) = chunks.last else { Issue.record("no error chunk: \(chunks)"); return }
            #expect(text.localizedCaseInsensitiveContains("model access"))
            let messages = try #require(try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages").json["messages"] as? [[String: Any]])
            #expect((messages.last?["metadata"] as? [String: Any])?["status"] as? String == "failed")
        }
    }

    @Test("an exception mid-stream keeps the partial answer and reports the error")
    func midStreamException() async throws {
        try await ChatTestKit.with { client, _, _ in
            let browser = try await Browser.guest(client)
            let chatID = UUID()
            let chunks = try ChatTestKit.chunks(of: try await ChatTestKit.post(browser, client, chatID: chatID, text: "fake:exception:modelStreamErrorException"))
            #expect(ChatTestKit.text(of: chunks) == "Partial answer")
            guard case .error = chunks.last else { Issue.record("no error chunk"); return }
            let messages = try #require(try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages").json["messages"] as? [[String: Any]])
            let answer = try #require(messages.last)
            #expect((answer["metadata"] as? [String: Any])?["status"] as? String == "failed")
            #expect((answer["metadata"] as? [String: Any])?["error"] as? String != nil)
            #expect((answer["parts"] as? [[String: Any]])?.contains { $0["text"] as? String == "Partial answer" } == true)
        }
    }
}
