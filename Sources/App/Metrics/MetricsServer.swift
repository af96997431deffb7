import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The port the metrics listener bound (METRICS_PORT=0 picks one), once it listens.
public final class MetricsListener: Sendable {
    private let bound = Mutex<Int?>(nil)

    public var port: Int? { self.bound.withLock { $0 } }

    func listening(on port: Int?) { self.bound.withLock { $0 = port } }
}

/// The metrics listener (METRICS_PORT): a small application of its own, run as one of the main application's
/// services so it starts and stops with it. It serves `GET /metrics` and nothing else.
struct MetricsServer: Service {
    let configuration: MetricsConfiguration
    let port: Int
    let listener: MetricsListener
    let logger: Logger

    func run() async throws {
        let router = Router()
        let token = self.configuration.token
        router.get("/metrics") { request, _ -> Response in
            if let token, !MetricsRegistry.authorized(request, token: token) {
                return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
            }
            return MetricsRegistry.response()
        }
        let listener = self.listener
        let logger = self.logger
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(self.configuration.host, port: self.port), serverName: nil),
            onServerRunning: { channel in
                listener.listening(on: channel.localAddress?.port)
                logger.info("metrics served", metadata: ["address": .string(channel.localAddress?.description ?? "?")])
            },
            logger: self.logger
        )
        try await app.run()
    }
}

/// The public port's `/metrics` (METRICS_TOKEN without METRICS_PORT). A request without the right token gets the
/// same 404 as any unknown path, so the public port does not advertise that metrics exist.
struct PublicMetricsController {
    let token: String

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/metrics") { request, _ -> Response in
            guard MetricsRegistry.authorized(request, token: self.token) else { throw HTTPError(.notFound) }
            return MetricsRegistry.response()
        }
        return routes
    }
}
