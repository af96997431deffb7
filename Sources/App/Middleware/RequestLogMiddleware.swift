import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The outermost middleware: gives each request an id, turns every error into its envelope (or an error
/// page), adds the security headers, and writes one access-log line.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let bodyLimit: Int
    /// Renders an error for a browser page (not an API call).
    let errorPage: @Sendable (_ error: APIError, _ requestID: String) -> Response

    static let requestIDHeader = HTTPField.Name("x-request-id")!
    static let securityHeaders: [(HTTPField.Name, String)] = [
        (.contentSecurityPolicy,
         "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
        (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
        (HTTPField.Name("Referrer-Policy")!, "strict-origin-when-cross-origin"),
        (HTTPField.Name("X-Frame-Options")!, "DENY"),
        (HTTPField.Name("Permissions-Policy")!, "camera=(), microphone=(), geolocation=()"),
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let requestID = Self.acceptableID(request.headers[Self.requestIDHeader]) ?? UUID().uuidString.lowercased()
        context.requestID = requestID
        context.bodyLimit = self.bodyLimit
        context.logger[metadataKey: "request_id"] = .string(requestID)
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = self.render(error, request: request, context: context)
        }
        response.headers[Self.requestIDHeader] = requestID
        for (name, value) in Self.securityHeaders where response.headers[name] == nil {
            response.headers[name] = value
        }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(format: "%.1f", milliseconds)),
            ]
        )
        return response
    }

    func render(_ error: any Error, request: Request, context: Context) -> Response {
        let apiError: APIError
        if let mapped = ErrorMapping.apiError(for: error) {
            apiError = mapped
        } else {
            context.logger.error("unhandled error", metadata: ["error": .string(String(reflecting: error))])
            apiError = APIError(
                .internal, "api", "Something went wrong on our side. Please try again; if it keeps happening, quote request id \(context.requestID).")
        }
        if apiError.kind == .offline || apiError.kind == .internal {
            context.logger.warning("request failed", metadata: ["code": .string(apiError.code), "cause": .string(apiError.cause ?? "")])
        }
        let wantsPage = request.method == .get && !request.uri.path.hasPrefix("/api/")
            && (request.headers[.accept]?.contains("text/html") ?? false)
        if wantsPage {
            var response = self.errorPage(apiError, context.requestID)
            response.status = apiError.status
            return response
        }
        return (try? apiError.response(from: request, context: context)) ?? Response(status: apiError.status)
    }

    /// Honour a caller's request id only when it is short and plain, so it cannot forge log lines.
    static func acceptableID(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 128,
            value.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_.:".unicodeScalars.contains($0) })
        else { return nil }
        return value
    }
}
