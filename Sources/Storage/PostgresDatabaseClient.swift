import Logging
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL through postgres-nio's `PostgresClient` pool, spoken to with SQLKit.
public final class PostgresDatabaseClient: DatabaseClient {
    public var kind: DatabaseKind { .postgres }
    let client: PostgresClient
    private let logger: Logger
    /// The pool's run loop. It is started at once so CLI commands and tests need no service group.
    private let runTask: Task<Void, Never>

    public init(settings: PostgresSettings, logger: Logger) throws {
        var configuration = PostgresClient.Configuration(
            host: settings.host,
            port: settings.port,
            username: settings.username,
            password: settings.password,
            database: settings.database,
            tls: try Self.tls(for: settings)
        )
        configuration.options.connectTimeout = .seconds(3)
        configuration.options.maximumConnections = 20
        configuration.options.keepAliveBehavior = .init(frequency: .seconds(30))
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.runTask = Task { await client.run() }
    }

    /// libpq semantics: `require` encrypts without verifying (as psql does); `verify-*` check the chain.
    static func tls(for settings: PostgresSettings) throws -> PostgresClient.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let bundle = settings.sslRootCertificatePath {
            tls.trustRoots = .file(bundle)
        }
        switch settings.sslMode {
        case .disable:
            return .disable
        case .allow, .prefer:
            tls.certificateVerification = .none
            return .prefer(tls)
        case .require:
            tls.certificateVerification = .none
            return .require(tls)
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return .require(tls)
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            return .require(tls)
        }
    }

    public func withSQL<Result: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await self.client.withConnection { connection in
            try await body(connection.sql(queryLogLevel: .trace, logger: self.logger))
        }
    }

    public func transaction<Result: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await self.client.withTransaction(logger: self.logger) { connection in
            try await body(connection.sql(queryLogLevel: .trace, logger: self.logger))
        }
    }

    public func run() async throws {
        // Wait for cancellation (graceful shutdown), then close the pool.
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await self.close()
    }

    public func close() async {
        self.runTask.cancel()
        await self.runTask.value
    }
}
