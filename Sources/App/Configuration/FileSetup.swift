import AsyncHTTPClient
import Bedrock
import Files
import Logging
import ServiceLifecycle
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
        let service = FileService(
            files: files, chats: ChatRepository(database: database), blobs: blobs, limits: configuration.files.limits, logger: logger)
        return FileSetup(service: service, httpClient: httpClient)
    }
}

/// Sweeps unsent and orphaned uploads at start and then hourly; closes S3's HTTP client at shutdown.
struct FileSweepService: Service {
    let setup: FileSetup
    let logger: Logger
    var interval: Duration = .seconds(3600)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.setup.service.sweep()
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.warning("file sweep failed", metadata: ["error": .string(String(describing: error))])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
        try await self.setup.httpClient?.shutdown()
    }
}
