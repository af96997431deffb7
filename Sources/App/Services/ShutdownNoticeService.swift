import Chat
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// Tells the answer engine of SIGTERM at once. The application shuts its HTTP server down first and waits for
/// the open answer streams; those wait for their answers' final saves, which with the database away retry for a
/// minute, past an orchestrator's stop timeout (ECS: 30 s). Told early, an answer that cannot save gives up
/// after one try and leaves the run to the next instance's liveness sweep.
struct ShutdownNoticeService: Service {
    let engine: AnswerEngine

    func run() async throws {
        try? await gracefulShutdown()
        self.engine.shutdownBegins()
    }
}

/// Runs the application until SIGTERM or SIGINT. A service group shuts its services down last first, so the
/// notice, listed after the application, hears of the signal before the application starts draining.
public func runApplication(_ application: some ApplicationProtocol, services: AppServices) async throws {
    let group = ServiceGroup(
        configuration: .init(
            services: [application, ShutdownNoticeService(engine: services.engine)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: services.logger))
    try await group.run()
}
