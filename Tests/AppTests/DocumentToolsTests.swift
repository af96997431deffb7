import App
import BedrockFake
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JSON
import Storage
import TestSupport
import Testing
import UIMessageStream

/// The document tools end to end: the fake Bedrock calls them (directives), the server runs them, and the
/// document API shows the result, on both databases.
@Suite("Document tools through the API") struct DocumentToolsTests {
    static func data(_ chunks: [UIMessageChunk], _ name: String) -> [JSONValue] {
        chunks.compactMap { if case .data(name, let data, _) = $0 { data } else { nil } }
    }

    @Test("create, update and suggestions run end to end; a bad call is reported to the model", arguments: TestDatabase.kinds)
    func endToEnd(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind) { client, _, fake in
            let browser = try await Browser.guest(client)
            let chatID = UUID()
            let created = try ChatTestKit.chunks(of: try await ChatTestKit.post(browser, client, chatID: chatID, text: "fake:document:text"))
            let types = created.map { $0.json["type"]?.stringValue ?? "" }
            for expected in ["tool-input-start", "tool-input-delta", "tool-input-available", "data-clear", "data-textDelta", "data-finish", "tool-output-available"] {
                #expect(types.contains(expected), "\(expected)")
            }
            #expect(types.last == "finish")
            let id = try #require(Self.data(created, "id").first?.stringValue)
            #expect(ChatTestKit.text(of: created).hasSuffix("Done. The document is in the panel."))
            // The model was offered the three tools in a toolConfig the fake accepted.
            let bodies = fake.requests.map { String(decoding: $0.body, as: UTF8.self) }
            let first = try #require(bodies.first { $0.contains("\"toolConfig\"") })
            for name in ["createDocument", "updateDocument", "requestSuggestions"] { #expect(first.contains("\"name\":\"\(name)\""), "\(name)") }

            var versions = DocumentAPITests.array(try await browser.send(client, .get, "/api/document?id=\(id)"))
            #expect(versions.count == 1)
            #expect((versions.first?["content"] as? String)?.contains("The fake Bedrock server wrote this.") == true)
            #expect(versions.first?["chatId"] as? String == chatID.lowercasedForTest)

            let updated = try ChatTestKit.chunks(of: try await ChatTestKit.post(browser, client, chatID: chatID, text: "fake:update:\(id)"))
            #expect(Self.data(updated, "clear").count == 1)
            versions = DocumentAPITests.array(try await browser.send(client, .get, "/api/document?id=\(id)"))
            #expect(versions.count == 2)
            #expect((versions.last?["content"] as? String)?.contains("closing line") == true)

            let suggested = try ChatTestKit.chunks(of: try await ChatTestKit.post(browser, client, chatID: chatID, text: "fake:suggest:\(id)"))
            let streamed = Self.data(suggested, "suggestion")
            #expect(streamed.count == 2)
            let listed = DocumentAPITests.array(try await browser.send(client, .get, "/api/suggestions?documentId=\(id)"))
            #expect(listed.count == 2)
            #expect(listed.map { $0["id"] as? String } == streamed.map { $0["id"]?.stringValue })
            #expect(listed.allSatisfy { ($0["suggestedText"] as? String)?.hasSuffix(", indeed") == true })

            let bad = try ChatTestKit.chunks(of: try await ChatTestKit.post(browser, client, chatID: chatID, text: "fake:document-bad"))
            #expect(bad.contains { if case .toolOutputError(_, let text) = $0 { text.contains("kind") } else { false } })
            #expect(bad.last.map { if case .finish = $0 { true } else { false } } == true)

            // The stored answers keep the tool parts a stock client renders.
            let view = try await browser.send(client, .get, "/api/chat/\(chatID.lowercasedForTest)/messages")
            let messages = view.json["messages"] as? [[String: Any]] ?? []
            let parts = messages.flatMap { $0["parts"] as? [[String: Any]] ?? [] }
            #expect(parts.filter { $0["type"] as? String == "tool-createDocument" }.map { $0["state"] as? String } == ["output-available", "output-error"])
            #expect(parts.contains { $0["type"] as? String == "tool-updateDocument" && $0["state"] as? String == "output-available" })
            #expect(parts.contains { $0["type"] as? String == "tool-requestSuggestions" && $0["state"] as? String == "output-available" })
        }
    }
}
