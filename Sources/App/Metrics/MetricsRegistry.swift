import CoreMetrics
import Crypto
import Foundation
import Hummingbird
import Prometheus

/// The process's one Prometheus registry, installed as swift-metrics' backend the first time metrics are
/// turned on. swift-metrics allows one bootstrap per process, and tests build many applications in one
/// process, so the bootstrap lives in a `static let` (initialised exactly once, thread-safely) and every
/// application that enables metrics shares it. Without it every metric call is swift-metrics' no-op.
enum MetricsRegistry {
    static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = Self.durationBuckets
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Buckets in seconds: answers take seconds to minutes; the default (5 ms…10 s) fits plain requests.
    static let durationBuckets: [String: [Duration]] = [
        "chatbot_http_request_duration_seconds": [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300].map(Self.seconds),
        "chatbot_answer_first_token_seconds": [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60].map(Self.seconds),
        "chatbot_answer_duration_seconds": [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600].map(Self.seconds),
        "chatbot_database_connection_wait_seconds": [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10].map(Self.seconds),
    ]

    private static func seconds(_ value: Double) -> Duration { .milliseconds(Int64(value * 1000)) }

    /// The Prometheus text exposition of everything recorded so far.
    static func response() -> Response {
        let text = Self.shared.emitToBuffer()
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: text)))
    }

    /// Whether the request carries `Authorization: Bearer <token>`, compared in constant time (equal-length
    /// digests compared by swift-crypto's constant-time `==`), so response timing says nothing about the token.
    static func authorized(_ request: Request, token: String) -> Bool {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else { return false }
        let presented = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        return SHA256.hash(data: Data(presented.utf8)) == SHA256.hash(data: Data(token.utf8))
    }
}
