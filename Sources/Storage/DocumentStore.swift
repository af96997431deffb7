import Foundation

/// What a document holds: prose (Markdown), one program, or a table as CSV.
public enum DocumentKind: String, Sendable, Codable, CaseIterable { case text, code, sheet }

/// One version of a document: every save adds a row with the same id and a later `createdAt`.
public struct DocumentRecord: Sendable, Equatable {
    public var id: UUID
    public var createdAt: Date
    public var userID: UUID
    /// The chat the model wrote it in; deleting the chat deletes the document.
    public var chatID: UUID?
    public var title: String
    public var kind: DocumentKind
    public var content: String

    public init(id: UUID, createdAt: Date = Date(), userID: UUID, chatID: UUID?, title: String, kind: DocumentKind, content: String) {
        self.id = id
        self.createdAt = createdAt
        self.userID = userID
        self.chatID = chatID
        self.title = title
        self.kind = kind
        self.content = content
    }
}

/// A proposed edit of one sentence of one document version.
public struct SuggestionRecord: Sendable, Equatable {
    public var id: UUID
    public var documentID: UUID
    public var documentCreatedAt: Date
    public var userID: UUID
    public var originalText: String
    public var suggestedText: String
    public var description: String?
    public var isResolved: Bool
    public var createdAt: Date

    public init(
        id: UUID = UUID(), documentID: UUID, documentCreatedAt: Date, userID: UUID, originalText: String, suggestedText: String,
        description: String?, isResolved: Bool = false, createdAt: Date = Date()
    ) {
        self.id = id
        self.documentID = documentID
        self.documentCreatedAt = documentCreatedAt
        self.userID = userID
        self.originalText = originalText
        self.suggestedText = suggestedText
        self.description = description
        self.isResolved = isResolved
        self.createdAt = createdAt
    }
}

/// Documents and their suggestions. Every read and write names the owner, so another user's id finds nothing.
public protocol DocumentStore: Sendable {
    /// Every version, oldest first; empty when the document does not exist or is someone else's.
    func versions(of id: UUID, ownedBy userID: UUID) async throws -> [DocumentRecord]
    /// Stores `document` as the newest version and returns it as stored (its `createdAt` set by `DocumentVersions.nextTimestamp`,
    /// its chat inherited from earlier versions). Nil when the id is someone else's, or a new document names a chat the user
    /// does not own.
    func addVersion(_ document: DocumentRecord) async throws -> DocumentRecord?
    /// Deletes the versions newer than the one the client knows as `timestamp`, with their suggestions; returns the
    /// deleted versions, or nil when the user has no version at that timestamp.
    func deleteVersions(of id: UUID, after timestamp: Date, ownedBy userID: UUID) async throws -> [DocumentRecord]?
    /// Stores suggestions of versions the user owns; a suggestion for another user's document is not stored.
    func addSuggestion(_ suggestion: SuggestionRecord) async throws -> Bool
    /// The document's suggestions (all versions), oldest first.
    func suggestions(documentID: UUID, ownedBy userID: UUID) async throws -> [SuggestionRecord]
}

/// How version timestamps are chosen and matched, the same for every store.
///
/// Clients see times cut to the millisecond (ISO 8601) and send them back to restore, while the engines keep
/// microseconds (PostgreSQL) or a double (SQLite), and a `Date` does not round-trip a double exactly. Versions are
/// therefore stored at whole milliseconds, `spacing` apart, so the version a client names is the only one within
/// `tolerance` of its timestamp, and the later ones are all beyond it.
public enum DocumentVersions {
    public static let spacing: TimeInterval = 0.003
    public static let tolerance: TimeInterval = 0.0015

    /// Now at whole milliseconds, or `spacing` after the newest version when that is later.
    public static func nextTimestamp(after newest: Date?, now: Date = Date()) -> Date {
        let milliseconds = (now.timeIntervalSince1970 * 1000).rounded(.down)
        var next = milliseconds / 1000
        if let newest {
            let earliest = ((newest.timeIntervalSince1970 + self.spacing) * 1000).rounded(.up) / 1000
            next = max(next, earliest)
        }
        return Date(timeIntervalSince1970: next)
    }

    /// Whether a stored time is the version a client named with `timestamp`.
    public static func matches(_ stored: Date, _ timestamp: Date) -> Bool {
        abs(stored.timeIntervalSince(timestamp)) < self.tolerance
    }
}
