import Files
import Foundation
import Models
import Storage

/// Puts the bytes of uploads into a request before the provider sees it: each `.file` reference becomes an
/// `.image` or `.document`. A model without the capability gets a short note instead (an older message's image
/// after a switch to a text-only model); the new message was already refused by `ChatController`.
struct AttachmentLoader: LanguageModel {
    let base: any LanguageModel
    let files: FileService
    let catalog: ModelCatalog

    func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelEvent, any Error> {
        guard request.messages.contains(where: { $0.content.contains(where: Self.isReference) }) else { return self.base.stream(request) }
        let (stream, continuation) = AsyncThrowingStream<ModelEvent, any Error>.makeStream()
        let task = Task {
            do {
                let resolved = try await self.resolve(request)
                for try await event in self.base.stream(resolved) { continuation.yield(event) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    static func isReference(_ content: ModelContent) -> Bool {
        if case .file = content { return true }
        return false
    }

    func resolve(_ request: ModelRequest) async throws -> ModelRequest {
        let capabilities = self.catalog.model(id: request.modelID)?.capabilities
        var request = request
        for index in request.messages.indices {
            var content: [ModelContent] = []
            for part in request.messages[index].content {
                guard case .file(let id, _, let name, _) = part else {
                    content.append(part)
                    continue
                }
                guard let uuid = UUID(uuidString: id), let record = try await self.files.files.find(id: uuid),
                    let kind = FileKind(mediaType: record.mediaType)
                else {
                    content.append(.text("[\(name) was attached here; it has since been deleted]"))
                    continue
                }
                if kind.isImage ? capabilities?.vision != true : capabilities?.documents != true {
                    content.append(.text("[\(name) was attached here; this model cannot read \(kind.isImage ? "images" : "documents")]"))
                    continue
                }
                guard let data = try await self.files.blobs.get(key: record.objectKey) else {
                    content.append(.text("[\(name) was attached here; its content is no longer stored]"))
                    continue
                }
                content.append(kind.isImage ? .image(format: kind.converseFormat, data: data) : .document(format: kind.converseFormat, name: name, data: data))
            }
            request.messages[index].content = content
        }
        return request
    }
}
