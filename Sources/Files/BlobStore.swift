import Foundation
import Storage

/// Where file bytes live. Keys are made by `FileService` (random, never derived from names or ids).
public protocol BlobStore: Sendable {
    /// A short name for logs: `database` or `s3://bucket`.
    var name: String { get }
    func put(key: String, data: Data, mediaType: String) async throws
    /// nil when there is no such object.
    func get(key: String) async throws -> Data?
    /// Deletes what exists; missing keys are not an error.
    func delete(keys: [String]) async throws
}

/// The default store: the bytes in the app's own database (`file_blobs`), so local runs need nothing else.
public struct DatabaseBlobStore: BlobStore {
    let files: FileRepository
    public init(files: FileRepository) { self.files = files }

    public var name: String { "database" }

    public func put(key: String, data: Data, mediaType: String) async throws {
        try await self.files.putBlob(key: key, data: data)
    }

    public func get(key: String) async throws -> Data? {
        try await self.files.blob(key: key)
    }

    public func delete(keys: [String]) async throws {
        try await self.files.deleteBlobs(keys: keys)
    }
}
