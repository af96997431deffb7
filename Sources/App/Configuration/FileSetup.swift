import AsyncHTTPClient
import Bedrock
import Files
import Logging
import Storage

/// The file service over the configured blob store, and the HTTP client S3 needs (nil for the database store).
struct FileSetup: Sendable {
    let service: FileService
    let httpClient: HTTPClient?

    static func make(configuration: AppConfiguration, database: any DatabaseClient, logger: Logger) -> FileSetup {
        let files = FileRepository(database: database)
        let blobs: any BlobStore
        var httpClient: HTTPClient?
        if let s3 = configuration.files.s3 {
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let credentials = CachingCredentialProvider(
                chain: .default(environment: configuration.models.credentialEnvironment, httpClient: client))
            blobs = S3BlobStore(configuration: s3, httpClient: client) { try await credentials.credentials() }
            httpClient = client
        } else {
            blobs = DatabaseBlobStore(files: files)
        }
        logger.info("file storage ready", metadata: ["store": .string(blobs.name)])
        let limits = configuration.files.limits
        let uploadLimit = UploadLimit(
            events: ThrottleRepository(database: database), files: limits.uploadsPerWindow, bytes: limits.uploadBytesPerWindow, window: limits.uploadWindow)
        let service = FileService(
            files: files, chats: ChatRepository(database: database), blobs: blobs, limits: limits, uploadLimit: uploadLimit, logger: logger)
        return FileSetup(service: service, httpClient: httpClient)
    }
}

extension SweepService {
    /// Unsent and orphaned uploads, hourly; S3's HTTP client is closed at shutdown.
    static func files(_ setup: FileSetup, logger: Logger) -> SweepService {
        SweepService(name: "file", logger: logger, sweep: { try await setup.service.sweep() }, afterShutdown: { try await setup.httpClient?.shutdown() })
    }
}
