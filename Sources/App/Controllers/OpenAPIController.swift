import Hummingbird
import NIOCore

/// `GET /api/openapi.json`: the API's description, embedded in the binary so it is served wherever the binary runs.
enum OpenAPIRoute {
    static func add(to router: Router<AppRequestContext>) {
        router.get("/api/openapi.json") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(string: openAPIDocument)))
        }
    }
}
