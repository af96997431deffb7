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

    @Test("an image over 8000 px either way is refused with its size; a header that cannot be read is left to Converse", arguments: TestDatabase.kinds)
    func imageDimensions(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let service = self.service(db)
            let user = try await self.user(db)
            await #expect(throws: FileError.imageTooLarge(name: "wide.png", width: 8001, height: 20, limit: 8000)) {
                try await service.upload(data: FileKindTests.pngHeader(8001, 20), name: "wide.png", userID: user.id, chatID: UUID())
            }
            await #expect(throws: FileError.imageTooLarge(name: "tall.gif", width: 10, height: 9000, limit: 8000)) {
                try await service.upload(data: FileKindTests.gifHeader(10, 9000), name: "tall.gif", userID: user.id, chatID: UUID())
            }
            _ = try await service.upload(data: FileKindTests.pngHeader(8000, 8000), name: "square.png", userID: user.id, chatID: UUID())
            _ = try await service.upload(data: FileKindTests.jpegHeader(8000, 10), name: "strip.jpg", userID: user.id, chatID: UUID())
            _ = try await service.upload(data: Self.png, name: "short.png", userID: user.id, chatID: UUID())
        }
    }

    @Test("the per-user upload allowance counts files and bytes in its window across chats, and refused uploads do not use it", arguments: TestDatabase.kinds)
    func uploadLimit(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let files = FileRepository(database: db)
            let clock = TestClock()
            let limit = UploadLimit(events: ThrottleRepository(database: db), files: 3, bytes: 40, window: 3600, clock: { clock.now })
            let service = FileService(
                files: files, chats: ChatRepository(database: db), blobs: DatabaseBlobStore(files: files), limits: FileLimits(), uploadLimit: limit,
                logger: TestDatabase.logger)
            let user = try await self.user(db)
            let other = try await self.user(db)
            // 13 + 13 bytes in two chats; an empty file is refused before it counts.
            _ = try await service.upload(data: Self.png, name: "1.png", userID: user.id, chatID: UUID())
            await #expect(throws: FileError.empty) { try await service.upload(data: Data(), name: "e.txt", userID: user.id, chatID: UUID()) }
            clock.advance(60)
            _ = try await service.upload(data: Self.png, name: "2.png", userID: user.id, chatID: UUID())
            // 26 + 20 > 40 bytes: refused, to be retried when the first upload leaves the window.
            await #expect(throws: FileError.uploadLimit(files: 3, bytes: 40, windowSeconds: 3600, retryAfterSeconds: 3540)) {
                try await service.upload(data: Data(repeating: 0x61, count: 20), name: "big.txt", userID: user.id, chatID: UUID())
            }
            _ = try await service.upload(data: Data("tiny".utf8), name: "3.txt", userID: user.id, chatID: UUID())
            // A fourth file is over the count, however small.
            await #expect(throws: FileError.uploadLimit(files: 3, bytes: 40, windowSeconds: 3600, retryAfterSeconds: 3540)) {
                try await service.upload(data: Data("x".utf8), name: "4.txt", userID: user.id, chatID: UUID())
            }
            // Someone else has an allowance of their own; the window moving on gives this user's back.
            _ = try await service.upload(data: Self.png, name: "o.png", userID: other.id, chatID: UUID())
            clock.advance(3600)
            _ = try await service.upload(data: Data("x".utf8), name: "5.txt", userID: user.id, chatID: UUID())
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
            let message = MessageRecord(id: UUID(), chatID: kept.id, role: .user, parts: [])
            try await MessageRepository(database: db).insert(message)
            try await service.files.attach(ids: [sent.id], userID: user.id, chatID: kept.id, messageID: message.id)
            let dropped = try await service.upload(data: Self.png, name: "dropped.png", userID: user.id, chatID: kept.id)
            // Carried by a message an edit has since deleted.
            try await service.files.attach(ids: [dropped.id], userID: user.id, chatID: kept.id, messageID: UUID())
            let unsent = try await service.upload(data: Self.png, name: "unsent.png", userID: user.id, chatID: kept.id)
            let orphan = try await service.upload(data: Self.png, name: "orphan.png", userID: user.id, chatID: UUID())
            try await service.files.attach(ids: [orphan.id], userID: user.id, chatID: orphan.chatID, messageID: UUID())
            // Fresh uploads survive a sweep: a first message's chat does not exist yet.
            #expect(try await service.sweep(now: Date()) == 0)
            #expect(try await service.sweep(now: Date().addingTimeInterval(2 * 24 * 3600)) == 3)
            #expect(try await service.files.find(id: sent.id) != nil)
            for gone in [unsent, orphan, dropped] {
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

    @Test("a swept guest's files leave through the blob store; a merged guest's files follow the account", arguments: TestDatabase.kinds)
    func guestFiles(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let files = FileRepository(database: db)
            let blobs = RecordingBlobStore(inner: DatabaseBlobStore(files: files))
            let service = FileService(files: files, chats: ChatRepository(database: db), blobs: blobs, limits: FileLimits(), logger: TestDatabase.logger)
            let users = UserRepository(database: db)
            let guest = UserRecord(kind: .guest, createdAt: Date().addingTimeInterval(-3 * 24 * 3600))
            try await users.create(guest)
            let upload = try await service.upload(data: Self.png, name: "a.png", userID: guest.id, chatID: UUID())
            // The guest sweep leaves a guest with files: a cascade would leave S3's bytes behind.
            #expect(try await users.deleteIdleGuests(createdBefore: Date()) == 0)
            #expect(try await service.sweep(now: Date().addingTimeInterval(2 * 24 * 3600)) == 1)
            #expect(blobs.deleted == [upload.objectKey])
            #expect(try await users.deleteIdleGuests(createdBefore: Date()) == 1)

            let other = UserRecord(kind: .guest)
            try await users.create(other)
            let account = UserRecord(email: "merge@example.com", kind: .regular)
            try await users.create(account)
            let moved = try await service.upload(data: Self.png, name: "b.png", userID: other.id, chatID: UUID())
            try await users.mergeGuest(other.id, into: account.id)
            #expect(try await service.read(id: moved.id, viewer: account.id).1 == Self.png)
        }
    }

    @Test("deleting all history deletes the files of every chat, sent or not, through the blob store", arguments: TestDatabase.kinds)
    func historyFiles(kind: DatabaseKind) async throws {
        try await TestDatabase.withMigrated(kind) { db in
            let files = FileRepository(database: db)
            let blobs = RecordingBlobStore(inner: DatabaseBlobStore(files: files))
            let service = FileService(files: files, chats: ChatRepository(database: db), blobs: blobs, limits: FileLimits(), logger: TestDatabase.logger)
            let user = try await self.user(db)
            let chats = ChatRepository(database: db)
            let chat = ChatRecord(id: UUID(), userID: user.id, title: "t", visibility: .private)
            try await chats.create(chat)
            let sent = try await service.upload(data: Self.png, name: "a.png", userID: user.id, chatID: chat.id)
            try await files.attach(ids: [sent.id], userID: user.id, chatID: chat.id, messageID: UUID())
            let unsent = try await service.upload(data: Self.png, name: "b.png", userID: user.id, chatID: chat.id)
            let draft = try await service.upload(data: Self.png, name: "c.png", userID: user.id, chatID: UUID())
            let withFiles = try await files.chatIDs(userID: user.id)
            #expect(withFiles == [chat.id])
            _ = try await chats.deleteAll(ownedBy: user.id)
            try await service.deleteFiles(ofChats: withFiles)
            #expect(Set(blobs.deleted) == [sent.objectKey, unsent.objectKey])
            #expect(try await files.find(id: draft.id) != nil)
        }
    }
}

/// A settable clock for windows.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var _now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
    var now: Date { self.lock.withLock { self._now } }
    func advance(_ seconds: TimeInterval) { self.lock.withLock { self._now += seconds } }
}

/// A blob store that remembers what it was asked to delete, over a real one.
final class RecordingBlobStore: BlobStore, @unchecked Sendable {
    let inner: any BlobStore
    private let lock = NSLock()
    private var _deleted: [String] = []
    init(inner: any BlobStore) { self.inner = inner }
    var deleted: [String] { self.lock.withLock { self._deleted } }
    var name: String { "recording" }
    func put(key: String, data: Data, mediaType: String) async throws { try await self.inner.put(key: key, data: data, mediaType: mediaType) }
    func get(key: String) async throws -> Data? { try await self.inner.get(key: key) }
    func delete(keys: [String]) async throws {
        self.lock.withLock { self._deleted += keys }
        try await self.inner.delete(keys: keys)
    }
}
