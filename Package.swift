// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Tests import less precisely than library code; member visibility checks would only add noise there.
let testSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "chatbot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chatbot", targets: ["chatbot"]),
        .library(name: "Bedrock", targets: ["Bedrock"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // MARK: Libraries

        /// Amazon Bedrock Runtime client: SigV4, credentials, event stream, Converse. Knows nothing of the app.
        .target(
            name: "Bedrock",
            dependencies: [
                "StreamBridge",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The one bridge from a producing task to an AsyncSequence (a leaf: no dependencies, usable by every module).
        .target(name: "StreamBridge", swiftSettings: swiftSettings),
        /// The app's one JSON value type (a leaf; Bedrock keeps its own, being standalone).
        .target(name: "JSON", swiftSettings: swiftSettings),
        /// The AI SDK v6 UI message stream wire format.
        .target(name: "UIMessageStream", dependencies: ["StreamBridge", "JSON"], swiftSettings: swiftSettings),
        /// The provider-neutral LanguageModel protocol, the catalog, and its providers.
        .target(
            name: "Models",
            dependencies: [
                "Bedrock", "JSON", "StreamBridge",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Repositories and migrations over SQLKit, for PostgreSQL and SQLite.
        .target(
            name: "Storage",
            dependencies: [
                "JSON",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // ConnectionPoolError: how the pool says no connection could be made (PostgresDatabaseClient+Errors).
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Uploaded files: type by content, multipart, the database and S3 blob stores.
        .target(
            name: "Files",
            dependencies: [
                "Storage", "Bedrock",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Users, sessions, guests, entitlements.
        .target(
            name: "Accounts",
            dependencies: [
                "Storage",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Chat service: generation runs, resumable streams, titles.
        .target(
            name: "Chat",
            dependencies: [
                "Storage", "Models", "UIMessageStream", "Accounts", "JSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Server-rendered pages.
        .target(
            name: "Web",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Composition root: configuration, wiring, routes, middleware.
        .target(
            name: "App",
            dependencies: [
                "Storage", "Accounts", "Chat", "Models", "Web", "UIMessageStream", "Bedrock", "JSON", "Files",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "chatbot",
            dependencies: [
                "App", "Storage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Test support

        /// An in-process Bedrock Runtime look-alike: verifies SigV4, speaks event-stream. Tests and benchmarks only.
        .target(
            name: "BedrockFake",
            dependencies: [
                "Bedrock",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Support/BedrockFake",
            swiftSettings: swiftSettings
        ),
        /// Real databases for tests: SQLite files and throwaway PostgreSQL databases.
        .target(
            name: "TestSupport",
            dependencies: [
                "Storage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Support/TestSupport",
            swiftSettings: swiftSettings
        ),
        /// Runs the fake Bedrock server as a process, so botocore can be pointed at it.
        .executableTarget(
            name: "fake-bedrock",
            dependencies: ["BedrockFake"],
            path: "Tests/Support/fake-bedrock",
            swiftSettings: swiftSettings
        ),
        /// Benchmarks that print figures: `scripts/bench`.
        .executableTarget(
            name: "chatbot-bench",
            dependencies: [
                "Bedrock", "BedrockFake", "UIMessageStream", "App", "Storage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/chatbot-bench",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests

        .testTarget(
            name: "BedrockTests",
            dependencies: [
                "Bedrock", "BedrockFake",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Vectors")], swiftSettings: testSettings),
        .testTarget(
            name: "ModelsTests",
            dependencies: [
                "Models", "Bedrock", "BedrockFake",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: testSettings
        ),
        .testTarget(name: "UIMessageStreamTests", dependencies: ["UIMessageStream", "JSON"], swiftSettings: testSettings),
        .testTarget(
            name: "ChatTests",
            dependencies: [
                "Chat", "Storage", "Models", "Accounts", "UIMessageStream", "StreamBridge", "JSON", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "TestSupport", "UIMessageStream", .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "FilesTests",
            dependencies: [
                "Files", "Bedrock", "Storage", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: testSettings),
        .testTarget(
            name: "AccountsTests",
            dependencies: [
                "Accounts", "Storage", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: testSettings
        ),
        .testTarget(name: "WebTests", dependencies: ["Web"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App", "Bedrock", "BedrockFake", "TestSupport", "Chat", "Accounts", "Models", "Storage", "UIMessageStream", "JSON", "Files",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: testSettings
        ),
    ]
)
