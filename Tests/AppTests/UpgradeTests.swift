import Accounts
import App
import BedrockFake
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
@testable import Storage
import TestSupport
import Testing

/// A database left at an older schema version, with the data that version could hold, is upgraded by
/// the next start and served as before; the newer features then work on the old rows.
@Suite("Upgrading from older schema versions") struct UpgradeTests {
    static var olderVersions: [Int] { Array(Migrator.versions.dropLast()) }

    /// Brings an empty database to `version` the way that release's migrator did.
    static func migrate(_ database: any DatabaseClient, upTo version: Int) async throws {
        let kind = database.kind
        try await database.transaction { sql in
            try await sql.raw(
                "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at \(unsafeRaw: kind == .postgres ? "timestamptz" : "REAL") NOT NULL)"
            ).run()
            for migration in Schema.migrations where migration.version <= version {
                for statement in migration.statements { try await sql.raw("\(unsafeRaw: Schema.render(statement, for: kind))").run() }
                try await sql.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Date()))").run()
            }
        }
    }

    struct OldData { let userID = UUID(); let chatID = UUID(); let question = UUID(); let answer = UUID() }

    /// A guest with a public chat of one question, one answer and an upvote: what version 1 stores, in raw SQL
    /// so the test does not depend on today's repositories.
    static func insert(_ data: OldData, into database: any DatabaseClient) async throws {
        let json = database.kind == .postgres ? "::jsonb" : ""
        let created = Date().addingTimeInterval(-3600)
        try await database.transaction { sql in
            try await sql.raw("INSERT INTO users (id, email, password_hash, type, created_at) VALUES (\(bind: data.userID), NULL, NULL, 'guest', \(bind: created))").run()
            try await sql.raw(
                "INSERT INTO chats (id, user_id, title, visibility, created_at, updated_at) VALUES (\(bind: data.chatID), \(bind: data.userID), 'Old chat', 'private', \(bind: created), \(bind: created))"
            ).run()
            for (id, role, text, offset) in [(data.question, "user", "old question", 0.0), (data.answer, "assistant", "old answer", 1.0)] {
                let parts = #"[{"type":"text","text":"\#(text)"}]"#
                try await sql.raw(
                    """
                    INSERT INTO messages (id, chat_id, role, parts, attachments, status, model, created_at)
                    VALUES (\(bind: id), \(bind: data.chatID), \(bind: role), \(bind: parts)\(unsafeRaw: json), \(bind: "[]")\(unsafeRaw: json), 'complete',
                            \(bind: role == "assistant" ? "amazon.nova-lite-v1:0" : nil as String?), \(bind: created.addingTimeInterval(offset)))
                    """
                ).run()
            }
            try await sql.raw("INSERT INTO votes (chat_id, message_id, is_upvoted) VALUES (\(bind: data.chatID), \(bind: data.answer), \(bind: true))").run()
        }
    }

    @Test("an older database with data is migrated on start and its chats still work", arguments: TestDatabase.kinds, Self.olderVersions)
    func upgrade(kind: DatabaseKind, version: Int) async throws {
        let (configuration, cleanup) = try await TestDatabase.make(kind)
        let data = OldData()
        try await TestDatabase.withOpen(configuration) { old in
            try await Self.migrate(old, upTo: version)
            try await Self.insert(data, into: old)
        }

        let fake = FakeBedrockServer()
        try await fake.start()
        // SQLite lives in DATA_DIR/chatbot.sqlite: point the app at the old database's folder.
        var dataDirectory = NSTemporaryDirectory() + "chatbot-upgrade-" + UUID().uuidString
        if case .sqlite(let path) = configuration { dataDirectory = (path as NSString).deletingLastPathComponent }
        let environment = TestApp.environment(configuration, dataDirectory: dataDirectory, extra: ChatTestKit.environment(fake: fake))
        let services = try await buildServices(configuration: try AppConfiguration(environment: environment), logger: TestDatabase.logger)
        do {
            #expect(try await Migrator(database: services.database, logger: TestDatabase.logger).appliedVersions() == Migrator.versions)
            try await buildApplication(services: services).test(.router) { client in
                // Sessions became revocable rows in version 5, so a cookie from before it is no session: everyone
                // signs in once after the upgrade. The old guest's data must still be there for a new session.
                let secret = try #require(environment["AUTH_SECRET"])
                let oldToken = SessionToken(user: SessionUser(id: data.userID, email: nil, kind: .guest), issuedAt: Date(), lifetime: 3600)
                let oldCookie = Browser(cookie: "\(SessionCodec.cookieName)=\(SessionCodec(secret: secret).encode(oldToken))")
                #expect(try await oldCookie.send(client, .get, "/api/history").status == .unauthorized)
                let token = SessionToken(user: SessionUser(id: data.userID, email: nil, kind: .guest), issuedAt: Date(), lifetime: 3600)
                try await SessionRepository(database: services.database).create(
                    id: token.sessionID, userID: data.userID, createdAt: token.issuedAt, expiresAt: token.expiresAt)
                var browser = Browser()
                browser.cookie = "\(SessionCodec.cookieName)=\(SessionCodec(secret: secret).encode(token))"
                let chat = data.chatID.lowercasedForTest
                let history = try await browser.send(client, .get, "/api/history")
                #expect((history.json["chats"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Old chat"])
                let messages = try #require(try await browser.send(client, .get, "/api/chat/\(chat)/messages").json["messages"] as? [[String: Any]])
                #expect(messages.map { ($0["parts"] as? [[String: Any]])?.first?["text"] as? String } == ["old question", "old answer"])
                let votes = try await browser.send(client, .get, "/api/vote?chatId=\(chat)")
                let list = try JSONSerialization.jsonObject(with: Data(buffer: votes.body)) as? [[String: Any]]
                #expect(list?.first?["isUpvoted"] as? Bool == true)
                // What later versions added (runs, allowance, usage) works on the old rows.
                let answer = try await ChatTestKit.post(browser, client, chatID: data.chatID, text: "and now?")
                #expect(answer.status == .ok)
                #expect(ChatTestKit.text(of: try ChatTestKit.chunks(of: answer)) == "You said: and now?")
                let after = try #require(try await browser.send(client, .get, "/api/chat/\(chat)/messages").json["messages"] as? [[String: Any]])
                #expect(after.count == 4)
            }
        } catch {
            Issue.record(error)
        }
        await services.database.close()
        await fake.stop()
        await cleanup()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    @Test("the SQLite test database is the file the app opens")
    func sqlitePathMatchesDataDirectory() async throws {
        let (configuration, cleanup) = try await TestDatabase.make(.sqlite)
        defer { Task { await cleanup() } }
        guard case .sqlite(let path) = configuration else { Issue.record("not SQLite"); return }
        let dataDirectory = (path as NSString).deletingLastPathComponent
        #expect(try DatabaseConfiguration.from(postgresURL: nil, dataDirectory: dataDirectory) == configuration)
    }
}
