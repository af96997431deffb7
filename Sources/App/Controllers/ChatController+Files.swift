import Accounts
import Files
import Foundation
import JSON
import Models
import Storage

extension ChatController {
    /// The parts a user message keeps: text, and `file` parts (AI SDK v6: `mediaType`, `url`, `filename`) that name
    /// this user's uploads for this chat by their `/api/files/{id}` URL. Other parts are dropped; a file part that
    /// names anything else is refused, so a message never points at bytes its author may not read.
    func acceptedParts(_ raw: [JSONValue], chatID: UUID, modelID: String?, user: SessionUser) async throws -> ([JSONValue], [UUID]) {
        var parts: [JSONValue] = []
        var ids: [UUID] = []
        for part in raw {
            switch part["type"]?.stringValue {
            case "text":
                if let text = part["text"]?.stringValue { parts.append(["type": "text", "text": .string(text)]) }
            case "file":
                guard let url = part["url"]?.stringValue, let id = Self.fileID(url: url) else {
                    throw APIError(.badRequest, "chat", "A file part must name an upload by its URL, /api/files/<id> (POST /api/files/upload first).")
                }
                ids.append(id)
            default:
                continue
            }
        }
        guard !ids.isEmpty else { return (parts, []) }
        guard let files = try await self.files.owned(ids: ids, userID: user.id, chatID: chatID) else { throw FileError.notFound }
        // Refused here, before the engine counts the message against the allowance.
        let modelID = modelID ?? self.catalog.defaultChatModel
        if let model = self.catalog.model(id: modelID) {
            let kinds = files.compactMap { FileKind(mediaType: $0.mediaType) }
            let readers = self.catalog.models
            if kinds.contains(where: { $0.isImage }), !model.capabilities.vision {
                let names = readers.filter { $0.capabilities.vision }.map { $0.name }
                throw APIError(.badRequest, "chat", "\(model.name) cannot read images. Pick a model that can\(Self.list(names)), or remove the image.", cause: "no vision")
            }
            if kinds.contains(where: { !$0.isImage }), !model.capabilities.documents {
                let names = readers.filter { $0.capabilities.documents }.map { $0.name }
                throw APIError(.badRequest, "chat", "\(model.name) cannot read documents. Pick a model that can\(Self.list(names)), or remove the document.", cause: "no documents")
            }
        }
        // The stored part is rebuilt from the upload's record: the client's mediaType and filename are not trusted.
        for file in files {
            parts.append([
                "type": "file", "mediaType": .string(file.mediaType), "url": .string("/api/files/\(file.id.uuidString.lowercased())"),
                "filename": .string(file.name), "providerMetadata": ["chatbot": ["size": .int(file.size)]],
            ])
        }
        return (parts, ids)
    }

    static func list(_ names: [String]) -> String {
        names.isEmpty ? "" : " (" + names.prefix(3).joined(separator: ", ") + ")"
    }

    static func fileID(url: String) -> UUID? {
        let prefix = "/api/files/"
        guard url.hasPrefix(prefix) else { return nil }
        return UUID(uuidString: String(url.dropFirst(prefix.count)))
    }
}
