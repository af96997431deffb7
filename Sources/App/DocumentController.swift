import Chat
import Foundation
import Hummingbird
import Storage

/// `/api/document` and `/api/suggestions`: the artifact panel's reads, the user's edits and restores. Owner only.
struct DocumentController {
    let documents: DocumentService

    func addProtectedRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/api/document", use: self.list)
        group.post("/api/document", use: self.save)
        group.delete("/api/document", use: self.restore)
        group.get("/api/suggestions", use: self.suggestions)
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.uuid(request, "id", surface: "document", usage: "GET /api/document?id=<uuid>")
        let versions = try await self.documents.versions(id: id, user: try context.requireUser())
        return try JSONResponse.make(versions.map(DocumentBody.init))
    }

    @Sendable func save(request: Request, context: AppRequestContext) async throws -> Response {
        struct Body: Decodable {
            let title: String?
            let content: String
            let kind: String?
        }
        let id = try Self.uuid(request, "id", surface: "document", usage: "POST /api/document?id=<uuid>")
        let body = try await request.decodeJSON(as: Body.self, context: context, surface: "document")
        var kind: DocumentKind?
        if let raw = body.kind {
            guard let parsed = DocumentKind(rawValue: raw) else {
                throw APIError(.badRequest, "document", "kind must be one of text, code or sheet.")
            }
            kind = parsed
        }
        let saved = try await self.documents.saveEdit(id: id, title: body.title, content: body.content, kind: kind, user: try context.requireUser())
        return try JSONResponse.make(DocumentBody(saved))
    }

    @Sendable func restore(request: Request, context: AppRequestContext) async throws -> Response {
        let usage = "DELETE /api/document?id=<uuid>&timestamp=<createdAt of the version to keep>"
        let id = try Self.uuid(request, "id", surface: "document", usage: usage)
        guard let raw = request.uri.queryParameters.get("timestamp").map { String($0) }, let timestamp = Self.date(raw) else {
            throw APIError(.badRequest, "document", "Give the version to restore as an ISO 8601 time, as createdAt shows it: \(usage).")
        }
        let deleted = try await self.documents.restore(id: id, timestamp: timestamp, user: try context.requireUser())
        return try JSONResponse.make(deleted.map(DocumentBody.init))
    }

    @Sendable func suggestions(request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.uuid(request, "documentId", surface: "suggestions", usage: "GET /api/suggestions?documentId=<uuid>")
        let suggestions = try await self.documents.suggestions(documentID: id, user: try context.requireUser())
        return try JSONResponse.make(suggestions.map(SuggestionBody.init))
    }

    static func uuid(_ request: Request, _ name: String, surface: String, usage: String) throws -> UUID {
        guard let raw = request.uri.queryParameters.get(name), let id = UUID(uuidString: String(raw)) else {
            throw APIError(.badRequest, surface, "Give the \(name) as a UUID: \(usage).")
        }
        return id
    }

    /// ISO 8601 with or without fractional seconds.
    static func date(_ raw: String) -> Date? {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count <= 40 else { return nil }
        if let date = try? Date(trimmed, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) { return date }
        return try? Date(trimmed, strategy: .iso8601)
    }
}

/// One document version, named as the template's client expects it.
struct DocumentBody: Encodable {
    let id: String
    let createdAt: Date
    let title: String
    let kind: String
    let content: String
    let userId: String
    let chatId: String?

    init(_ document: DocumentRecord) {
        self.id = document.id.lowercasedString
        self.createdAt = document.createdAt
        self.title = document.title
        self.kind = document.kind.rawValue
        self.content = document.content
        self.userId = document.userID.lowercasedString
        self.chatId = document.chatID?.lowercasedString
    }
}

struct SuggestionBody: Encodable {
    let id: String
    let documentId: String
    let documentCreatedAt: Date
    let originalText: String
    let suggestedText: String
    let description: String?
    let isResolved: Bool
    let userId: String
    let createdAt: Date

    init(_ suggestion: SuggestionRecord) {
        self.id = suggestion.id.lowercasedString
        self.documentId = suggestion.documentID.lowercasedString
        self.documentCreatedAt = suggestion.documentCreatedAt
        self.originalText = suggestion.originalText
        self.suggestedText = suggestion.suggestedText
        self.description = suggestion.description
        self.isResolved = suggestion.isResolved
        self.userId = suggestion.userID.lowercasedString
        self.createdAt = suggestion.createdAt
    }
}
