import Hummingbird
import NIOCore

/// `GET /api/openapi.json`: the API's description, embedded in the binary so it is served wherever the binary runs.
struct OpenAPIController {
    var routes: RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.get("/api/openapi.json", use: self.document)
        return routes
    }

    @Sendable func document(request: Request, context: AppRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: openAPIDocument)))
    }
}
