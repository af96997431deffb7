import Foundation
import Hummingbird
import Logging
import NIOCore
import Storage

/// `GET /api/health`: what App Runner's health check and `curl` ask. No session, and fast either way.
struct HealthController {
    let database: any DatabaseClient
    let timeout: Duration
    let version: String

    struct Report: Encodable {
        let status: String
        let timestamp: String
        let database: String
        let version: String
        let error: String?
    }

    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/api/health", use: self.health)
        routes.head("/api/health", use: self.health)
        return routes
    }

    @Sendable func health(request: Request, context: AppRequestContext) async throws -> Response {
        let timestamp = Date().formatted(.iso8601)
        let report: Report
        let status: HTTPResponse.Status
        do {
            try await self.database.ping(timeout: self.timeout)
            report = Report(status: "healthy", timestamp: timestamp, database: "ok", version: self.version, error: nil)
            status = .ok
        } catch {
            let reason = (error as? DatabaseUnavailable)?.reason ?? "the database refused the connection"
            context.logger.warning("health check failed", metadata: ["reason": .string(reason)])
            report = Report(status: "unhealthy", timestamp: timestamp, database: "unreachable", version: self.version, error: reason)
            status = .serviceUnavailable
        }
        let body = try JSONEncoder().encode(report)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
