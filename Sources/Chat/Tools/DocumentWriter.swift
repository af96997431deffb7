import Foundation
import JSON
import Models
import Storage
import Synchronization

/// Writes a document's content with the chat's model in a second streamed call, sending each piece to the
/// client as a `data-<kind>Delta` part, and saves it as a new version. A stop keeps what was written so far.
struct DocumentWriter {
    let context: ToolContext

    static func deltaName(_ kind: DocumentKind) -> String {
        switch kind {
        case .text: "textDelta"
        case .code: "codeDelta"
        case .sheet: "sheetDelta"
        }
    }

    /// Announces the document, streams its content, stores the version and says it is finished.
    func write(id: UUID, title: String, kind: DocumentKind, instruction: String) async throws -> DocumentRecord {
        await self.context.send("kind", .string(kind.rawValue))
        await self.context.send("id", .string(id.uuidString.lowercased()))
        await self.context.send("title", .string(title))
        await self.context.send("clear", .null)
        let request = ModelRequest(
            modelID: self.context.modelID, system: [DocumentTools.writerPrompt(kind: kind)],
            messages: DocumentTools.conversation(self.context, instruction: instruction), maxOutputTokens: self.context.maxOutputTokens)
        var content = ""
        do {
            content = try await self.stream(request, kind: kind)
        } catch {
            // Stopped or failed midway: the user saw the beginning, so it is kept as a version.
            if !self.partial.isEmpty { _ = try? await self.save(id: id, title: title, kind: kind, content: self.partial.text) }
            throw error
        }
        let stored = try await self.save(id: id, title: title, kind: kind, content: content)
        await self.context.send("finish", .null)
        return stored
    }

    /// What arrived before a failure, so it can be saved (the writer is a value; the box is shared).
    let partial = PartialText()

    private func stream(_ request: ModelRequest, kind: DocumentKind) async throws -> String {
        let name = Self.deltaName(kind)
        var content = ""
        var scalars = 0
        // Code and sheets are sent without a wrapping Markdown fence; text is Markdown and kept as written.
        var fences: FenceStripper? = kind == .text ? nil : FenceStripper()
        /// Sends a piece; false once the content is full.
        func emit(_ delta: String) async -> Bool {
            // Content past the limit is not sent: the document could not be saved or edited.
            let room = DocumentService.maxContentLength - scalars
            guard room > 0 else { return false }
            guard !delta.isEmpty else { return true }
            let piece = TextLimit.truncate(delta, scalars: room)
            scalars += TextLimit.scalarCount(piece, upTo: room)
            content += piece
            self.partial.set(content)
            await self.context.send(name, .string(piece))
            return true
        }
        for try await event in self.context.model.stream(request) {
            guard case .textDelta(let delta) = event, !delta.isEmpty else { continue }
            guard await emit(fences?.feed(delta) ?? delta) else { return content }
        }
        if let rest = fences?.finish() { _ = await emit(rest) }
        return content
    }

    private func save(id: UUID, title: String, kind: DocumentKind, content: String) async throws -> DocumentRecord {
        let version = DocumentRecord(id: id, userID: self.context.userID, chatID: self.context.chatID, title: title, kind: kind, content: content)
        // Saved even when the answer is being stopped: a detached task is not cancelled with it.
        let documents = self.context.documents
        let stored = try await Task.detached { try await documents.addVersion(version) }.value
        guard let stored else { throw ToolFailure("The document \(id.uuidString.lowercased()) cannot be written in this chat.") }
        return stored
    }
}

/// A string shared between a task and its caller.
final class PartialText: Sendable {
    private let box = Mutex("")
    var text: String { self.box.withLock { $0 } }
    var isEmpty: Bool { self.text.isEmpty }
    func set(_ text: String) { self.box.withLock { $0 = text } }
}
