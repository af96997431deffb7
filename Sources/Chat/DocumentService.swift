import Accounts
import Foundation
import Storage

/// What can go wrong with a document request; the app maps each case to its envelope.
public enum DocumentError: Error, Equatable, Sendable {
    /// Missing, or someone else's (the two are indistinguishable on purpose).
    case documentNotFound
    /// The document has no version at the timestamp given.
    case versionNotFound
    case invalid(String)
}

/// The document API's rules: owner only, validated input, bounded sizes. The tools write through the same store.
public struct DocumentService: Sendable {
    public static let maxTitleLength = 200
    public static let maxContentLength = 100_000

    let store: any DocumentStore

    public init(storage: ChatStorage) {
        self.store = storage.documents
    }

    /// Every version, oldest first.
    public func versions(id: UUID, user: SessionUser) async throws -> [DocumentRecord] {
        let versions = try await self.store.versions(of: id, ownedBy: user.id)
        guard !versions.isEmpty else { throw DocumentError.documentNotFound }
        return versions
    }

    /// A new version from the user's edit; title and kind default to the newest version's.
    public func saveEdit(id: UUID, title: String?, content: String, kind: DocumentKind?, user: SessionUser) async throws -> DocumentRecord {
        guard let newest = try await self.store.versions(of: id, ownedBy: user.id).last else { throw DocumentError.documentNotFound }
        if let kind, kind != newest.kind {
            throw DocumentError.invalid("A document's kind cannot change: this one is \(newest.kind.rawValue).")
        }
        let title = title ?? newest.title
        try Self.validate(title: title, content: content)
        let version = DocumentRecord(id: id, userID: user.id, chatID: newest.chatID, title: title, kind: newest.kind, content: content)
        guard let stored = try await self.store.addVersion(version) else { throw DocumentError.documentNotFound }
        try await self.carrySuggestions(from: newest, to: stored)
        return stored
    }

    /// Suggestions belong to the version they were made for. An edit of the user's (applying one of them, say)
    /// keeps the others: the unresolved suggestions of the edited version whose sentence is still there are copied
    /// to the new one. A version the model rewrites starts without any.
    func carrySuggestions(from previous: DocumentRecord, to stored: DocumentRecord) async throws {
        let carried = try await self.store.suggestions(documentID: previous.id, ownedBy: previous.userID).filter {
            !$0.isResolved && DocumentVersions.matches($0.documentCreatedAt, previous.createdAt) && !$0.originalText.isEmpty
                && stored.content.contains($0.originalText)
        }
        for suggestion in carried.prefix(Self.maxCarriedSuggestions) {
            var copy = suggestion
            copy.id = UUID()
            copy.documentCreatedAt = stored.createdAt
            _ = try await self.store.addSuggestion(copy)
        }
    }

    /// More than a few requests' worth is not worth carrying.
    static let maxCarriedSuggestions = 20

    /// Restores the version the client knows as `timestamp` by deleting the later ones; returns those.
    public func restore(id: UUID, timestamp: Date, user: SessionUser) async throws -> [DocumentRecord] {
        guard try await !self.store.versions(of: id, ownedBy: user.id).isEmpty else { throw DocumentError.documentNotFound }
        guard let deleted = try await self.store.deleteVersions(of: id, after: timestamp, ownedBy: user.id) else {
            throw DocumentError.versionNotFound
        }
        return deleted
    }

    public func suggestions(documentID: UUID, user: SessionUser) async throws -> [SuggestionRecord] {
        guard try await !self.store.versions(of: documentID, ownedBy: user.id).isEmpty else { throw DocumentError.documentNotFound }
        return try await self.store.suggestions(documentID: documentID, ownedBy: user.id)
    }

    static func validate(title: String, content: String) throws {
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw DocumentError.invalid("The title is empty. Give the document a title.")
        }
        if !TextLimit.fits(title, scalars: self.maxTitleLength) {
            throw DocumentError.invalid("The title is too long: the limit is \(self.maxTitleLength) characters.")
        }
        if !TextLimit.fits(content, scalars: self.maxContentLength) {
            throw DocumentError.invalid(
                "The content is too long: the limit is \(self.maxContentLength) characters (counted as Unicode code points). Split it into several documents.")
        }
    }
}
