import Accounts
import Chat
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Storage

/// The running parts of the server, built once from configuration and shared by the routes.
public struct AppServices: Sendable {
    public let configuration: AppConfiguration
    public let database: any DatabaseClient
    public let accounts: AccountService
    public let cookies: SessionCookies
    public let entitlements: Entitlements
    /// Starts and runs answers (a service); the follower serves their chunks; queries read chats.
    public let engine: AnswerEngine
    public let follower: RunFollower
    public let chats: ChatQueries
    /// PostgreSQL only: wakes followers of other instances' runs (LISTEN/NOTIFY); a service.
    let runChanges: ListenedNotifications?
    public let documents: DocumentService
    let models: ModelSetup
    let files: FileSetup
    public let logger: Logger
    /// The metrics listener's bound port, once it listens (METRICS_PORT).
    public let metricsListener = MetricsListener()
}

/// The version `chatbot --version` and the health check report.
public let chatbotVersion = "0.1.0"

/// Opens the database, migrates it when AUTO_MIGRATE is on, and builds the services.
public func buildServices(configuration: AppConfiguration, logger: Logger) async throws -> AppServices {
    var configuration = configuration
    configuration.publicDirectory = try AssetLocator.publicDirectory(configured: configuration.publicDirectory)
    if !FileManager.default.fileExists(atPath: (configuration.vendorScriptsDirectory as NSString).appendingPathComponent("marked/marked.min.js")) {
        // Optional: without it answers show as plain text instead of Markdown.
        logger.warning("marked.min.js not found; answers will not be rendered as Markdown (install libjs-marked or set VENDOR_JS_DIR)",
                       metadata: ["vendor_js_dir": .string(configuration.vendorScriptsDirectory)])
    }
    let secret = try AuthSecret.resolve(configuration)
    // Before anything records: the first use installs the Prometheus registry as swift-metrics' backend.
    if configuration.metrics.isEnabled { _ = MetricsRegistry.shared }
    // SQLKit logs every query with its bound values at trace: message text, titles, emails. Never below debug.
    var databaseLogger = logger
    databaseLogger.logLevel = max(logger.logLevel, .debug)
    let database = try await DatabaseClients.open(configuration.database, logger: databaseLogger)
    if configuration.autoMigrate {
        do {
            let applied = try await Migrator(database: database, logger: logger).migrate()
            logger.info("database ready", metadata: ["database": .string(configuration.database.redacted), "applied_migrations": "\(applied.count)"])
        } catch {
            await database.close()
            throw error
        }
    }
    let quota = QuotaRepository(database: database)
    let accounts = makeAccountService(configuration: configuration, database: database, logger: logger)
    let entitlements = Entitlements(
        quota: quota,
        guestMessagesPerDay: configuration.guestMessagesPerDay,
        regularMessagesPerDay: configuration.regularMessagesPerDay
    )
    let models = try ModelSetup.make(configuration: configuration, logger: logger)
    let storage = ChatStorage.sql(database)
    let files = FileSetup.make(configuration: configuration, database: database, logger: logger)
    let engine = AnswerEngine(
        storage: storage, allowance: entitlements,
        model: AttachmentLoader(base: models.model, files: files.service, catalog: models.catalog), policy: models.policy,
        maxMessageLength: configuration.maxMessageLength, timing: configuration.chatTiming, logger: logger)
    // SQLite is one instance: its followers of stored runs (a resumed stream) poll.
    var runChanges: ListenedNotifications?
    if case .postgres(let settings) = configuration.database {
        runChanges = ListenedNotifications(source: PostgresRunChanges(settings: settings, logger: databaseLogger), poll: configuration.chatTiming.pollInterval)
    }
    return AppServices(
        configuration: configuration,
        database: database,
        accounts: accounts,
        cookies: SessionCookies(codec: SessionCodec(secret: secret)),
        entitlements: entitlements,
        engine: engine,
        follower: RunFollower(storage: storage, engine: engine, notifications: runChanges),
        chats: ChatQueries(storage: storage, engine: engine),
        runChanges: runChanges,
        documents: DocumentService(storage: storage),
        models: models,
        files: files,
        logger: logger
    )
}

