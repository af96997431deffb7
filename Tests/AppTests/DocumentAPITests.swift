import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

/// `/api/document` and `/api/suggestions` through the real router, on both databases.
@Suite("Documents API") struct DocumentAPITests {
    /// A guest with a chat and a document of two versions in it, stored as the tools store them.
    struct Seeded {
        let browser: Browser
        let chatID: UUID
        let documentID: UUID
        let versions: [DocumentRecord]
    }

    static func userID(_ browser: Browser, _ client: some TestClientProtocol) async throws -> UUID {
        let session = try await browser.send(client, .get, "/api/auth/session")
        let raw = (session.json["user"] as? [String: Any])?["id"] as? String
        return try #require(raw.flatMap(UUID.init(uuidString:)))
    }

    static func seed(_ client: some TestClientProtocol, _ services: AppServices, text: String = "first draft") async throws -> Seeded {
        let browser = try await Browser.guest(client)
        let chatID = UUID()
        _ = try await ChatTestKit.post(browser, client, chatID: chatID, text: "write me an essay")
        let user = try await self.userID(browser, client)
        let store = DocumentRepository(database: services.database)
        let id = UUID()
        var versions: [DocumentRecord] = []
        for content in [text, text + ", revised"] {
            versions.append(try #require(try await store.addVersion(
                DocumentRecord(id: id, userID: user, chatID: chatID, title: "Essay", kind: .text, content: content))))
        }
        return Seeded(browser: browser, chatID: chatID, documentID: id, versions: versions)
    }

    static func array(_ response: TestResponse) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]]) ?? []
    }

    @Test("the owner reads versions oldest first, saves an edit as a new version, and restores an older one", arguments: TestDatabase.kinds)
    func lifecycle(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind) { client, services, _ in
            let seeded = try await Self.seed(client, services)
            let id = seeded.documentID.lowercasedForTest
            let list = Self.array(try await seeded.browser.send(client, .get, "/api/document?id=\(id)"))
            #expect(list.map { $0["content"] as? String } == ["first draft", "first draft, revised"])
            #expect(list.first?["kind"] as? String == "text")
            #expect(list.first?["chatId"] as? String == seeded.chatID.lowercasedForTest)

            let edit = try await seeded.browser.send(
                client, .post, "/api/document?id=\(id)", body: ByteBuffer(string: #"{"title":"Essay","content":"my own words","kind":"text"}"#))
            #expect(edit.status == .ok)
            #expect(edit.json["content"] as? String == "my own words")
            #expect(Self.array(try await seeded.browser.send(client, .get, "/api/document?id=\(id)")).count == 3)

            let keep = try #require(list.first?["createdAt"] as? String)
            let restore = try await seeded.browser.send(client, .delete, "/api/document?id=\(id)&timestamp=\(keep)")
            #expect(restore.status == .ok)
            #expect(Self.array(restore).map { $0["content"] as? String } == ["first draft, revised", "my own words"])
            let after = Self.array(try await seeded.browser.send(client, .get, "/api/document?id=\(id)"))
            #expect(after.map { $0["content"] as? String } == ["first draft"])
            #expect(after.first?["createdAt"] as? String == keep)
        }
    }

    @Test("bad input gets a clear 400; unknown documents and versions a 404")
    func validation() async throws {
        try await ChatTestKit.with { client, services, _ in
            let seeded = try await Self.seed(client, services)
            let id = seeded.documentID.lowercasedForTest
            let cases: [(HTTPRequest.Method, String, String?, HTTPResponse.Status, String)] = [
                (.get, "/api/document", nil, .badRequest, "id"),
                (.get, "/api/document?id=nope", nil, .badRequest, "UUID"),
                (.get, "/api/suggestions?documentId=nope", nil, .badRequest, "UUID"),
                (.post, "/api/document?id=\(id)", #"{"title":"x"}"#, .badRequest, "JSON"),
                (.post, "/api/document?id=\(id)", #"{"content":"x","kind":"video"}"#, .badRequest, "kind"),
                (.post, "/api/document?id=\(id)", #"{"content":"x","kind":"code"}"#, .badRequest, "cannot change"),
                (.post, "/api/document?id=\(id)", #"{"title":"  ","content":"x"}"#, .badRequest, "title"),
                (.post, "/api/document?id=\(id)", #"{"title":"\#(String(repeating: "t", count: 201))","content":"x"}"#, .badRequest, "title is too long"),
                (.post, "/api/document?id=\(id)", #"{"content":"\#(String(repeating: "é", count: 100_001))"}"#, .badRequest, "content is too long"),
                (.post, "/api/document?id=\(UUID().lowercasedForTest)", #"{"content":"x"}"#, .notFound, "not found"),
                (.delete, "/api/document?id=\(id)", nil, .badRequest, "timestamp"),
                (.delete, "/api/document?id=\(id)&timestamp=yesterday", nil, .badRequest, "ISO 8601"),
                (.delete, "/api/document?id=\(id)&timestamp=2001-01-01T00:00:00.000Z", nil, .notFound, "no version"),
                (.get, "/api/document?id=\(UUID().lowercasedForTest)", nil, .notFound, "not found"),
                (.get, "/api/suggestions?documentId=\(UUID().lowercasedForTest)", nil, .notFound, "not found"),
            ]
            for (method, uri, body, status, words) in cases {
                let response = try await seeded.browser.send(client, method, uri, body: body.map { ByteBuffer(string: $0) })
                #expect(response.status == status, "\(method) \(uri.prefix(80))")
                #expect(response.text.contains(words), "\(method) \(uri.prefix(80)): \(response.text.prefix(200))")
            }
            // Nothing above changed the document.
            #expect(Self.array(try await seeded.browser.send(client, .get, "/api/document?id=\(id)")).count == 2)
            #expect(try await Browser().send(client, .get, "/api/document?id=\(id)").status == .unauthorized)
        }
    }

    @Test("suggestions are listed for the owner; deleting the chat deletes its documents", arguments: TestDatabase.kinds)
    func suggestionsAndChatDeletion(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind) { client, services, _ in
            let seeded = try await Self.seed(client, services)
            let user = try await Self.userID(seeded.browser, client)
            let store = DocumentRepository(database: services.database)
            #expect(try await store.addSuggestion(SuggestionRecord(
                documentID: seeded.documentID, documentCreatedAt: seeded.versions[1].createdAt, userID: user, originalText: "first draft",
                suggestedText: "First draft", description: "Capitalise the first word.")))
            let id = seeded.documentID.lowercasedForTest
            let listed = Self.array(try await seeded.browser.send(client, .get, "/api/suggestions?documentId=\(id)"))
            #expect(listed.count == 1)
            #expect(listed.first?["suggestedText"] as? String == "First draft")
            #expect(listed.first?["isResolved"] as? Bool == false)
            #expect(try await seeded.browser.send(client, .delete, "/api/chat?id=\(seeded.chatID.lowercasedForTest)").status == .ok)
            #expect(try await seeded.browser.send(client, .get, "/api/document?id=\(id)").status == .notFound)
            #expect(try await store.versions(of: seeded.documentID, ownedBy: user).isEmpty)
        }
    }

    @Test("suggestions stay with their version; the user's edit carries the unresolved ones whose sentence is still there", arguments: TestDatabase.kinds)
    func suggestionsFollowVersions(kind: DatabaseKind) async throws {
        try await ChatTestKit.with(kind) { client, services, _ in
            let seeded = try await Self.seed(client, services, text: "One. Two. Three.")
            let user = try await Self.userID(seeded.browser, client)
            let store = DocumentRepository(database: services.database)
            let latest = seeded.versions[1]
            for (original, suggested) in [("One.", "Uno."), ("Two.", "Dos."), ("Three.", "Tres.")] {
                #expect(try await store.addSuggestion(SuggestionRecord(
                    documentID: seeded.documentID, documentCreatedAt: latest.createdAt, userID: user, originalText: original,
                    suggestedText: suggested, description: nil)))
            }
            // The user applies "Uno." (and so drops "One.") and deletes "Three.".
            let id = seeded.documentID.lowercasedForTest
            let edit = try await seeded.browser.send(
                client, .post, "/api/document?id=\(id)", body: ByteBuffer(string: #"{"content":"Uno. Two., revised"}"#))
            #expect(edit.status == .ok)
            let edited = try #require(try await store.versions(of: seeded.documentID, ownedBy: user).last)
            #expect(edited.content == "Uno. Two., revised")
            let listed = Self.array(try await seeded.browser.send(client, .get, "/api/suggestions?documentId=\(id)"))
            #expect(listed.count == 4)
            // Times come back cut to the millisecond (a SQLite time may be a hair under it): match as the client does.
            let stored = try await store.suggestions(documentID: seeded.documentID, ownedBy: user)
            #expect(stored.filter { DocumentVersions.matches($0.documentCreatedAt, edited.createdAt) }.map(\.originalText) == ["Two."])
            #expect(stored.filter { DocumentVersions.matches($0.documentCreatedAt, latest.createdAt) }.count == 3)
            // A restore drops the edited version's copies with it.
            let keep = try #require(Self.array(try await seeded.browser.send(client, .get, "/api/document?id=\(id)"))[1]["createdAt"] as? String)
            #expect(try await seeded.browser.send(client, .delete, "/api/document?id=\(id)&timestamp=\(keep)").status == .ok)
            #expect(Self.array(try await seeded.browser.send(client, .get, "/api/suggestions?documentId=\(id)")).count == 3)
        }
    }
}
