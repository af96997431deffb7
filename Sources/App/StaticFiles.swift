import Hummingbird
import Web

/// Static assets: the app's own files under /public, cached for a day (file names are stable; the
/// pages add a version query to bust caches on upgrade).
enum StaticFiles {
    static func publicFiles(directory: String) -> FileMiddleware<AppRequestContext, LocalFileSystem> {
        FileMiddleware(directory, urlBasePath: "/public", cacheControl: .init([(MediaType(type: .any), [.public, .maxAge(86400)])]), searchForIndexHtml: false)
    }
}

/// Error pages for browsers, rendered by the web module.
enum ErrorPages {
    @Sendable static func render(_ error: APIError, requestID: String) -> Response {
        let page = error.kind == .notFound ? Pages.notFound() : Pages.error(message: error.message, requestID: requestID)
        return Response(status: error.status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: .init(string: page.rendered)))
    }
}
