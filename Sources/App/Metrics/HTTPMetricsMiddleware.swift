import CoreMetrics
import Hummingbird

/// Counts requests by route, method and status, and times them: to the response for a body of known length,
/// to the last byte for a stream (so the chat routes measure the whole streamed answer). The route label is the matched pattern (`/api/chat/{id}`),
/// never the raw path: ids would make every request a new series. Paths no route matched (static files,
/// unknown paths) share the label `other`.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let method = Self.method(request.method)
        let route = context.endpointPath ?? "other"
        do {
            var response = try await next(request, context)
            let status = response.status.code
            // A body of known length is ready now: recorded here, it keeps Hummingbird's one-write fast path.
            // A stream (an answer's events) is timed to its last byte by a body that wraps it.
            guard response.body.contentLength == nil else {
                Self.record(route: route, method: method, status: status, since: start)
                return response
            }
            let body = response.body
            response.body = ResponseBody { writer in
                do {
                    try await body.write(writer)
                    Self.record(route: route, method: method, status: status, since: start)
                } catch {
                    Self.record(route: route, method: method, status: status, since: start)
                    throw error
                }
            }
            return response
        } catch {
            Self.record(route: route, method: method, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    static func record(route: String, method: String, status: Int, since start: ContinuousClock.Instant) {
        Counter(label: "chatbot_http_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))]).increment()
        let elapsed = ContinuousClock.now - start
        CoreMetrics.Timer(label: "chatbot_http_request_duration_seconds", dimensions: [("route", route), ("method", method)])
            .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }

    /// Methods outside the usual set share one label, so a client inventing methods cannot add series.
    static func method(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .patch, .delete, .options: method.rawValue
        default: "other"
        }
    }
}
