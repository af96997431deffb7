@testable import Chat
import Foundation
import JSON
import Models
import Storage
import Testing

/// Attachments count when the conversation is trimmed to the context window.
@Suite struct AttachmentContextTests {
    @Test func fileReferencesAndBytesCountAgainstTheBudget() {
        let text = ModelMessage.user("look")
        let image = ModelMessage(role: .user, content: [.text("look"), .file(id: "1", mediaType: "image/png", name: "a.png", size: 10)])
        let document = ModelMessage(role: .user, content: [.text("look"), .file(id: "2", mediaType: "application/pdf", name: "a.pdf", size: 300_000)])
        let bytes = ModelMessage(role: .user, content: [.text("look"), .document(format: "pdf", name: "a", data: Data(count: 300_000))])
        let base = ConversationContext.estimatedTokens(text)
        #expect(ConversationContext.estimatedTokens(image) == base + ConversationContext.imageTokens)
        #expect(ConversationContext.estimatedTokens(document) == base + 100_000)
        #expect(ConversationContext.estimatedTokens(bytes) == base + 100_000)
    }

    @Test func storedFilePartsBecomeReferencesAndOldAttachmentsAreTrimmedFirst() {
        let chat = UUID()
        func user(_ parts: [JSONValue]) -> MessageRecord { MessageRecord(id: UUID(), chatID: chat, role: .user, parts: parts) }
        func answer(_ text: String) -> MessageRecord { MessageRecord(id: UUID(), chatID: chat, role: .assistant, parts: [["type": "text", "text": .string(text)]]) }
        let big: JSONValue = ["type": "file", "mediaType": "application/pdf", "url": "/api/files/abc", "filename": "big.pdf",
                              "providerMetadata": ["chatbot": ["size": 3_000_000]]]
        let records = [user([["type": "text", "text": "read this"], big]), answer("done"), user([["type": "text", "text": "and now?"]])]
        let all = ConversationContext.messages(from: records, budgetTokens: 10_000_000)
        #expect(all[0].content == [.text("read this"), .file(id: "abc", mediaType: "application/pdf", name: "big.pdf", size: 3_000_000)])
        let trimmed = ConversationContext.messages(from: records, budgetTokens: 100_000)
        #expect(trimmed.count == 1 && trimmed[0].content == [.text("and now?")])
    }
}
