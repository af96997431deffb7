import Files
import Foundation
import Logging
import SQLKit
import Storage
import TestSupport
import Testing

/// The file service over the database blob store, on SQLite and PostgreSQL (the S3 store runs the same
/// behaviours through the HTTP API against moto: tests/files).
@Suite("File service") struct FileServiceTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 0, 255])

    func service(_ db: any DatabaseClient, limits: FileLimits = FileLimits()) -> FileService {
        let files = FileRepository(database: db)
        return FileService(
            files: files, chats: ChatRepository(database: db), blobs: DatabaseBlobStore(files: files), limits: limits, logger: TestDatabase.logger)
    }

    func user(_ db: any DatabaseClient) async throws -> UserRecord {
        let user = UserRecord(kind: .guest)
        try await UserRepository(database: db).create(user)
        return user
    }

    @Test("the owner reads the bytes back; others see nothing until the file is in a public chat", arguments: TestDatabase.kinds)
    func access(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let service = self.service(db)
            let alice = try await self.user(db)
            let bob = try await self.user(db)
            let chat = ChatRecord(id: UUID(), userID: alice.id, title: "t", visibility: .private)
            try await ChatRepository(database: db).create(chat)
            let file = try await service.upload(data: Self.png, name: "dir/shot.png", userID: alice.id, chatID: chat.id)
            #expect(file.name == "shot.png" && file.mediaType == "image/png" && file.size == Self.png.count)
            #expect(try await service.read(id: file.id, viewer: alice.id).1 == Self.png)
            await #expect(throws: FileError.notFound) { try await service.read(id: file.id, viewer: bob.id) }
            await #expect(throws: FileError.chatNotYours) { try await service.upload(data: Self.png, name: "b.png", userID: bob.id, chatID: chat.id) }
            try await ChatRepository(database: db).setVisibility(.public, of: chat.id, ownedBy: alice.id)
            // Public, but not yet part of a message: still private.
            await #expect(throws: FileError.notFound) { try await service.read(id: file.id, viewer: nil) }
            try await service.files.attach(ids: [file.id], userID: alice.id, chatID: chat.id, messageID: UUID())
            #expect(try await service.read(id: file.id, viewer: nil).1 == Self.png)
            #expect(try await service.read(id: file.id, viewer: bob.id).1 == Self.png)
        }
    }

    @Test("size and count limits refuse with the limit named", arguments: TestDatabase.kinds)
    func limits(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            var limits = FileLimits()
            limits.maxImageBytes = 20
            limits.maxDocumentBytes = 10
            limits.maxPendingPerChat = 2
            let service = self.service(db, limits: limits)
            let user = try await self.user(db)
            let chat = UUID()
            await #expect(throws: FileError.tooLarge(name: "a.txt", limit: 10, isImage: false)) {
                try await service.upload(data: Data(repeating: 0x61, count: 11), name: "a.txt", userID: user.id, chatID: chat)
            }
            _ = try await service.upload(data: Self.png, name: "1.png", userID: user.id, chatID: chat)
            _ = try await service.upload(data: Data("hi".utf8), name: "2.txt", userID: user.id, chatID: chat)
            await #expect(throws: FileError.tooManyFiles(limit: 2)) {
                try await service.upload(data: Data("hi".utf8), name: "3.txt", userID: user.id, chatID: chat)
            }
            await #expect(throws: FileError.empty) { try await service.upload(data: Data(), name: "e.txt", userID: user.id, chatID: UUID()) }
        }
    }

    @Test("deleting a chat's files and the sweep leave no rows and no bytes", arguments: TestDatabase.kinds)
    func cleanup(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let service = self.service(db)
            let user = try await self.user(db)
            let chats = ChatRepository(database: db)
            let kept = ChatRecord(id: UUID(), userID: user.id, title: "kept", visibility: .private)
            try await chats.create(kept)
            let sent = try await service.upload(data: Self.png, name: "sent.png", userID: user.id, chatID: kept.id)
            try await service.files.attach(ids: [sent.id], userID: user.id, chatID: kept.id, messageID: UUID())
            let unsent = try await service.upload(data: Self.png, name: "unsent.png", userID: user.id, chatID: kept.id)
            let orphan = try await service.upload(data: Self.png, name: "orphan.png", userID: user.id, chatID: UUID())
            try await service.files.attach(ids: [orphan.id], userID: user.id, chatID: orphan.chatID, messageID: UUID())
            // Fresh uploads survive a sweep: a first message's chat does not exist yet.
            #expect(try await service.sweep(now: Date()) == 0)
            #expect(try await service.sweep(now: Date().addingTimeInterval(2 * 24 * 3600)) == 2)
            #expect(try await service.files.find(id: sent.id) != nil)
            for gone in [unsent, orphan] {
                #expect(try await service.files.find(id: gone.id) == nil)
                #expect(try await service.files.blob(key: gone.objectKey) == nil)
            }
            try await chats.delete(id: kept.id, ownedBy: user.id)
            try await service.deleteFiles(ofChat: kept.id)
            #expect(try await service.files.find(id: sent.id) == nil)
            #expect(try await service.files.blob(key: sent.objectKey) == nil)
        }
    }

    @Test("deleting the user takes the database store's bytes with the rows", arguments: TestDatabase.kinds)
    func userCascade(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let service = self.service(db)
            let user = try await self.user(db)
            let file = try await service.upload(data: Self.png, name: "a.png", userID: user.id, chatID: UUID())
            try await db.withSQL { sql in try await sql.raw("DELETE FROM users WHERE id = \(bind: user.id)").run() }
            #expect(try await service.files.blob(key: file.objectKey) == nil)
        }
    }
}
