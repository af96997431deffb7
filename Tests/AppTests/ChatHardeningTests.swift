import App
import BedrockFake
import Chat
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing
import UIMessageStream

/// Issue 11's chat findings over HTTP: client numbers at their extremes, one answer per chat.
@Suite("Chat: hostile numbers and races") struct ChatHardeningTests {
    static let slowReply = FakeScenario.reply(FakeReply(deltas: (0..<40).map { .text("w\($0) ") }, eventDelay: .milliseconds(25)))

    @Test("Last-Event-ID and ?offset= at Int.max and Int.min resume without trapping; a second message meanwhile gets 409")
    func extremes() async throws {
        try await ChatTestKit.with { client, _, fake in
            let browser = try await Browser.guest(client)
            let chatID = UUID()
            _ = try await ChatTestKit.post(browser, client, chatID: chatID, text: "warm up")
            fake.enqueue(Self.slowReply)
            // The answer is held before its first event until the 409 below is seen: a second of answer was not
            // always enough to still be running on a loaded machine.
            fake.holdStreams(until: Int.max)
            let running = Task { try await ChatTestKit.post(browser, client, chatID: chatID, text: "long one") }
            let stream = "/api/chat/\(chatID.lowercasedForTest)/stream"
            try await eventually("the second answer shows as running") {
                try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages").json["activeRun"] as? Bool == true
            }
            let busy = try await ChatTestKit.post(browser, client, chatID: chatID, text: "meanwhile")
            #expect(busy.status == .conflict)
            #expect(busy.json["code"] as? String == "conflict:chat")
            fake.holdStreams(until: 0)

            for (name, value) in [("Last-Event-ID", String(Int.max)), ("Last-Event-ID", String(Int.min)), ("Last-Event-ID", "99999999999999999999999")] {
                let response = try await browser.send(client, .get, stream, headers: [HTTPField.Name(name)!: value])
                #expect(response.status == .ok || response.status == .noContent, "\(name): \(value)")
            }
            for offset in [String(Int.min), String(Int.max), "-1", "0"] {
                let response = try await browser.send(client, .get, stream + "?offset=" + offset)
                #expect(response.status == .ok || response.status == .noContent, "offset \(offset)")
            }
            let full = try await running.value
            #expect(ChatTestKit.text(of: try ChatTestKit.chunks(of: full)) == (0..<40).map { "w\($0) " }.joined())
        }
    }

    @Test("a stream sends keep-alive comments while the model is silent (interval shortened by SSE_KEEPALIVE_SECONDS)")
    func keepAlive() async throws {
        try await ChatTestKit.with(environment: ["SSE_KEEPALIVE_SECONDS": "0.05"]) { client, _, fake in
            let browser = try await Browser.guest(client)
            let chatID = UUID()
            _ = try await ChatTestKit.post(browser, client, chatID: chatID, text: "warm up")
            fake.enqueue(.reply(FakeReply(deltas: [.text("after "), .text("a pause")], eventDelay: .milliseconds(400))))
            let response = try await ChatTestKit.post(browser, client, chatID: chatID, text: "think first")
            #expect(response.text.contains(ServerSentEvents.keepAlive))
            #expect(ChatTestKit.text(of: try ChatTestKit.chunks(of: response)) == "after a pause")
        }
    }
}
