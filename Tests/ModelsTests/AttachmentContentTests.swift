import Bedrock
import Foundation
@testable import Models
import Testing

/// Attachments in the provider-neutral contract: Converse image/document blocks, OpenAI's image_url, and refusals.
@Suite struct AttachmentContentTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 255])
    static let pdf = Data("%PDF-1.4 bytes".utf8)

    @Test func imagesAndDocumentsBecomeConverseBlocksWithSafeUniqueNames() throws {
        let model = BedrockLanguageModel(client: try BedrockLanguageModelTests.offlineClient())
        let message = ModelMessage(role: .user, content: [
            .image(format: "png", data: Self.png), .document(format: "pdf", name: "a.b.pdf", data: Self.pdf),
            .document(format: "pdf", name: "a b pdf", data: Self.pdf), .file(id: "x", mediaType: "image/png", name: "x", size: 1),
        ])
        let request = model.converseRequest(for: ModelRequest(modelID: "amazon.nova-lite-v1:0", messages: [message]))
        #expect(request.messages[0].content == [
            .image(ImageBlock(format: "png", bytes: Self.png)), .document(DocumentBlock(format: "pdf", name: "a b pdf", bytes: Self.pdf)),
            .document(DocumentBlock(format: "pdf", name: "a b pdf (2)", bytes: Self.pdf)),
            // Converse wants a text block beside documents; an unresolved reference is never sent.
            .text("The attached documents."),
        ])
        // On the wire the bytes are base64, as botocore's rest-json serializer sends blobs.
        let encoder = JSONEncoder()
        // Sorted: the encoder's key order is not fixed, and the comparison is about content.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(request.messages[0].content[0]), as: UTF8.self)
        #expect(json == #"{"image":{"format":"png","source":{"bytes":"\#(Self.png.base64EncodedString())"}}}"#)
        #expect(try JSONDecoder().decode(ContentBlock.self, from: Data(json.utf8)) == request.messages[0].content[0])
    }

    @Test func openAICompatibleSendsImagesAsDataURLs() throws {
        let request = ModelRequest(modelID: "m", messages: [ModelMessage(role: .user, content: [.text("what is it?"), .image(format: "png", data: Self.png)])])
        let body = request.chatCompletionsBody(model: "m")
        let content = body["messages"]?.arrayValue?.last?["content"]
        #expect(content == .array([
            .object(["type": .string("text"), "text": .string("what is it?")]),
            .object(["type": .string("image_url"), "image_url": .object(["url": .string("data:image/png;base64,\(Self.png.base64EncodedString())")])]),
        ]))
    }

    @Test func openAICompatibleRefusesDocumentsBeforeCalling() async throws {
        let script = OpenAICompatibleTests.Script()
        let server = try await OpenAICompatibleTests.start(script)
        defer { Task { await server.stop() } }
        let request = ModelRequest(modelID: "local/m", messages: [ModelMessage(role: .user, content: [.text("read"), .document(format: "pdf", name: "a", data: Self.pdf)])])
        var failure: (any Error)?
        do {
            for try await _ in OpenAICompatibleTests.model(server).stream(request) {}
        } catch {
            failure = error
        }
        let error = try #require(failure as? ModelError)
        #expect(error.kind == .invalidRequest && error.message.contains("takes no documents"))
        #expect(script.state.withLock { $0.bodies.isEmpty })
    }
}