/// The whole HTTP application: router, middleware and the services whose lifetime it manages.
public func buildApplication(services: AppServices) -> some ApplicationProtocol {
    let configuration = services.configuration
    let router = buildRouter(services: services)
    var lifecycle: [any Service] = [
        DatabaseService(database: services.database), ModelClientsService(clients: services.models.clients),
        ModelAvailabilityService(availability: services.models.availability, logger: services.logger), services.engine,
        SweepService.accounts(AccountSweeper(database: services.database), logger: services.logger),
        SweepService.files(services.files, logger: services.logger),
    ]
    if let runChanges = services.runChanges { lifecycle.append(runChanges) }
    if let port = configuration.metrics.port {
        lifecycle.append(MetricsServer(configuration: configuration.metrics, port: port, listener: services.metricsListener, logger: services.logger))
    }
    var app = Application(
        router: router,
        // Without an idle timeout Hummingbird keeps a connection that dribbles its request head open for ever
        // (slow-loris); the read deadline does the same for a body sent a byte at a time.
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [RequestReadDeadline(limit: .seconds(Int64(configuration.httpRequestReadTimeout)))],
                idleTimeout: .seconds(Int64(configuration.httpIdleTimeout)))),
        // Hundreds of clients may connect at once (a team opening the app after a meeting); Hummingbird's default
        // backlog of 256 makes the kernel reset the rest. The kernel caps it at net.core.somaxconn.
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil, backlog: 4096),
        // In dependency order: the engine drains its answers before the model clients and the database close.
        services: lifecycle,
        logger: services.logger
    )
    app.beforeServerStarts {
        services.logger.info("chatbot \(chatbotVersion) starting", metadata: ["mode": .string(configuration.mode.rawValue)])
    }
    return app
}

/// Routes and middleware, separate from the application so tests can drive them alone. Middleware runs top to
/// bottom; each controller's routes are mounted once, on the router (open to anyone) or on `signedIn`.
public func buildRouter(services: AppServices) -> Router<AppRequestContext> {
    let configuration = services.configuration
    let router = Router(context: AppRequestContext.self)
    // Outermost, so it sees the status the error middleware turned a thrown error into.
    if configuration.metrics.isEnabled { router.add(middleware: HTTPMetricsMiddleware()) }
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware(errorPage: ErrorPages.render))
    router.add(middleware: BodyLimitMiddleware(bodyLimit: configuration.maxRequestBodyBytes))
    router.add(middleware: StaticFiles.publicFiles(directory: configuration.publicDirectory))
    router.add(
        middleware: SessionMiddleware(
            accounts: services.accounts,
            cookies: services.cookies,
            originPolicy: OriginPolicy(
                configuredURL: configuration.authURL.flatMap { PublicOrigin(url: $0.absoluteString) },
                trustHost: configuration.authTrustHost,
                allowLoopback: configuration.mode == .development
            ),
            clientAddresses: ClientAddressPolicy(trustedHops: configuration.trustedProxyHops),
            loopbackOnly: configuration.mode == .development
        )
    )
    router.add(middleware: CrossSiteRequestMiddleware())
    router.add(middleware: AdminOnlyMiddleware(policy: configuration.access.policy))
    // API calls without a session get 401; pages go through guest sign-in (or to /login with guests off) and come back.
    let signedIn = router.group().add(middleware: RequireSessionMiddleware(guestsEnabled: configuration.access.policy.guestsEnabled))

    let auth = AuthController(accounts: services.accounts, cookies: services.cookies, ssoName: configuration.access.oidc?.displayName)
    let chat = ChatController(
        engine: services.engine, follower: services.follower, queries: services.chats, files: services.files.service,
        catalog: services.models.catalog, availability: services.models.availability, keepAlive: configuration.streamKeepAlive)
    let files = FileController(service: services.files.service)
    let pages = PageController(chats: services.chats, vendorDirectory: configuration.vendorScriptsDirectory, access: configuration.access)
    router.addRoutes(HealthController(database: services.database, timeout: .seconds(2), version: chatbotVersion).routes)
    router.addRoutes(auth.routes)
    router.addRoutes(SSOController.routes(configuration.access.oidc, services: services, auth: auth))
    router.addRoutes(ModelsController(catalog: services.models.catalog, availability: services.models.availability).routes)
    router.addRoutes(OpenAPIController().routes)
    if configuration.metrics.onPublicPort, let token = configuration.metrics.token {
        router.addRoutes(PublicMetricsController(token: token).routes)
    }
    router.addRoutes(chat.publicRoutes)
    signedIn.addRoutes(chat.sessionRoutes)
    router.addRoutes(pages.publicRoutes)
    signedIn.addRoutes(pages.sessionRoutes)
    signedIn.addRoutes(DocumentController(documents: services.documents).routes)
    router.addRoutes(files.publicRoutes)
    signedIn.addRoutes(files.sessionRoutes)
    router.addRoutes(
        AdminController(admin: AdminService(database: services.database, policy: configuration.access.policy, entitlements: services.entitlements)).routes)
    return router
}

/// The accounts service as the server and the operator's commands (`chatbot set-password`) both use it.
public func makeAccountService(configuration: AppConfiguration, database: any DatabaseClient, logger: Logger) -> AccountService {
    let throttleEvents = ThrottleRepository(database: database)
    return AccountService(
        users: UserRepository(database: database),
        sessions: SessionRepository(database: database),
        hasher: PasswordHasher(cost: 10),
        throttle: LoginThrottle(events: throttleEvents),
        guests: .guests(events: throttleEvents, limit: configuration.guestsPerAddressPerHour),
        policy: configuration.access.policy,
        logger: logger,
        registrations: .registrations(events: throttleEvents, limit: configuration.registrationsPerAddressPerHour)
    )
}
