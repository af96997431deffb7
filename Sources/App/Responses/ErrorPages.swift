import Hummingbird
import Web

/// Error pages for browsers, rendered by the web module.
enum ErrorPages {
    @Sendable static func render(_ error: APIError, requestID: String) -> Response {
        let page = error.kind == .notFound ? Pages.notFound() : Pages.error(message: error.message, requestID: requestID)
        return Response(status: error.status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: .init(string: page.rendered)))
    }
}
