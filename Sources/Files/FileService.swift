import Crypto
import Foundation
import Logging
import Storage

/// Upload limits; the defaults are Converse's per-block limits (catalog/README.md, checked 2026-11-29).
public struct FileLimits: Sendable, Equatable {
    /// Converse: an image block of at most 3.75 MB.
    public var maxImageBytes: Int = 3_750_000
    /// Converse: a document block of at most 4.5 MB.
    public var maxDocumentBytes: Int = 4_500_000
    /// Unsent files per user and chat. Converse takes 20 images and 5 documents per message.
    public var maxPendingPerChat: Int = 20
    /// Unsent uploads older than this are swept.
    public var unsentLifetime: Duration = .seconds(24 * 3600)
    /// Converse: an image at most 8000 px wide and high.
    public var maxImagePixels: Int = 8000
    /// Uploads per user in `uploadWindow`, whatever becomes of them (UPLOAD_LIMIT_FILES_PER_HOUR).
    public var uploadsPerWindow: Int = 200
    /// Bytes uploaded per user in `uploadWindow` (UPLOAD_LIMIT_BYTES_PER_HOUR).
    public var uploadBytesPerWindow: Int = 300_000_000
    public var uploadWindow: TimeInterval = 3600

    public init() {}

    /// The largest upload body worth reading: the largest file plus room for the multipart framing.
    public var maxBodyBytes: Int { max(self.maxImageBytes, self.maxDocumentBytes) + 64 * 1024 }
}

/// Uploads, reads and deletes files: metadata in `files`, bytes in the configured blob store.
public struct FileService: Sendable {
    public let files: FileRepository
    public let chats: ChatRepository
    public let blobs: any BlobStore
    public let limits: FileLimits
    /// The per-user allowance; nil: none (tests of other behaviour).
    public let uploadLimit: UploadLimit?
    let logger: Logger

    public init(
        files: FileRepository, chats: ChatRepository, blobs: any BlobStore, limits: FileLimits, uploadLimit: UploadLimit? = nil, logger: Logger
    ) {
        self.files = files
        self.chats = chats
        self.blobs = blobs
        self.limits = limits
        self.uploadLimit = uploadLimit
        self.logger = logger
    }

    /// Checks and stores one upload for `chatID` (which may not exist yet, but must not be someone else's).
    public func upload(data: Data, name rawName: String, userID: UUID, chatID: UUID) async throws -> FileRecord {
        let name = Self.cleanName(rawName)
        guard !data.isEmpty else { throw FileError.empty }
        let kind = try FileKind.detect(data, name: name).get()
        let limit = kind.isImage ? self.limits.maxImageBytes : self.limits.maxDocumentBytes
        guard data.count <= limit else { throw FileError.tooLarge(name: name, limit: limit, isImage: kind.isImage) }
        if kind.isImage, let size = ImageSize.read(data, kind: kind), max(size.width, size.height) > self.limits.maxImagePixels {
            throw FileError.imageTooLarge(name: name, width: size.width, height: size.height, limit: self.limits.maxImagePixels)
        }
        if let chat = try await self.chats.find(id: chatID), chat.userID != userID { throw FileError.chatNotYours }
        guard try await self.files.pendingCount(userID: userID, chatID: chatID) < self.limits.maxPendingPerChat else {
            throw FileError.tooManyFiles(limit: self.limits.maxPendingPerChat)
        }
        // Last, so a refused upload does not use the allowance up.
        try await self.uploadLimit?.take(userID: userID, size: data.count)
        let record = FileRecord(
            userID: userID, chatID: chatID, name: name, mediaType: kind.mediaType, size: data.count, objectKey: Self.newObjectKey())
        // The row first: the database store's blob references it.
        try await self.files.insert(record)
        do {
            try await self.blobs.put(key: record.objectKey, data: data, mediaType: kind.mediaType)
        } catch {
            try? await self.files.delete(ids: [record.id])
            throw error
        }
        return record
    }

    /// The file and its bytes, when `viewer` may read it: its owner, or anyone once it is part of a public chat.
    public func read(id: UUID, viewer: UUID?) async throws -> (FileRecord, Data) {
        guard let file = try await self.files.find(id: id) else { throw FileError.notFound }
        if file.userID != viewer {
            guard file.messageID != nil, let chat = try await self.chats.find(id: file.chatID), chat.visibility == .public else {
                throw FileError.notFound
            }
        }
        guard let data = try await self.blobs.get(key: file.objectKey) else { throw FileError.notFound }
        return (file, data)
    }

    /// The bytes of files the user may send in `chatID`, in the order asked; nil for any id that is not theirs.
    public func owned(ids: [UUID], userID: UUID, chatID: UUID) async throws -> [FileRecord]? {
        var out: [FileRecord] = []
        for id in ids {
            guard let file = try await self.files.find(id: id), file.userID == userID, file.chatID == chatID else { return nil }
            out.append(file)
        }
        return out
    }

    /// Deletes a chat's files (rows, then bytes). Call after the chat itself is deleted.
    public func deleteFiles(ofChat chatID: UUID) async throws {
        let removed = try await self.files.deleteAll(chatID: chatID)
        try await self.blobs.delete(keys: removed.map(\.objectKey))
    }

    /// Deletes the files of several deleted chats ("delete all history"); see `FileRepository.chatIDs`.
    public func deleteFiles(ofChats chatIDs: [UUID]) async throws {
        for chatID in chatIDs { try await self.deleteFiles(ofChat: chatID) }
    }

    /// Removes uploads never sent within `unsentLifetime`, and files whose chat is gone; returns how many.
    @discardableResult
    public func sweep(now: Date = Date(), limit: Int = 500) async throws -> Int {
        let cutoff = now.addingTimeInterval(-Double(self.limits.unsentLifetime.components.seconds))
        let stale = try await self.files.stale(unsentBefore: cutoff, limit: limit)
        guard !stale.isEmpty else { return 0 }
        try await self.files.delete(ids: stale.map(\.id))
        try await self.blobs.delete(keys: stale.map(\.objectKey))
        self.logger.info("swept files", metadata: ["count": "\(stale.count)", "store": .string(self.blobs.name)])
        return stale.count
    }

    /// `files/` and 32 random bytes in hex: unguessable, and free of characters that would need encoding.
    static func newObjectKey() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        return "files/" + bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The last path component, without control characters, at most 200 characters; `file` when nothing is left.
    static func cleanName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(String.UnicodeScalarView(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }))
            .trimmingCharacters(in: .whitespaces)
        return clean.isEmpty ? "file" : String(clean.prefix(200))
    }
}
