import Foundation

extension InMemoryChatStorage {
    public func versions(of id: UUID, ownedBy userID: UUID) async throws -> [DocumentRecord] {
        self.documentVersions.filter { $0.id == id && $0.userID == userID }.sorted { $0.createdAt < $1.createdAt }
    }

    public func addVersion(_ document: DocumentRecord) async throws -> DocumentRecord? {
        var stored = document
        let newest = self.documentVersions.filter { $0.id == document.id }.max { $0.createdAt < $1.createdAt }
        if let newest {
            guard newest.userID == document.userID else { return nil }
            stored.chatID = newest.chatID
        } else if let chatID = document.chatID {
            guard try await self.find(id: chatID, ownedBy: document.userID) != nil else { return nil }
        }
        stored.createdAt = DocumentVersions.nextTimestamp(after: newest?.createdAt)
        self.documentVersions.append(stored)
        return stored
    }

    public func deleteVersions(of id: UUID, after timestamp: Date, ownedBy userID: UUID) async throws -> [DocumentRecord]? {
        let mine = self.documentVersions.filter { $0.id == id && $0.userID == userID }
        guard mine.contains(where: { DocumentVersions.matches($0.createdAt, timestamp) }) else { return nil }
        let cutoff = timestamp.addingTimeInterval(DocumentVersions.tolerance)
        let deleted = mine.filter { $0.createdAt >= cutoff }.sorted { $0.createdAt < $1.createdAt }
        self.documentVersions.removeAll { $0.id == id && $0.createdAt >= cutoff }
        self.documentSuggestions.removeAll { $0.documentID == id && $0.documentCreatedAt >= cutoff }
        return deleted
    }

    public func addSuggestion(_ suggestion: SuggestionRecord) async throws -> Bool {
        guard let version = self.documentVersions.first(where: {
            $0.id == suggestion.documentID && $0.userID == suggestion.userID && DocumentVersions.matches($0.createdAt, suggestion.documentCreatedAt)
        }) else { return false }
        var stored = suggestion
        stored.documentCreatedAt = version.createdAt
        self.documentSuggestions.append(stored)
        return true
    }

    public func suggestions(documentID: UUID, ownedBy userID: UUID) async throws -> [SuggestionRecord] {
        self.documentSuggestions.filter { $0.documentID == documentID && $0.userID == userID }.sorted { $0.createdAt < $1.createdAt }
    }
}
