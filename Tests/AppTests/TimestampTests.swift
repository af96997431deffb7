import App
import BedrockFake
import Foundation
import HummingbirdTesting
import Storage
import TestSupport
import Testing

@Suite("API timestamps") struct TimestampTests {
    /// RFC 3339 with milliseconds and `Z` (24 characters): without a zone, JavaScript's Date reads the text as local time.
    static func isRFC3339UTC(_ text: String) -> Bool {
        text.utf8.count == 24 && text.hasSuffix("Z") && (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) != nil
    }

    @Test("every date in the chat JSON carries the zone designator Z", arguments: TestDatabase.kinds)
    func chatDatesHaveAZone(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind) { client, _, _ in
            let browser = try await Browser.guest(client)
            let chatID = UUID()
            _ = try await ChatTestKit.post(browser, client, chatID: chatID, text: "what time is it")
            let history = try await browser.send(client, .get, "/api/history")
            let chats = try #require(history.json["chats"] as? [[String: Any]])
            let dates = chats.flatMap { [$0["createdAt"], $0["updatedAt"]] }.compactMap { $0 as? String }
            let view = try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages")
            let messages = try #require(view.json["messages"] as? [[String: Any]])
            let chat = try #require(view.json["chat"] as? [String: Any])
            let all = dates + messages.compactMap { $0["createdAt"] as? String } + [chat["createdAt"] as? String].compactMap { $0 }
            #expect(all.count >= 5)
            for date in all {
                #expect(Self.isRFC3339UTC(date), "\(date)")
            }
        }
    }
}
